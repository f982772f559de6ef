import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { odata } from '@azure/data-tables';
import autocannon from 'autocannon';
import { addDays, isOfficeDay } from '../src/calendar/office-calendar';
import { ConversationReferencesRepository } from '../src/delivery/conversation-references.repository';
import { CHECKIN_TABLES } from '../src/features/checkin/checkin.repository';
import { CHECKIN_DAYS_BACK } from '../src/features/checkin/checkin.service';
import { OneOnOneRepository } from '../src/features/oneonone/oneonone.repository';
import { OpenActions } from '../src/features/oneonone/open-actions';
import { OpenActionsIndex } from '../src/features/oneonone/open-actions.repository';
import { PrivateTexts } from '../src/features/oneonone/private-texts.repository';
import { OrgRepository } from '../src/directory/org.repository';
import { startAzurite } from '../src/storage/azurite';
import { TableClientFactory } from '../src/storage/table-client-factory';
import { APP_TABLES } from '../src/app-tables';
import { startConnectorProcess } from './connector-process';
import { syntheticDirectory } from './directory';
import { cpuMsOf, startServerProcess, type ServerUnderTest } from './processes';
import { cardSubmitActivity, freePort, inBatches, loadLine, saveBenchReferences } from './setup';

/** hibi against the echo bot that writes one row: the cost of hibi's own work at most 43% over one storage write. */
const RATIO_GOAL = 0.7;
const P95_GOAL_MS = 50;
/** Distinct people submitting, so no conversation nears Teams' per-chat limits at the double. */
const PEOPLE = 2_000;
const WARMUP_SECONDS = 3;
const SATURATED_SECONDS = 15;
const SATURATED_CONNECTIONS = 16;
const ROUNDS = 2;
/** One request at a time: the latency of a turn itself, with no queue in front of it. */
const SEQUENTIAL_SECONDS = 10;
/**
 * Offered, not as fast as answered: latency when submits arrive at a rate hibi can serve. 25/s is a
 * 10,000-person city answering its morning prompt within seven minutes; Atsuma's 116 make 2/s at most.
 */
const STEADY_PER_SECOND = 25;
const STEADY_SECONDS = 15;

/** CPU used per answered turn by each process a turn runs through, ms. */
interface TurnCpu {
  server: number;
  storage: number;
  connector: number;
  loadTool: number;
}

interface LoadResult {
  cpu: TurnCpu;
  seconds: number;
  ok: number;
  failed: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/** CPU used so far by every process a turn runs through, ms. */
function cpuNow(server: ServerUnderTest, others: { storage: number; connector: number }): TurnCpu {
  return { server: cpuMsOf(server.pid), storage: cpuMsOf(others.storage), connector: cpuMsOf(others.connector), loadTool: cpuMsOf('self') };
}

function cpuPerTurn(before: TurnCpu, after: TurnCpu, turns: number): TurnCpu {
  const per = (key: keyof TurnCpu): number => (after[key] - before[key]) / Math.max(1, turns);
  return { server: per('server'), storage: per('storage'), connector: per('connector'), loadTool: per('loadTool') };
}

/**
 * Each contender's own walk through the submits, carried on from run to run: hibi sees every
 * person's morning submit of a day once (as on a real morning) until it has served them all.
 */
interface Feed {
  next(): string;
  served(): number;
}

function feedOf(bodies: readonly string[]): Feed {
  let at = 0;
  return { next: () => bodies[at++ % bodies.length] ?? '', served: () => at };
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** One autocannon run of the contender's submits in turn; latencies from each response as it completes. */
async function load(
  server: ServerUnderTest,
  others: { storage: number; connector: number },
  feed: Feed,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const cpuBefore = cpuNow(server, others);
  const times: number[] = [];
  let ok = 0;
  let failed = 0;
  const running = autocannon({
    url: `http://127.0.0.1:${server.port}/api/messages`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: feed.next() }),
      },
    ],
  });
  // autocannon's promise is also its event emitter; the typings only say the former.
  (running as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms);
    if (status >= 200 && status < 300) ok += 1;
    else failed += 1;
  });
  const result = await running;
  const cpuAfter = cpuNow(server, others);
  times.sort((a, b) => a - b);
  return {
    cpu: cpuPerTurn(cpuBefore, cpuAfter, ok),
    seconds: result.duration,
    ok,
    failed,
    errors: result.errors,
    perSecond: ok / result.duration,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
  };
}

