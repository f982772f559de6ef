import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConversationReferencesRepository } from '../src/delivery/conversation-references.repository';
import { CheckinRepository } from '../src/features/checkin/checkin.repository';
import { OrgRepository } from '../src/directory/org.repository';
import type { Person } from '../src/directory/org.schema';
import { startAzurite } from '../src/storage/azurite';
import { TableClientFactory } from '../src/storage/table-client-factory';
import { APP_TABLES } from '../src/app-tables';
import { startConnectorProcess } from './connector-process';
import { startIngestionDouble } from './ingestion-double';
import { syntheticDirectory } from './directory';
import type { MemoryChildCommand, MemoryChildReply, MemorySample, PhasePeak } from './memory-child';
import type { BenchOptions } from './args';
import { memoryOf, mib, type ProcessMemory } from './processes';
import { cardSubmitActivity, freePort, inBatches, loadLine, saveBenchReferences } from './setup';

/** Issue 17: at most this much resident at any moment of a 10,000-person day. */
const PEAK_GOAL_BYTES = 200 * 2 ** 20;
/** Issue 17: at most this much resident once hibi has started and caught up. */
const START_GOAL_BYTES = 120 * 2 ** 20;
/** A Wednesday office day: no monthly or weekly digests, the plain daily rhythm. */
const DAY = '2026-06-03';
/** Four in five answer each check-in, so the reminders go to the rest. */
const answers = (people: readonly Person[]): Person[] => people.filter((_, i) => i % 5 !== 0);
/**
 * Of those answers, how many go through hibi's /api/messages; the rest are written to the check-ins
 * table directly by the benchmark, since turns are the turn benchmark's subject and here each costs
 * ten table operations on the one Azurite that the fan-out needs too.
 */
const POSTED_ANSWERS = 1_000;

type StageReply = Extract<MemoryChildReply, { type: 'stage' }>;
type StartedReply = Extract<MemoryChildReply, { type: 'started' }>;

const ROOT = path.join(__dirname, '..');

/**
 * memory-child.ts and everything it imports, compiled to CommonJS in a temporary folder (type checks
 * are lint's job): the tsx loader `npm start` uses would add its own ~30 MB to what is measured.
 */
async function compileChild(): Promise<{ entry: string; echoBot: string; remove: () => Promise<void> }> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'hibi-memory-'));
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = [
    '--outDir',
    outDir,
    '--rootDir',
    ROOT,
    '--target',
    'ES2022',
    '--module',
    'commonjs',
    '--moduleResolution',
    'node',
    '--esModuleInterop',
    '--resolveJsonModule',
    '--skipLibCheck',
    '--types',
    'node',
    '--noCheck',
  ];
  const entries = ['memory-child.ts', 'echo-bot.ts'].map((file) => path.join(ROOT, 'bench', file));
  await promisify(execFile)(process.execPath, [tsc, ...entries, ...flags], { cwd: ROOT });
  await symlink(path.join(ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  return {
    entry: path.join(outDir, 'bench', 'memory-child.js'),
    echoBot: path.join(outDir, 'bench', 'echo-bot.js'),
    remove: () => rm(outDir, { recursive: true, force: true }),
  };
}

/**
 * What node needs for the libraries alone: botbuilder's echo bot on restify with the Azure Tables
 * client (bench/echo-bot.ts, compiled as hibi is), listening and idle. hibi cannot start below it.
 */
async function bareBotMemory(echoBot: string, connectionString: string): Promise<ProcessMemory | undefined> {
  const child = spawn(process.execPath, [echoBot], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', STORE_CONNECTION_STRING: connectionString },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('echo bot listening')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`echo bot exited (${code})`)));
    });
    return child.pid === undefined ? undefined : memoryOf(child.pid);
  } finally {
    child.kill('SIGKILL');
  }
}

/** Talks to bench/memory-child.ts: one command, its one answer. */
function childChannel(child: ChildProcess): (command: MemoryChildCommand) => Promise<MemoryChildReply> {
  return (command) =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: MemoryChildReply): void => {
        cleanup();
        if (reply.type === 'failed') reject(new Error(`memory child: ${reply.message}`));
        else resolve(reply);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`memory child exited (${code})`));
      };
      const cleanup = (): void => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(command);
    });
}

const memoryLine = (m: MemorySample): string =>
  `RSS ${mib(m.rss)}, after GC ${mib(m.rssAfterGc)} (anonymous ${mib(m.rssAnonAfterGc)}; heap ${mib(m.heapUsed)} of ${mib(m.heapTotal)}, external ${mib(m.external)}), peak ${mib(m.peakRss)}`;
