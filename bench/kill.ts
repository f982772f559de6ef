import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { ConversationReferencesRepository } from '../src/delivery/conversation-references.repository';
import { outboxPartition, type OutboxEntity } from '../src/delivery/outbox.repository';
import { OrgRepository } from '../src/directory/org.repository';
import type { OrgDirectory } from '../src/directory/org.schema';
import { translator } from '../src/i18n/i18n';
import { startAzurite } from '../src/storage/azurite';
import { TableClientFactory } from '../src/storage/table-client-factory';
import { ALL_TABLES, TABLES } from '../src/storage/table-names';
import type { BenchOptions } from './args';
import { startConnectorProcess } from './connector-process';
import { syntheticDirectory } from './directory';
import type { CallRecord } from './limited-connector';
import { startServerProcess, type ServerUnderTest } from './processes';
import { benchConversationOf, freePort, loadLine, saveBenchReferences } from './setup';

/** A Wednesday office day, one minute into the morning prompt window: hibi's catch-up prompts everyone at start. */
const DAY = '2026-06-03';
const DEV_NOW = `${DAY}T08:46:00+09:00`;
/** Short, so the dead server's claims come due again within the run (production: 120 s). */
const LEASE_MS = 5_000;
const SENT_LOG = 'outbox row sent';

interface Trial {
  latencyMs: number;
  killedAfter: number;
  /** The dead server's claims with no outcome recorded: leased rows after the kill. */
  inFlight: number;
  /** Of those, how many Teams had already accepted (a send at the double before the restart). */
  inFlightPosted: number;
  lost: number;
  doubled: number;
  /** Sends of the restarted server to people in flight at the kill, and how many of them said 再送. */
  resends: number;
  marked: number;
  /** 再送 on a send to anyone else: a first send wrongly marked. */
  markedElsewhere: number;
  resentLogged: number;
  drainMs: number;
  /** Per recorded row: Teams' answer → the row written as sent, and Teams accepting it → the same, ms. */
  answerToRecord: number[];
  acceptToRecord: number[];
  /** The first server's accepted sends per second, start of the fan-out to the kill. */
  sendsPerSecond: number;
  error?: string;
}

const promptPrefix = 'checkin.prompt|morning|';

/** `count` people of the synthetic town (units of 100, each led by its 課長), everyone prompted in the morning. */
function directoryOf(count: number): OrgDirectory {
  const whole = syntheticDirectory(count);
  const people = whole.people.slice(0, count);
  const units = new Set(people.map((p) => p.unit));
  return { units: whole.units.filter((u) => units.has(u.name)), people };
}

interface PromptRow {
  personId: string;
  status: string;
  recordedAt: number;
}

