import { Writable } from 'node:stream';
import { createConnectorPort } from '../src/bot/connector-port';
import { loadConfig } from '../src/config';
import { ConversationReferencesRepository } from '../src/delivery/conversation-references.repository';
import { createDeliveryLayer } from '../src/delivery/delivery-layer';
import { createLogger } from '../src/shared/logger';
import { TimedTables } from './instances-storage';
import { instanceCommandSchema, instanceStartSchema, type InstanceMessage, type InstanceReport } from './instances-process';

/**
 * One instance of hibi's delivery in a process of its own, wired as the app wires it
 * (createDeliveryLayer from the environment it is given), serving one tenant until told to stop.
 * Talks to bench/instances.ts over IPC only (instances-process.ts); log lines are counted and dropped.
 */

async function main(): Promise<void> {
  const reply = (message: InstanceMessage): void => {
    process.send?.(message);
  };
  const start = instanceStartSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  const logs = new Map<string, number>();
  let sent = 0;
  let firstSentAt: number | undefined;
  let lastSentAt: number | undefined;
  const logger = createLogger(
    'info',
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString().split('\n')) {
          if (!line) continue;
          const entry = JSON.parse(line) as { level?: number; msg?: string };
          const key = `${entry.level ?? '?'} ${entry.msg ?? ''}`;
          logs.set(key, (logs.get(key) ?? 0) + 1);
          if (entry.msg === 'outbox row sent') {
            sent += 1;
            firstSentAt ??= Date.now();
            lastSentAt = Date.now();
          }
        }
        done();
      },
    }),
  );
  const config = loadConfig({ ...start.env, STORAGE_CONNECTION_STRING: start.connectionString });
  const tables = new TimedTables(start.connectionString);
  const layer = createDeliveryLayer({
    config,
    tables,
    references: new ConversationReferencesRepository(tables),
    logger,
    port: createConnectorPort(config),
    tenantIds: [start.tenantId],
  });
  const report = (): InstanceReport => ({
    id: layer.membership.id,
    members: layer.membership.members.length,
    state: layer.membership.state,
    perSecond: layer.membership.share,
    equalShare: layer.membership.equalShare,
    sent,
    firstSentAt,
    lastSentAt,
    logs: Object.fromEntries(logs),
    storage: tables.tally,
  });
  process.on('message', (raw: unknown) => {
    const command = instanceCommandSchema.parse(raw);
    if (command.type === 'progress') reply({ type: 'progress', report: report() });
    else void layer.worker.stop().then(() => reply({ type: 'stopped', report: report() }));
  });
  // The benchmark dying must not leave this instance sending.
  process.on('disconnect', () => process.exit(0));
  layer.worker.start();
  reply({ type: 'ready', id: layer.membership.id });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies InstanceMessage);
  process.exit(1);
});
