import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Writable } from 'node:stream';
import { odata } from '@azure/data-tables';
import { ConversationReferencesRepository, type StoredReference } from '../src/delivery/conversation-references.repository';
import { Outbox } from '../src/delivery/outbox';
import { outboxPartition, OutboxRepository, type OutboxEntity } from '../src/delivery/outbox.repository';
import type { DrainSummary } from '../src/delivery/outbox-worker';
import type { OutboxItem } from '../src/delivery/outbox.schema';
import { renderCheckinForm } from '../src/features/checkin/checkin.cards';
import { translator } from '../src/i18n/i18n';
import { systemClock } from '../src/shared/clock';
import { createLogger } from '../src/shared/logger';
import { startAzurite } from '../src/storage/azurite';
import { TableClientFactory } from '../src/storage/table-client-factory';
import { ALL_TABLES, TABLES } from '../src/storage/table-names';
import { BenchArgsError, parseBenchArgs, USAGE, type BenchOptions } from './args';
import { startConnectorProcess } from './connector-process';
import { wireDelivery } from './delivery-wiring';
import { measure, type Measurements, type RowState } from './measure';
import { memoryBench } from './memory';
import { freePort, inBatches, loadLine } from './setup';
import { DeliveryTrace, printTrace } from './trace';
import { killBench } from './kill';
import { instancesBench } from './instances';
import { runKpiBench } from './kpi';
import { turnsBench } from './turns';

const RATE_GOAL = 0.9;

/** Counts the worker's log lines by level and message; the lines themselves go nowhere. */
class LogTally {
  readonly byMessage = new Map<string, number>();
  warnOrWorse = 0;
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as { level?: number; msg?: string };
        const key = `${entry.level ?? '?'} ${entry.msg ?? ''}`;
        this.byMessage.set(key, (this.byMessage.get(key) ?? 0) + 1);
        if ((entry.level ?? 0) >= 40) this.warnOrWorse += 1;
      }
      done();
    },
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');

async function listRows(tables: TableClientFactory, tenantId: string, day: string): Promise<RowState[]> {
  const rows: RowState[] = [];
  const filter = odata`PartitionKey eq ${outboxPartition(tenantId, day)}`;
  const query = { filter, select: ['key', 'status', 'attempts', 'lastError'] };
  for await (const entity of tables
    .table(TABLES.outbox)
    .listEntities<Pick<OutboxEntity, 'key' | 'status' | 'attempts' | 'lastError'>>({ queryOptions: query })) {
    rows.push({ key: entity.key, status: entity.status, attempts: entity.attempts, lastError: entity.lastError });
  }
  return rows;
}

function printMachine(): void {
  const cpus = os.cpus();
  console.log(
    `machine   ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores (nproc ${os.availableParallelism()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  );
  console.log(`runtime   node ${process.version}`);
  console.log(`date      ${new Date().toISOString()}`);
}

function printReport(options: BenchOptions, m: Measurements, summary: DrainSummary | undefined, wallMs: number, logs: LogTally): void {
  const ratio = m.achievedPerSecond === undefined ? 0 : m.achievedPerSecond / options.rate;
  const rate = m.achievedPerSecond === undefined ? 'n/a' : `${m.achievedPerSecond.toFixed(2)}/s`;
  console.log('');
  console.log('── goals ──────────────────────────────────────────────────────────────');
  console.log(`rate      ${rate} of ${options.rate}/s allowed = ${ratio.toFixed(3)}   (goal ≥ ${RATE_GOAL})   ${verdict(ratio >= RATE_GOAL)}`);
  console.log(`lost      ${m.lost} of ${m.recipients} recipients never got their prompt   (goal 0)   ${verdict(m.lost === 0)}`);
  console.log(`doubled   ${m.doubled} recipients got it more than once   (goal 0)   ${verdict(m.doubled === 0)}`);
  console.log('');
  console.log('── details ────────────────────────────────────────────────────────────');
  console.log(`429s      ${m.refused.global + m.refused.conversation} received (global cap ${m.refused.global}, per conversation ${m.refused.conversation})`);
  const recovered = m.refusedToAcceptedSeconds;
  if (recovered)
    console.log(
      `re-sent   ${recovered.count} refused recipients got their prompt ${recovered.median.toFixed(1)} s (median) / ${recovered.max.toFixed(1)} s (max) after their first 429`,
    );
  console.log(
    `wall      ${seconds(wallMs)} from the worker's start to drained; steady part ${m.steadySeconds === undefined ? 'n/a' : `${m.steadySeconds.toFixed(1)} s`} (first to last accepted send)`,
  );
  console.log(`ideal     ${seconds(((m.recipients - 1) * 1000) / options.rate)} for ${m.recipients} sends at exactly ${options.rate}/s`);
  console.log(`accepted  ${m.sendsAccepted} sends; most in any sliding second ${m.maxAcceptedInAnySecond} (the double's cap is ${options.rate})`);
  console.log(`arrived   most calls (accepted or refused) in any sliding second ${m.maxArrivedInAnySecond}`);
  if (m.perSecond) console.log(`per sec   accepted per whole second: min ${m.perSecond.min}, median ${m.perSecond.median}, max ${m.perSecond.max}`);
  if (m.gapMs)
    console.log(
      `gaps      between arrivals: p1 ${m.gapMs.p1} ms, p50 ${m.gapMs.p50} ms, p99 ${m.gapMs.p99} ms (even pacing = ${(1000 / options.globalPerSecond).toFixed(1)} ms)`,
    );
  console.log(
    `outbox    ${Object.entries(m.rowsByStatus)
      .map(([status, count]) => `${status} ${count}`)
      .join(', ')}; ${m.rowsRetried} rows needed more than one attempt`,
  );
  const errors = Object.entries(m.lastErrors);
  if (errors.length > 0) console.log(`errors    last error on rows: ${errors.map(([error, count]) => `${error} ×${count}`).join(', ')}`);
  if (summary)
    console.log(
      `worker    drain(): sent ${summary.sent}, retried ${summary.retried}, failed ${summary.failed}, unreachable ${summary.unreachable}, claimed by another ${summary.lost}`,
    );
  console.log(`logs      ${[...logs.byMessage].map(([message, count]) => `[${message}] ×${count}`).join(', ')}`);
}