async function promptRows(tables: TableClientFactory, tenantId: string): Promise<PromptRow[]> {
  const rows: PromptRow[] = [];
  const filter = odata`PartitionKey eq ${outboxPartition(tenantId, DAY)}`;
  const query = { filter, select: ['key', 'status', 'Timestamp'] };
  for await (const entity of tables.table(TABLES.outbox).listEntities<Pick<OutboxEntity, 'key' | 'status'> & { timestamp?: string }>({ queryOptions: query })) {
    if (entity.key.startsWith(promptPrefix))
      rows.push({ personId: entity.key.slice(promptPrefix.length), status: entity.status, recordedAt: Date.parse(entity.timestamp ?? '') });
  }
  return rows;
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${Math.round(timeoutMs / 1000)} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function trial(tables: TableClientFactory, connectionString: string, options: BenchOptions, latencyMs: number, killAfter: number): Promise<Trial> {
  const n = options.killPeople;
  const connector = await startConnectorProcess({ globalPerSecond: options.rate, latencyMs, keepSummary: true, signalAfterSends: killAfter });
  const servers: ServerUnderTest[] = [];
  const tenantId = randomUUID();
  const org = new OrgRepository(tables);
  const result: Trial = {
    latencyMs,
    killedAfter: killAfter,
    inFlight: 0,
    inFlightPosted: 0,
    lost: 0,
    doubled: 0,
    resends: 0,
    marked: 0,
    markedElsewhere: 0,
    resentLogged: 0,
    drainMs: 0,
    answerToRecord: [],
    acceptToRecord: [],
    sendsPerSecond: 0,
  };
  try {
    const directory = directoryOf(n);
    await org.importDirectory(tenantId, directory);
    await saveBenchReferences(new ConversationReferencesRepository(tables), tenantId, directory.people, connector.serviceUrl);
    await org.saveSettings(tenantId, { defaultLocale: 'ja' });
    const env: Record<string, string> = {
      STORAGE_CONNECTION_STRING: connectionString,
      PORT: '0',
      LOG_LEVEL: 'info',
      DEV_NOW,
      DELIVERY_GLOBAL_PER_SECOND: String(options.globalPerSecond),
      OUTBOX_LEASE_MS: String(LEASE_MS),
      OUTBOX_POLL_MS: '250',
      ...(options.concurrency === undefined ? {} : { OUTBOX_CONCURRENCY: String(options.concurrency) }),
    };
    const start = (name: string): Promise<ServerUnderTest> => startServerProcess(name, 'src/main.ts', env, 'hibi listening on /api/messages', [SENT_LOG]);

    const first = await start('first');
    servers.push(first);
    const startedAt = Date.now();
    const timeoutMs = (3 * n * 1000) / options.rate + 60_000;
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    const moment = await Promise.race([connector.signalled.then(() => 'signal' as const), first.exited.then(() => 'exited' as const), timeout]);
    // kill -9 the moment the double has accepted the chosen send: whatever hibi holds then is in flight.
    await first.kill();
    if (moment !== 'signal')
      throw new Error(moment === 'exited' ? 'the first server exited by itself' : `fewer than ${killAfter} sends within ${Math.round(timeoutMs / 1000)} s`);
    const atKill = await promptRows(tables, tenantId);
    const callsAtKill = await connector.calls();
    const conversationOf = (personId: string): string => benchConversationOf(tenantId, personId);
    const personOf = new Map(directory.people.map((p) => [conversationOf(p.id), p.id]));
    const acceptedSends = (calls: readonly CallRecord[]): CallRecord[] =>
      calls.filter((c) => c.kind === 'send' && c.refusedBy === undefined && personOf.has(c.conversationId ?? ''));
    const postedAtKill = new Set(acceptedSends(callsAtKill).map((c) => personOf.get(c.conversationId ?? '')));
    const inFlight = new Set(atKill.filter((row) => row.status === 'leased').map((row) => row.personId));
    result.inFlight = inFlight.size;
    result.inFlightPosted = [...inFlight].filter((personId) => postedAtKill.has(personId)).length;
    const firstSends = acceptedSends(callsAtKill);
    result.sendsPerSecond =
      firstSends.length / Math.max(0.001, ((firstSends[firstSends.length - 1]?.at ?? startedAt) - (firstSends[0]?.at ?? startedAt)) / 1000);

    const restartedAt = Date.now();
    const second = await start('second');
    servers.push(second);
    await until(
      `all ${n} prompts recorded as sent`,
      async () => {
        const rows = await promptRows(tables, tenantId);
        return rows.length === n && rows.every((row) => row.status === 'sent');
      },
      LEASE_MS + timeoutMs,
    );
    result.drainMs = Date.now() - restartedAt;
    await second.stop();
    result.resentLogged = second.logged(SENT_LOG).filter((entry) => entry.tenantId === tenantId && entry.resent === true).length;

    const calls = await connector.calls();
    const sends = acceptedSends(calls);
    const perPerson = new Map<string, CallRecord[]>();
    for (const call of sends) {
      const personId = personOf.get(call.conversationId ?? '') ?? '?';
      perPerson.set(personId, [...(perPerson.get(personId) ?? []), call]);
    }
    result.lost = directory.people.filter((p) => !perPerson.has(p.id)).length;
    result.doubled = [...perPerson.values()].filter((list) => list.length > 1).length;
    const resentPrefix = translator('ja')('delivery.resent.prefix', { message: '' });
    const afterRestart = acceptedSends(calls.slice(callsAtKill.length));
    for (const call of afterRestart) {
      const isMarked = call.summary?.startsWith(resentPrefix) === true;
      if (inFlight.has(personOf.get(call.conversationId ?? '') ?? '')) {
        result.resends += 1;
        if (isMarked) result.marked += 1;
      } else if (isMarked) result.markedElsewhere += 1;
    }
    for (const call of acceptedSends(callsAtKill)) if (call.summary?.startsWith(resentPrefix)) result.markedElsewhere += 1;
    // The send a row records is the last one answered to its person before the row was written.
    for (const row of await promptRows(tables, tenantId)) {
      const answered = (perPerson.get(row.personId) ?? []).filter((c) => !c.unanswered && c.answeredAt !== undefined && c.answeredAt <= row.recordedAt);
      const send = answered[answered.length - 1];
      if (!send?.answeredAt || !Number.isFinite(row.recordedAt)) continue;
      result.answerToRecord.push(row.recordedAt - send.answeredAt);
      result.acceptToRecord.push(row.recordedAt - send.at);
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    for (const server of servers) await server.kill();
    await connector.stop();
    // Off the schedulers' list, so the next trial's servers do not serve this tenant.
    await tables
      .table(TABLES.orgSettings)
      .deleteEntity(tenantId, 'org')
      .catch(() => undefined);
  }
  return result;
}

const sum = (values: readonly number[]): number => values.reduce((total, v) => total + v, 0);
const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : sum(values) / values.length);
function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
const ms = (values: readonly number[]): string => `p50 ${percentile(values, 0.5)} ms, p95 ${percentile(values, 0.95)} ms, max ${Math.max(0, ...values)} ms`;
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');
const ordinal = (n: number): string =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/**
 * A fan-out through the real server (src/main.ts) killed with SIGKILL mid-send, restarted and drained,
 * `--trials` times per latency: nobody may be lost; a prompt Teams accepted before the kill but hibi never
 * recorded is posted again, so doubled ≤ in flight, and every resend must say 再送.
 */
export async function killBench(options: BenchOptions): Promise<void> {
  const n = options.killPeople;
  console.log('');
  console.log('hibi kill -9 benchmark: a fan-out through the real server, killed mid-send, restarted, drained');
  console.log(`load      ${loadLine()} before the run`);
  console.log(
    `settings  n=${n} people; double: ${options.rate}/s global + Teams' per-conversation windows; DELIVERY_GLOBAL_PER_SECOND=${options.globalPerSecond}, OUTBOX_CONCURRENCY=${options.concurrency ?? "config's"}, OUTBOX_LEASE_MS=${LEASE_MS}`,
  );
  console.log(`          ${options.trials} trials per latency, killed at the k-th send the double accepts (k spread over the fan-out)`);
  const azurite = await startAzurite({ port: await freePort() });
  const trials: Trial[] = [];
  try {
    const tables = new TableClientFactory(azurite.connectionString);
    await tables.ensureTables(ALL_TABLES);
    for (const latencyMs of options.killLatencies) {
      console.log(`latency   ${latencyMs} ms before each answer of the double`);
      for (let i = 1; i <= options.trials; i++) {
        const killAfter = Math.max(1, Math.round((i * n) / (options.trials + 1)));
        const t = await trial(tables, azurite.connectionString, options, latencyMs, killAfter);
        trials.push(t);
        if (t.error) console.log(`trial ${i}   ERROR ${t.error}`);
        else
          console.log(
            `trial ${i}   killed at the ${ordinal(killAfter)} accepted send: in flight ${t.inFlight} (claimed, no outcome recorded; ${t.inFlightPosted} already posted) → lost ${t.lost}, doubled ${t.doubled}, resent ${t.resends} (${t.marked} marked 再送, logged ${t.resentLogged}); drained ${(t.drainMs / 1000).toFixed(1)} s after the restart`,
          );
      }
    }
  } finally {
    await azurite.stop();
  }
  console.log(`load      ${loadLine()} after the run`);
  const done = trials.filter((t) => !t.error);
  console.log('');
  console.log('── goals ──────────────────────────────────────────────────────────────');
  console.log(
    `lost      ${sum(done.map((t) => t.lost))} over ${done.length} of ${trials.length} trials   (goal 0)   ${verdict(done.length === trials.length && done.every((t) => t.lost === 0))}`,
  );
  console.log(
    `doubled   ${sum(done.map((t) => t.doubled))}, in flight at the kills ${sum(done.map((t) => t.inFlight))}   (goal doubled ≤ in flight, each trial)   ${verdict(done.length > 0 && done.every((t) => t.doubled <= t.inFlight))}`,
  );
  console.log(
    `marked    ${sum(done.map((t) => t.marked))} of ${sum(done.map((t) => t.resends))} resends said 再送, ${sum(done.map((t) => t.markedElsewhere))} other sends did   (goal all, none)   ${verdict(done.length > 0 && done.every((t) => t.marked === t.resends && t.markedElsewhere === 0))}`,
  );
  console.log('');
  console.log('── details ────────────────────────────────────────────────────────────');
  for (const latencyMs of options.killLatencies) {
    const group = done.filter((t) => t.latencyMs === latencyMs);
    if (group.length === 0) continue;
    const answerToRecord = group.flatMap((t) => t.answerToRecord);
    const acceptToRecord = group.flatMap((t) => t.acceptToRecord);
    const rate = mean(group.map((t) => t.sendsPerSecond));
    console.log(`${`${latencyMs} ms`.padEnd(10)}Teams' answer → row recorded sent: ${ms(answerToRecord)} (${answerToRecord.length} sends)`);
    console.log(`          Teams accepting → row recorded sent: ${ms(acceptToRecord)}, mean ${mean(acceptToRecord).toFixed(1)} ms`);
    console.log(
      `          at risk: ${rate.toFixed(1)} sends/s × ${(mean(acceptToRecord) / 1000).toFixed(3)} s = ${((rate * mean(acceptToRecord)) / 1000).toFixed(2)} sends accepted but unrecorded at any moment (what a kill at a random moment doubles); measured ${(sum(group.map((t) => t.doubled)) / group.length).toFixed(2)} doubled, ${(sum(group.map((t) => t.inFlight)) / group.length).toFixed(2)} in flight per kill`,
    );
  }
}