/** A fixed-seed generator, so every run offers the same arrival times. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Submits arriving on their own, as people press 送信 (a Poisson stream of `perSecond`), each sent
 * the moment it arrives whatever is in flight: latency at a load below capacity. autocannon's rate
 * option fires all its connections together on each tick, which measures bursts instead.
 */
async function offered(
  server: ServerUnderTest,
  others: { storage: number; connector: number },
  feed: Feed,
  seconds: number,
  perSecond: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true });
  const random = seededRandom(20261125);
  const post = (body: string): Promise<{ status: number; ms: number }> =>
    new Promise((resolve) => {
      const started = performance.now();
      const request = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/messages',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
        },
      );
      request.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
      request.end(body);
    });
  const cpuBefore = cpuNow(server, others);
  const began = performance.now();
  const answers: Promise<{ status: number; ms: number }>[] = [];
  for (let at = 0; at < seconds * 1000; at += (-Math.log(1 - random()) * 1000) / perSecond) {
    const wait = began + at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    answers.push(post(feed.next()));
  }
  const results = await Promise.all(answers);
  const elapsed = (performance.now() - began) / 1000;
  const cpuAfter = cpuNow(server, others);
  agent.destroy();
  const ok = results.filter((r) => r.status >= 200 && r.status < 300).length;
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    cpu: cpuPerTurn(cpuBefore, cpuAfter, ok),
    seconds: elapsed,
    ok,
    failed: results.filter((r) => r.status !== 0 && (r.status < 200 || r.status >= 300)).length,
    errors: results.filter((r) => r.status === 0).length,
    perSecond: ok / elapsed,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
  };
}

const line = (label: string, r: LoadResult): string =>
  `${label.padEnd(22)} ${r.perSecond.toFixed(1).padStart(7)}/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (${r.ok} ok, ${r.failed} non-2xx, ${r.errors} errors, ${r.seconds.toFixed(1)} s)`;
const cpuTotal = (r: LoadResult): number => r.cpu.server + r.cpu.storage + r.cpu.connector + r.cpu.loadTool;
const cpuLine = (label: string, r: LoadResult): string => {
  const { server, storage, connector, loadTool } = r.cpu;
  return `${label.padEnd(22)} ${cpuTotal(r).toFixed(2)} ms = server ${server.toFixed(2)} + Azurite ${storage.toFixed(2)} + connector double ${connector.toFixed(2)} + autocannon ${loadTool.toFixed(2)}`;
};
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'MISS');

/** The office days a check-in submitted on `today` may name: each person answers each of them once. */
function answerableDays(today: string): string[] {
  const days: string[] = [];
  for (let back = 0; back <= CHECKIN_DAYS_BACK; back++) if (isOfficeDay(addDays(today, -back))) days.push(addDays(today, -back));
  return days;
}

/**
 * Morning check-in submits through hibi's /api/messages (tenant gate, directory lookup, zod, the
 * check-in stored, the 1on1 actions past due looked up, the card updated at the connector) against
 * botbuilder's bare echo bot on restify, and against that echo bot writing one Azurite row per turn
 * (the floor for any bot that stores). The town is as hibi keeps it after its first morning:
 * everyone's personal chat stored (as installed) and their open 1on1 actions index built. Each
 * contender its own process, loaded with the same bodies by the same autocannon in this process,
 * all answering the same connector double (its own process). Interleaved rounds, so a busy moment
 * on the shared machine falls on all. The CPU each process spends per turn is read from /proc,
 * which says what the rates would be on cores of their own.
 */