const verdict = (bytes: number | undefined, goal: number): string => (bytes !== undefined && bytes < goal ? 'PASS' : 'MISS');

/**
 * hibi's resident memory with a directory of `count` people through one office day: the morning and
 * evening prompts to everyone, the reminders, the 課長's summaries, and the check-in answers posted to
 * its /api/messages in between. Measured in hibi's own process (bench/memory-child.ts); Azurite and the
 * connector double run in theirs. `part` shortens the day for iterating: only the start, or the start
 * and the morning prompts (the largest fan-out).
 */
export async function memoryBench(count: number, part: BenchOptions['memoryDay'] = 'day', telemetry = true): Promise<void> {
  console.log('');
  console.log(
    `hibi memory benchmark: ${count.toLocaleString('en')} people and ${part === 'day' ? 'one office day' : part === 'morning' ? 'the morning prompts' : 'the start'} in one process`,
  );
  console.log(`load      ${loadLine()} before the run`);
  const compiled = await compileChild();
  const azurite = await startAzurite({ port: await freePort() });
  const connector = await startConnectorProcess({ globalPerSecond: 1000 });
  const ingestion = telemetry ? await startIngestionDouble() : undefined;
  const forkHibi = (): ChildProcess =>
    fork(compiled.entry, [], {
      cwd: ROOT,
      execArgv: ['--expose-gc'],
      // Azure Monitor turns the Azure SDK's warnings on; the Tables SDK's one per client made would bury the figures.
      env: { ...process.env, APPLICATIONINSIGHTS_INSTRUMENTATION_LOGGING_LEVEL: 'ERROR', ...(ingestion ? { NODE_EXTRA_CA_CERTS: ingestion.certFile } : {}) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  const children: ChildProcess[] = [];
  try {
    const tables = new TableClientFactory(azurite.connectionString);
    await tables.ensureTables(APP_TABLES);
    const tenantId = randomUUID();
    const directory = syntheticDirectory(count);
    const org = new OrgRepository(tables);
    const setupStarted = Date.now();
    await org.importDirectory(tenantId, directory);
    await org.saveSettings(tenantId, { defaultLocale: 'ja' });
    await saveBenchReferences(new ConversationReferencesRepository(tables), tenantId, directory.people, connector.serviceUrl);
    console.log(
      `setup     ${directory.people.length} people in ${directory.units.length} units imported, each with a personal chat stored, in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s (not measured)`,
    );
    console.log(
      ingestion
        ? 'telemetry hibi sends traces and metrics to Application Insights (a loopback double of its ingestion and live-metrics endpoints), as in production'
        : 'telemetry off (--memory-telemetry off): hibi without Azure Monitor, unlike production',
    );
    const bare = await bareBotMemory(compiled.echoBot, azurite.connectionString);
    console.log(
      `baseline  botbuilder's echo bot on restify with the Azure Tables client, listening, idle: RSS ${mib(bare?.rss)} (anonymous ${mib(bare?.rssAnon)})`,
    );

    const startHibi = async (label: string): Promise<{ ask: (command: MemoryChildCommand) => Promise<MemoryChildReply>; started: StartedReply }> => {
      const child = forkHibi();
      children.push(child);
      const ask = childChannel(child);
      const started = await ask({
        type: 'start',
        connectionString: azurite.connectionString,
        tenantId,
        at: `${DAY}T08:44:00+09:00`,
        ...(ingestion ? { telemetry: ingestion.connectionString } : {}),
      });
      if (started.type !== 'started') throw new Error('memory child did not start');
      for (const { step, memory } of started.steps) console.log(`${label} ${step}: ${memoryLine(memory)}`);
      console.log(`${label} listening and the scheduler's catch-up tick done (${started.caughtUp} jobs ran): ${memoryLine(started.memory)}`);
      return { ask, started };
    };
    // hibi's first start on this town at 08:44: its catch-up runs the night's jobs (KPI rollup, retention) and
    // records every 課長–member pair for the 1on1 cadence, once. Then the process measured: a restart the same
    // morning (a deploy, a crash), which finds all that done, as any later start does.
    const first = await startHibi('first     ');
    await first.ask({ type: 'stop' }).catch(() => undefined);
    const { ask, started } = await startHibi('restart   ');

    const post = (person: Person, value: Record<string, unknown>): Promise<void> =>
      fetch(`http://127.0.0.1:${started.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(cardSubmitActivity(tenantId, connector.serviceUrl, person, value)),
      }).then(async (response) => {
        await response.text();
        if (!response.ok) throw new Error(`check-in answered ${response.status}`);
      });
    const checkins = new CheckinRepository(tables);
    const answer = async (slot: 'morning' | 'evening'): Promise<void> => {
      const fields = slot === 'morning' ? { priority: '窓口対応', needHelp: 'false', condition: '4' } : { done: '窓口対応', overtime: '30', satisfaction: '4' };
      const people = answers(directory.people);
      const posted = people.slice(0, POSTED_ANSWERS);
      const from = Date.now();
      await inBatches(posted, 16, (person) => post(person, { verb: 'checkin.submit', slot, day: DAY, ...fields }));
      const seconds = (Date.now() - from) / 1000;
      const now = new Date().toISOString();
      const stored = people.slice(POSTED_ANSWERS);
      await inBatches(stored, 32, async (person) => {
        await checkins.save({
          tenantId,
          unit: person.unit ?? '',
          day: DAY,
          slot,
          personId: person.id,
          answers: slot === 'morning' ? { priority: '窓口対応', needHelp: false, condition: 4 } : { done: '窓口対応', overtime: 30, satisfaction: 4 },
          createdAt: now,
          updatedAt: now,
        });
      });
      console.log(
        `answers   ${posted.length} ${slot} check-ins posted to its /api/messages (${(posted.length / seconds).toFixed(0)}/s), ${stored.length} more written to storage directly`,
      );
    };
    let last: StageReply | undefined;
    const stage = async (time: string, what: string): Promise<void> => {
      const reply = await ask({ type: 'stage', at: `${DAY}T${time}:00+09:00` });
      if (reply.type !== 'stage') throw new Error('memory child did not run the stage');
      last = reply;
      console.log(
        `${time}     ${what}: ${reply.jobs} jobs, ${reply.sent} sent (${reply.retried} retried, ${reply.failed} failed) in ${(reply.ms / 1000).toFixed(1)} s; ${memoryLine(reply.memory)}`,
      );
      const peak = (p: PhasePeak): string => `RSS ${mib(p.rss)}, heap used ${mib(p.heapUsed)}`;
      console.log(`          most while the jobs ran: ${peak(reply.peaks.jobs)}; while delivering: ${peak(reply.peaks.delivery)}`);
    };

    if (part !== 'start') await stage('08:45', 'morning prompts');
    if (part === 'day') {
      await answer('morning');
      await stage('09:15', 'morning reminders');
      await stage('11:00', 'morning summaries');
      await stage('17:00', 'evening prompts');
      await answer('evening');
      await stage('17:30', 'evening reminders');
      await stage('19:00', 'evening summaries');
    }

    console.log(`load      ${loadLine()} after the run`);
    const calls = await connector.calls();
    const sends = calls.filter((c) => c.kind === 'send');
    const end = last?.memory ?? started.memory;
    const through = part === 'day' ? 'the day' : part === 'morning' ? "the morning prompts (short run: not the goal's whole day)" : 'the start (short run)';
    console.log('');
    console.log('── goals ──────────────────────────────────────────────────────────────');
    const startGoal = (m: MemorySample): string => `${mib(m.rssAfterGc)}   (goal < ${mib(START_GOAL_BYTES)})   ${verdict(m.rssAfterGc, START_GOAL_BYTES)}`;
    console.log(`start     RSS after a restart and its catch-up tick, after a full GC: ${startGoal(started.memory)}`);
    console.log(`start     RSS after the first start on this town (night's jobs, 1on1 pairs recorded), after a full GC: ${startGoal(first.started.memory)}`);
    console.log(`peak      ${mib(end.peakRss)} at most through ${through}   (goal < ${mib(PEAK_GOAL_BYTES)})   ${verdict(end.peakRss, PEAK_GOAL_BYTES)}`);
    console.log('');
    console.log('── details ────────────────────────────────────────────────────────────');
    console.log(`after     the last stage, after a full GC: ${mib(end.rssAfterGc)}; as found: ${mib(end.rss)}`);
    console.log(
      `sends     ${sends.filter((c) => c.refusedBy === undefined).length} proactive messages accepted by the double, ${sends.filter((c) => c.refusedBy !== undefined).length} refused (429)`,
    );
    console.log(`logs      ${last?.logLines ?? 0} log lines at info (counted, dropped)`);
    if (ingestion) console.log(`telemetry ${ingestion.batches()} batches posted to the ingestion double, ${ingestion.liveCalls()} live-metrics calls`);
    await ask({ type: 'stop' }).catch(() => undefined);
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await connector.stop();
    await ingestion?.stop();
    await azurite.stop();
    await compiled.remove();
  }
}
