import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { loadConfig } from '../src/config';
import { ConversationReferencesRepository } from '../src/delivery/conversation-references.repository';
import { DELIVERY_INSTANCES_TABLE } from '../src/delivery/delivery-instances.repository';
import { Outbox } from '../src/delivery/outbox';
import { outboxPartition, OutboxRepository, type OutboxEntity } from '../src/delivery/outbox.repository';
import type { OutboxItem } from '../src/delivery/outbox.schema';
import { renderCheckinForm } from '../src/features/checkin/checkin.cards';
import { translator } from '../src/i18n/i18n';
import { systemClock } from '../src/shared/clock';
import { startAzurite } from '../src/storage/azurite';
import { TableClientFactory } from '../src/storage/table-client-factory';
import { ALL_TABLES, TABLES } from '../src/storage/table-names';
import type { BenchOptions } from './args';
import { startConnectorProcess } from './connector-process';
import { startInstanceProcess, type InstanceProcess, type InstanceReport } from './instances-process';
import { perSend } from './instances-storage';
import type { CallRecord } from './limited-connector';
import { measure, type RowState } from './measure';
import { BENCH_BOT, benchConversationOf, freePort, inBatches, loadLine } from './setup';

const RATE_GOAL = 0.9;
const PROGRESS_EVERY_MS = 60_000;

const TIMELINE_MS = 30_000;

/** Accepted sends per second in each TIMELINE_MS from `from`: where a run lost time (start, tail). */
function timeline(calls: readonly CallRecord[], from: number): string {
  const buckets: number[] = [];
  for (const call of calls) {
    if (call.refusedBy !== undefined || (call.kind !== 'send' && call.kind !== 'reply')) continue;
    const bucket = Math.max(0, Math.floor((call.at - from) / TIMELINE_MS));
    buckets[bucket] = (buckets[bucket] ?? 0) + 1;
  }
  return Array.from(buckets, (count) => ((count ?? 0) / (TIMELINE_MS / 1000)).toFixed(1)).join(' ');
}

const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (value: number): string => `${Number.isInteger(value) ? value : value.toFixed(2)}/s`;

async function listRows(tables: TableClientFactory, tenantId: string, day: string): Promise<RowState[]> {
  const rows: RowState[] = [];
  const query = { filter: odata`PartitionKey eq ${outboxPartition(tenantId, day)}`, select: ['key', 'status', 'attempts', 'lastError'] };
  for await (const entity of tables
    .table(TABLES.outbox)
    .listEntities<Pick<OutboxEntity, 'key' | 'status' | 'attempts' | 'lastError'>>({ queryOptions: query })) {
    rows.push({ key: entity.key, status: entity.status, attempts: entity.attempts, lastError: entity.lastError });
  }
  return rows;
}

/** Instance names a, b, c, … in start order, for the report; their ids name hosts and processes. */
const nameOf = (index: number): string => String.fromCharCode(97 + index);

function describe(reports: readonly InstanceReport[]): string {
  return reports.map((r, i) => `${nameOf(i)} ${r.sent} (sees ${r.members}, ${r.state} ${perSecond(r.perSecond)})`).join(', ');
}

/**
 * `--instances` delivery instances (3), each a process of its own built by createDeliveryLayer, fan one
 * prompt out to `--n` people (10,000) of one tenant through the shared Tables outbox against one
 * connector double that enforces the tenant's cap (`--rate`, 30/s) and Teams' per-conversation
 * windows. hibi's DELIVERY_GLOBAL_PER_SECOND is `--global-per-second` (default one below the cap);
 * the instances split it between themselves through their heartbeats. Goals: ≥ 0.9 of the cap in
 * total, nobody lost or doubled, no 429.
 */