async function deliveryBench(options: BenchOptions): Promise<void> {
  console.log('');
  console.log('hibi delivery benchmark: one proactive prompt to each of N people through the outbox');
  console.log(`load      ${loadLine()} before the run`);
  const azurite = await startAzurite({ port: await freePort() });
  const connector = await startConnectorProcess({ globalPerSecond: options.rate, latencyMs: options.latency });
  try {
    const tables = new TableClientFactory(azurite.connectionString);
    await tables.ensureTables(ALL_TABLES);
    const tenantId = randomUUID();
    const day = new Date().toISOString().slice(0, 10);
    const references = new ConversationReferencesRepository(tables);
    const repository = new OutboxRepository(tables);
    const logs = new LogTally();
    const conversationOf = (personId: string): string => `a:bench-${tenantId.slice(0, 8)}-${personId}`;
    const trace = options.trace ? new DeliveryTrace(conversationOf) : undefined;
    const { worker, description, concurrency } = wireDelivery({
      tables,
      references,
      repository,
      logger: createLogger('info', logs.stream),
      tenantId,
      globalPerSecond: options.globalPerSecond,
      concurrency: options.concurrency,
      burst: options.burst,
      trace,
    });
    console.log(`settings  n=${options.n}, double: ${options.rate}/s global + Teams' per-conversation windows, latency ${options.latency} ms`);
    console.log(`worker    ${description}`);

    const setupStarted = Date.now();
    const people = Array.from({ length: options.n }, (_, i) => `P${String(i + 1).padStart(6, '0')}`);
    await inBatches(people, 32, async (personId) => {
      const reference: StoredReference = {
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        conversationId: conversationOf(personId),
        conversationType: 'personal',
        botId: '28:hibi-bench',
        userId: `29:${personId}`,
      };
      await references.save(tenantId, { kind: 'person', personId }, reference);
    });
    // The real morning prompt, so payload size and serialisation cost are what production sends.
    const t = translator('ja');
    const message = { card: renderCheckinForm('morning', day, t, 'ja'), summary: t('checkin.morning.title') };
    const items: OutboxItem[] = people.map((personId) => ({
      tenantId,
      day,
      key: `bench|morning|${personId}`,
      recipient: { kind: 'person', personId },
      message,
    }));
    const enqueued = await new Outbox(repository, systemClock).enqueue(items);
    console.log(
      `setup     ${options.n} references stored and ${enqueued.added} rows enqueued in ${seconds(Date.now() - setupStarted)} (not part of the measurement)`,
    );
    console.log(`running   until drained or ${options.timeoutSeconds} s ...`);

    const started = Date.now();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void worker.stop();
    }, options.timeoutSeconds * 1000);
    let summary: DrainSummary | undefined;
    try {
      summary = await worker.drain({ waitUpToMs: options.timeoutSeconds * 1000 });
    } catch (error) {
      console.log(`ERROR     drain() threw: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
      await worker.stop();
    }
    const wallMs = Date.now() - started;
    console.log(`load      ${loadLine()} after the run`);
    if (timedOut) console.log(`TIMEOUT   stopped after ${options.timeoutSeconds} s; the numbers below are what was done by then`);

    const calls = await connector.calls();
    const measurements = measure(people.map(conversationOf), calls, await listRows(tables, tenantId, day));
    printReport(options, measurements, summary, wallMs, logs);
    if (trace) printTrace(trace, calls, options.globalPerSecond, concurrency);
  } finally {
    await connector.stop();
    await azurite.stop();
  }
}

/** What `npm run bench` runs, in this order; `--only` picks some by name. One line per benchmark. */
const BENCHES: { name: string; run: (options: BenchOptions) => Promise<void> }[] = [
  { name: 'delivery', run: deliveryBench },
  { name: 'turns', run: () => turnsBench() },
  { name: 'memory', run: (options) => memoryBench(options.people, options.memoryDay, options.memoryTelemetry) },
  { name: 'kpi', run: () => runKpiBench() },
  { name: 'kill', run: killBench },
  { name: 'instances', run: instancesBench },
];

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return;
  }
  const unknown = options.only.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) throw new BenchArgsError(`--only: no benchmark named ${unknown.join(', ')} (there are ${BENCHES.map((b) => b.name).join(', ')})`);
  printMachine();
  for (const bench of BENCHES) if (options.only.length === 0 || options.only.includes(bench.name)) await bench.run(options);
}

main()
  .then(() => {
    // botbuilder's HTTP agents keep sockets open; the benchmark is done, so do not wait for them.
    process.exit(0);
  })
  .catch((error: unknown) => {
    if (error instanceof BenchArgsError) console.error(`${error.message}\n\n${USAGE}`);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
