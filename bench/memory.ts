import { execFile, fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConversationReferencesRepository } from '../src/delivery/conversation-references.repository';
import { CheckinRepository } from '../src/features/checkin/checkin.repository';
import { OrgRepository } from '../src/features/org/org.repository';
import type { Person } from '../src/features/org/org.schema';
import { startAzurite } from '../src/storage/azurite';
import { TableClientFactory } from '../src/storage/table-client-factory';
import { ALL_TABLES } from '../src/storage/table-names';
import { startConnectorProcess } from './connector-process';
import { syntheticDirectory } from './directory';
import type { MemoryChildCommand, MemoryChildReply, MemorySample, PhasePeak } from './memory-child';
import { mib } from './processes';
import { cardSubmitActivity, freePort, inBatches, loadLine, saveBenchReferences } from './setup';

const RSS_GOAL_BYTES = 200 * 2 ** 20;
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

const ROOT = path.join(__dirname, '..');

/**
 * memory-child.ts and everything it imports, compiled to CommonJS in a temporary folder (type checks
 * are lint's job): the tsx loader `npm start` uses would add its own ~30 MB to what is measured.
 */
async function compileChild(): Promise<{ entry: string; remove: () => Promise<void> }> {
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
  await promisify(execFile)(process.execPath, [tsc, path.join(ROOT, 'bench', 'memory-child.ts'), ...flags], { cwd: ROOT });
  await symlink(path.join(ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  return { entry: path.join(outDir, 'bench', 'memory-child.js'), remove: () => rm(outDir, { recursive: true, force: true }) };
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
const verdict = (bytes: number | undefined): string => (bytes !== undefined && bytes < RSS_GOAL_BYTES ? 'PASS' : 'MISS');

/**
 * hibi's resident memory with a directory of `count` people through one office day: the morning and
 * evening prompts to everyone, the reminders, the 課長's summaries, and the check-in answers posted to
 * its /api/messages in between. Measured in hibi's own process (bench/memory-child.ts); Azurite and the
 * connector double run in theirs.
 */
export async function memoryBench(count: number): Promise<void> {
  console.log('');
  console.log(`hibi memory benchmark: ${count.toLocaleString('en')} people and one office day of fan-out in one process`);
  console.log(`load      ${loadLine()} before the run`);
  const compiled = await compileChild();
  const azurite = await startAzurite({ port: await freePort() });
  const connector = await startConnectorProcess({ globalPerSecond: 1000 });
  const child = fork(compiled.entry, [], { cwd: ROOT, execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const tables = new TableClientFactory(azurite.connectionString);
    await tables.ensureTables(ALL_TABLES);
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

    const ask = childChannel(child);
    const started = await ask({ type: 'start', connectionString: azurite.connectionString, tenantId, at: `${DAY}T08:44:00+09:00` });
    if (started.type !== 'started') throw new Error('memory child did not start');
    console.log(`started   hibi (compiled, plain node) listening; ${memoryLine(started.memory)}`);

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

    await stage('08:45', 'morning prompts');
    await answer('morning');
    await stage('09:15', 'morning reminders');
    await stage('11:00', 'morning summaries');
    await stage('17:00', 'evening prompts');
    await answer('evening');
    await stage('17:30', 'evening reminders');
    await stage('19:00', 'evening summaries');

    console.log(`load      ${loadLine()} after the run`);
    const calls = await connector.calls();
    const sends = calls.filter((c) => c.kind === 'send');
    const end = last?.memory;
    console.log('');
    console.log('── goals ──────────────────────────────────────────────────────────────');
    console.log(`RSS       after the day, after a full GC: ${mib(end?.rssAfterGc)}   (goal < ${mib(RSS_GOAL_BYTES)})   ${verdict(end?.rssAfterGc)}`);
    console.log(`RSS       after the day, as found (garbage not yet collected): ${mib(end?.rss)}   (same goal)   ${verdict(end?.rss)}`);
    console.log(`peak      ${mib(end?.peakRss)} at most during the day   (same goal)   ${verdict(end?.peakRss)}`);
    console.log('');
    console.log('── details ────────────────────────────────────────────────────────────');
    console.log(
      `sends     ${sends.filter((c) => c.refusedBy === undefined).length} proactive messages accepted by the double, ${sends.filter((c) => c.refusedBy !== undefined).length} refused (429)`,
    );
    console.log(`logs      ${last?.logLines ?? 0} log lines at info (counted, dropped)`);
    await ask({ type: 'stop' }).catch(() => undefined);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await connector.stop();
    await azurite.stop();
    await compiled.remove();
  }
}