export async function instancesBench(options: BenchOptions): Promise<void> {
  const n = options.instancesPeople;
  const count = options.instances;
  const hibiCap = options.instancesGlobalPerSecond;
  const env: Record<string, string> = {
    LOG_LEVEL: 'info',
    DELIVERY_GLOBAL_PER_SECOND: String(hibiCap),
    ...(options.concurrency === undefined ? {} : { OUTBOX_CONCURRENCY: String(options.concurrency) }),
  };
  const config = loadConfig(env).env;
  console.log('');
  console.log('hibi instances benchmark: delivery instances in processes of their own share one tenant’s cap through heartbeats');
  console.log(`load      ${loadLine()} before the run`);
  console.log(
    `settings  n=${n}, ${count} instances; double: ${options.rate}/s per tenant + Teams' per-conversation windows, latency ${options.latency} ms; hibi: DELIVERY_GLOBAL_PER_SECOND=${config.DELIVERY_GLOBAL_PER_SECOND} for all instances together, DELIVERY_HEARTBEAT_MS=${config.DELIVERY_HEARTBEAT_MS}, DELIVERY_HEARTBEAT_EXPIRY_MS=${config.DELIVERY_HEARTBEAT_EXPIRY_MS}, OUTBOX_CONCURRENCY=${config.OUTBOX_CONCURRENCY}, OUTBOX_POLL_MS=${config.OUTBOX_POLL_MS}`,
  );
  const azurite = await startAzurite({ port: await freePort() });
  const connector = await startConnectorProcess({ globalPerSecond: options.rate, latencyMs: options.latency });
  const instances: InstanceProcess[] = [];
  try {
    const tables = new TableClientFactory(azurite.connectionString);
    await tables.ensureTables([...ALL_TABLES, DELIVERY_INSTANCES_TABLE]);
    const tenantId = randomUUID();
    const day = new Date().toISOString().slice(0, 10);
    const references = new ConversationReferencesRepository(tables);
    const setupStarted = Date.now();
    const people = Array.from({ length: n }, (_, i) => `P${String(i + 1).padStart(6, '0')}`);
    const conversationOf = (personId: string): string => benchConversationOf(tenantId, personId);
    await inBatches(people, 32, (personId) =>
      references.save(
        tenantId,
        { kind: 'person', personId },
        {
          channelId: 'msteams',
          serviceUrl: connector.serviceUrl,
          conversationId: conversationOf(personId),
          conversationType: 'personal',
          botId: BENCH_BOT.id,
          userId: `29:${personId}`,
        },
      ),
    );
    console.log(`setup     ${n} references stored in ${seconds(Date.now() - setupStarted)} (not part of the measurement)`);
    // Running before the fan-out, as in production: what is measured is delivery, not process start.
    const startedAt = Date.now();
    instances.push(
      ...(await Promise.all(Array.from({ length: count }, () => startInstanceProcess({ connectionString: azurite.connectionString, tenantId, env })))),
    );
    let reports = await Promise.all(instances.map((i) => i.progress()));
    while (reports.some((r) => r.members !== count)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reports = await Promise.all(instances.map((i) => i.progress()));
    }
    console.log(`instances ${count} processes started together; each saw all ${count} after ${seconds(Date.now() - startedAt)} (${describe(reports)})`);

    // The real morning prompt, so payload size and serialisation cost are what production sends; queued
    // as the morning job queues it, while the instances poll (they find rows within OUTBOX_POLL_MS).
    const t = translator('ja');
    const message = { card: renderCheckinForm('morning', day, t, 'ja'), summary: t('checkin.morning.title') };
    const items: OutboxItem[] = people.map((personId) => ({
      tenantId,
      day,
      key: `bench|morning|${personId}`,
      recipient: { kind: 'person', personId },
      message,
    }));
    console.log(
      `running   ${n} rows enqueued at once (the instances send while the rest is written), until drained or ${options.instancesTimeoutSeconds} s ...`,
    );
    const started = Date.now();
    const enqueued = await new Outbox(new OutboxRepository(tables), systemClock).enqueue(items);
    console.log(`enqueued  ${enqueued.added} rows in ${seconds(Date.now() - started)}`);
    let drained = false;
    let nextProgressAt = started + PROGRESS_EVERY_MS;
    while (Date.now() - started < options.instancesTimeoutSeconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      reports = await Promise.all(instances.map((i) => i.progress()));
      if (Date.now() >= nextProgressAt) {
        console.log(`progress  ${seconds(Date.now() - started)}: sent ${describe(reports)}`);
        nextProgressAt += PROGRESS_EVERY_MS;
      }
      // The instances' own count first; the outbox confirms, since a row sent twice would count twice.
      if (reports.reduce((total, r) => total + r.sent, 0) < n) continue;
      if ((await listRows(tables, tenantId, day)).every((row) => row.status === 'sent')) {
        drained = true;
        break;
      }
    }
    const wallMs = Date.now() - started;
    const stopped = await Promise.all(instances.splice(0).map((i) => i.stop()));
    console.log(`load      ${loadLine()} after the run`);
    if (!drained) console.log(`TIMEOUT   stopped after ${options.instancesTimeoutSeconds} s; the numbers below are what was done by then`);

    const calls = await connector.calls();
    const rows = await listRows(tables, tenantId, day);
    const m = measure(people.map(conversationOf), calls, rows);
    const throttled = m.refused.global + m.refused.conversation;
    const ratio = m.achievedPerSecond === undefined ? 0 : m.achievedPerSecond / options.rate;
    console.log('');
    console.log('── goals ──────────────────────────────────────────────────────────────');
    console.log(
      `rate      ${m.achievedPerSecond === undefined ? 'n/a' : perSecond(m.achievedPerSecond)} by ${count} instances together, of ${options.rate}/s allowed = ${ratio.toFixed(3)}   (goal ≥ ${RATE_GOAL})   ${verdict(ratio >= RATE_GOAL)}`,
    );
    console.log(`lost      ${m.lost} of ${m.recipients} recipients never got their prompt   (goal 0)   ${verdict(m.lost === 0)}`);
    console.log(`doubled   ${m.doubled} recipients got it more than once   (goal 0)   ${verdict(m.doubled === 0)}`);
    console.log(
      `429s      ${throttled} received (tenant cap ${m.refused.global}, per conversation ${m.refused.conversation})   (goal 0)   ${verdict(throttled === 0)}`,
    );
    console.log('');
    console.log('── details ────────────────────────────────────────────────────────────');
    console.log(`instances sent ${describe(stopped)}; equal parts sum to ${perSecond(stopped.reduce((total, r) => total + r.equalShare, 0))}`);
    const since = (at: number | undefined): string => (at === undefined ? 'n/a' : seconds(at - started));
    console.log(
      `sending   each instance's first and last recorded send: ${stopped.map((r, i) => `${nameOf(i)} ${since(r.firstSentAt)}–${since(r.lastSentAt)}`).join(', ')}`,
    );
    console.log(`timeline  accepted per second in each ${TIMELINE_MS / 1000} s from the enqueue's start: ${timeline(calls, started)}`);
    console.log(
      `wall      ${seconds(wallMs)} from the enqueue's start to drained; steady part ${m.steadySeconds === undefined ? 'n/a' : `${m.steadySeconds.toFixed(1)} s`} (first to last accepted send)`,
    );
    console.log(`ideal     ${seconds(((m.recipients - 1) * 1000) / options.rate)} for ${m.recipients} sends at exactly ${options.rate}/s`);
    console.log(`accepted  ${m.sendsAccepted} sends; most in any sliding second ${m.maxAcceptedInAnySecond} (the double's cap is ${options.rate})`);
    console.log(`arrived   most calls (accepted or refused) in any sliding second ${m.maxArrivedInAnySecond}`);
    if (m.perSecond) console.log(`per sec   accepted per whole second: min ${m.perSecond.min}, median ${m.perSecond.median}, max ${m.perSecond.max}`);
    if (m.gapMs) console.log(`gaps      between arrivals: p1 ${m.gapMs.p1} ms, p50 ${m.gapMs.p50} ms, p99 ${m.gapMs.p99} ms`);
    console.log(
      `outbox    ${Object.entries(m.rowsByStatus)
        .map(([status, rowCount]) => `${status} ${rowCount}`)
        .join(', ')}; ${m.rowsRetried} rows needed more than one attempt`,
    );
    const errors = Object.entries(m.lastErrors);
    if (errors.length > 0) console.log(`errors    last error on rows: ${errors.map(([error, rowCount]) => `${error} ×${rowCount}`).join(', ')}`);
    const logs = new Map<string, number>();
    for (const report of stopped) for (const [line, lines] of Object.entries(report.logs)) logs.set(line, (logs.get(line) ?? 0) + lines);
    console.log(
      `storage   ${perSend(
        stopped.map((report) => report.storage),
        m.sendsAccepted,
      )} (every instance's requests, heartbeats included)`,
    );
    console.log(`logs      ${[...logs].map(([line, lines]) => `[${line}] ×${lines}`).join(', ')}`);
  } finally {
    await Promise.allSettled(instances.map((i) => i.stop()));
    await connector.stop();
    await azurite.stop();
  }
}