export async function turnsBench(): Promise<void> {
  console.log('');
  console.log('hibi turn benchmark: morning check-in submits through /api/messages vs a bare botbuilder echo bot and one that writes a row');
  console.log(`load      ${loadLine()} before the run`);
  const azurite = await startAzurite({ port: await freePort() });
  const connector = await startConnectorProcess({ globalPerSecond: 100_000 });
  const servers: ServerUnderTest[] = [];
  try {
    const tables = new TableClientFactory(azurite.connectionString);
    await tables.ensureTables(APP_TABLES);
    const tenantId = randomUUID();
    const directory = syntheticDirectory(PEOPLE);
    const org = new OrgRepository(tables, 600_000);
    await org.importDirectory(tenantId, directory);
    await saveBenchReferences(new ConversationReferencesRepository(tables), tenantId, directory.people, connector.serviceUrl);
    const openActions = new OpenActions({
      index: new OpenActionsIndex(tables),
      meetings: new OneOnOneRepository(tables),
      texts: new PrivateTexts(tables),
      org,
    });
    await inBatches(directory.people, 32, async (person) => void (await openActions.of(tenantId, person.id)));
    const today = '2026-06-03';
    const days = answerableDays(today);
    const bodies = days.flatMap((day) =>
      directory.people.map((person) =>
        JSON.stringify(
          cardSubmitActivity(tenantId, connector.serviceUrl, person, {
            verb: 'checkin.submit',
            slot: 'morning',
            day,
            priority: '窓口の混雑に備えて受付票を準備する',
            purpose: '待ち時間を短くするため',
            trouble: '',
            needHelp: 'false',
            condition: '4',
          }),
        ),
      ),
    );
    const echo = await startServerProcess('echo', 'bench/echo-bot.ts', { PORT: '0' }, 'echo bot listening');
    servers.push(echo);
    const echoStore = await startServerProcess(
      'echo+write',
      'bench/echo-bot.ts',
      { PORT: '0', STORE_CONNECTION_STRING: azurite.connectionString },
      'echo bot listening',
    );
    servers.push(echoStore);
    const hibi = await startServerProcess(
      'hibi',
      'src/main.ts',
      // The submits name the office days of the week before; hibi records a card only for those.
      { STORAGE_CONNECTION_STRING: azurite.connectionString, PORT: '0', SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'info', DEV_NOW: `${today}T09:00:00+09:00` },
      'hibi listening on /api/messages',
    );
    servers.push(hibi);
    const contenders = { echo, echoStore, hibi };
    type Contender = keyof typeof contenders;
    const names: Record<Contender, string> = { echo: 'echo', echoStore: 'echo+write', hibi: 'hibi' };
    const feeds: Record<Contender, Feed> = { echo: feedOf(bodies), echoStore: feedOf(bodies), hibi: feedOf(bodies) };
    console.log(
      `setup     ${PEOPLE} people imported, their personal chats stored and their open 1on1 actions index built; ${bodies.length} distinct morning submits (${days.length} office days × ${PEOPLE}), each contender taking them in turn; hibi (src/main.ts, LOG_LEVEL info, scheduler off), the echo bot and the echo bot that also upserts one Azurite row per turn (bench/echo-bot.ts) started`,
    );
    console.log(
      `load      autocannon: ${ROUNDS} interleaved rounds of ${SATURATED_SECONDS} s at ${SATURATED_CONNECTIONS} connections (as fast as each answers), after ${WARMUP_SECONDS} s warm-up each; then ${SEQUENTIAL_SECONDS} s each at 1 connection; then each offered ${STEADY_PER_SECOND}/s arriving at random (Poisson, fixed seed) for ${STEADY_SECONDS} s`,
    );

    const others = { storage: azurite.pid, connector: connector.pid };
    const each = async (seconds: number, connections: number): Promise<Record<Contender, LoadResult>> => ({
      echo: await load(echo, others, feeds.echo, seconds, connections),
      echoStore: await load(echoStore, others, feeds.echoStore, seconds, connections),
      hibi: await load(hibi, others, feeds.hibi, seconds, connections),
    });
    const warmup = await each(WARMUP_SECONDS, SATURATED_CONNECTIONS);
    const rounds: Record<Contender, LoadResult>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const results = await each(SATURATED_SECONDS, SATURATED_CONNECTIONS);
      rounds.push(results);
      for (const who of Object.keys(contenders) as Contender[]) console.log(line(`${names[who]}, round ${round}`, results[who]));
    }
    const sequential = await each(SEQUENTIAL_SECONDS, 1);
    for (const who of Object.keys(contenders) as Contender[]) console.log(line(`${names[who]}, one at a time`, sequential[who]));
    const steady = {
      echoStore: await offered(echoStore, others, feeds.echoStore, STEADY_SECONDS, STEADY_PER_SECOND),
      hibi: await offered(hibi, others, feeds.hibi, STEADY_SECONDS, STEADY_PER_SECOND),
    };
    console.log(line(`echo+write, ${STEADY_PER_SECOND}/s offered`, steady.echoStore));
    console.log(line(`hibi, ${STEADY_PER_SECOND}/s offered`, steady.hibi));
    const loadAfter = loadLine();
    console.log(`load      ${loadAfter} after the run`);

    const rate = (who: Contender): number => rounds.reduce((total, r) => total + r[who].ok / r[who].seconds, 0) / rounds.length;
    const ratio = rate('hibi') / rate('echoStore');
    const saturatedP95 = Math.max(...rounds.map((r) => r.hibi.p95));

    // Every turn answered Teams: hibi updates the submitted card in place (PUT), the echo bots reply (POST).
    const calls = await connector.calls();
    const answered = {
      hibi: calls.filter((c) => c.kind === 'update' && c.refusedBy === undefined).length,
      echo: calls.filter((c) => c.kind === 'reply' && c.refusedBy === undefined).length,
    };
    const okTotal = (...who: Contender[]): number => [warmup, ...rounds, sequential].reduce((total, r) => total + who.reduce((sum, w) => sum + r[w].ok, 0), 0);
    let rows = 0;
    for await (const _ of tables
      .table(CHECKIN_TABLES.checkins)
      .listEntities({ queryOptions: { filter: odata`PartitionKey ge ${tenantId} and PartitionKey lt ${`${tenantId}~`}`, select: ['RowKey'] } }))
      rows += 1;
    const last = rounds[rounds.length - 1] as Record<Contender, LoadResult>;

    console.log('');
    console.log('── goals ──────────────────────────────────────────────────────────────');
    console.log(
      `ratio     hibi ${rate('hibi').toFixed(1)}/s ÷ echo+write ${rate('echoStore').toFixed(1)}/s = ${ratio.toFixed(2)}   (goal ≥ ${RATIO_GOAL})   ${verdict(ratio >= RATIO_GOAL)}   [${loadAfter}]`,
    );
    console.log(
      `p95       hibi offered ${STEADY_PER_SECOND}/s at random: ${steady.hibi.p95.toFixed(1)} ms (${steady.hibi.perSecond.toFixed(1)}/s answered; echo+write ${steady.echoStore.p95.toFixed(1)} ms)   (goal < ${P95_GOAL_MS} ms)   ${verdict(steady.hibi.p95 < P95_GOAL_MS)}   [${loadAfter}]`,
    );
    console.log('');
    console.log('── details ────────────────────────────────────────────────────────────');
    console.log(
      `bare      hibi ÷ echo ${rate('echo').toFixed(1)}/s = ${(rate('hibi') / rate('echo')).toFixed(2)}; echo+write ÷ echo = ${(rate('echoStore') / rate('echo')).toFixed(2)} (what one storage write per turn costs on this machine)`,
    );
    console.log(
      `p95       one turn at a time: hibi ${sequential.hibi.p95.toFixed(1)} ms, echo+write ${sequential.echoStore.p95.toFixed(1)} ms, echo ${sequential.echo.p95.toFixed(1)} ms; saturated (${SATURATED_CONNECTIONS} connections, worst round, a queue of 16): hibi ${saturatedP95.toFixed(1)} ms, echo+write ${Math.max(...rounds.map((r) => r.echoStore.p95)).toFixed(1)} ms, echo ${Math.max(...rounds.map((r) => r.echo.p95)).toFixed(1)} ms`,
    );
    console.log(
      `answered  connector double got ${answered.hibi} card updates from hibi (${okTotal('hibi') + steady.hibi.ok} submits answered 2xx) and ${answered.echo} echo replies (${okTotal('echo', 'echoStore') + steady.echoStore.ok}); a turn in flight when a run ends still answers Teams`,
    );
    console.log(
      `stored    ${rows} check-in rows in Azurite for ${PEOPLE} people; hibi was sent ${feeds.hibi.served()} submits, ${Math.max(0, feeds.hibi.served() - bodies.length)} of them a second of the same person and day`,
    );
    console.log(`logs      hibi wrote ${hibi.lines()} log lines at info`);
    // When the cores are the limit, the throughput ratio follows the CPU each turn costs in all the processes it runs through.
    console.log('cpu/turn  CPU used per answered turn, by every process it ran through (last saturated round, then one at a time):');
    for (const who of Object.keys(contenders) as Contender[]) console.log(`          ${cpuLine(`${names[who]}, saturated`, last[who])}`);
    for (const who of Object.keys(contenders) as Contender[]) console.log(`          ${cpuLine(`${names[who]}, one at a time`, sequential[who])}`);
    console.log(
      `          echo+write ÷ hibi in CPU per turn, saturated: ${(cpuTotal(last.echoStore) / cpuTotal(last.hibi)).toFixed(2)} (the throughput ratio when the cores, not waiting, are the limit)`,
    );
  } finally {
    for (const server of servers) await server.stop();
    await connector.stop();
    await azurite.stop();
  }
}
