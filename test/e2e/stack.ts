import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { startPlayground, type RunningPlayground } from '../../src/dev/playground';
import { buildDemoOrg } from '../../src/directory/demo-org';
import type { OrgDirectory } from '../../src/directory/org.schema';
import { OrgRepository } from '../../src/directory/org.repository';
import { startAzurite, type RunningAzurite } from '../../src/storage/azurite';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { freePort } from '../helpers/free-port';
import { PLAYGROUND_TENANT_ID, writePlaygroundConfig } from './playground-config';
import { eventually, processDied, remainingMs, unlessDied } from './waits';

/**
 * The three processes `npm start` runs, on free ports and with throw-away storage, so an e2e run
 * never touches a developer's .data/ or a running `npm start`.
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** At the end of a file only: what a hibi that does not stop after SIGTERM gets before SIGKILL. */
const TEARDOWN_KILL_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function healthy(port: number): Promise<boolean> {
  try {
    // No deadline of its own: a port nobody listens on fails at once, and a busy hibi answers when it can.
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(remainingMs()) });
    await response.text();
    return response.ok;
  } catch {
    return false;
  }
}

export interface HibiEnv {
  /** Tokyo time hibi's clock starts at (DEV_NOW). */
  devNow: string;
  scheduler: boolean;
}

/**
 * hibi as `npm start` runs it (src/main.ts under tsx, configured only by environment), as a
 * child process so it can be restarted: the scheduler's catch-up at start is what the prompt flow uses.
 */
export class HibiProcess {
  private child: ChildProcess | undefined;
  private output = '';
  private devNow = '';
  private spawnedAt = 0;
  private healthyAt = 0;

  constructor(
    readonly port: number,
    private readonly connectionString: string,
    private readonly log: WriteStream,
  ) {}

  get endpoint(): string {
    return `http://localhost:${this.port}/api/messages`;
  }

  async start(env: HibiEnv): Promise<void> {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(this.port),
      STORAGE_CONNECTION_STRING: this.connectionString,
      DEV_TENANT_ID: PLAYGROUND_TENANT_ID,
      DEV_NOW: env.devNow,
      SCHEDULER_ENABLED: String(env.scheduler),
      LOG_LEVEL: 'info',
      // The worker's idle wait is 2 s by default; shorter keeps proactive flows quick without changing behaviour.
      OUTBOX_POLL_MS: '200',
    };
    // A developer's shell may hold a real bot identity; that would switch hibi to production mode.
    for (const name of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'ALLOWED_TENANTS']) delete childEnv[name];
    this.log.write(`--- hibi start ${JSON.stringify(env)}\n`);
    this.devNow = env.devNow;
    this.spawnedAt = Date.now();
    // `node --import tsx` as the npm scripts do: one process, so a SIGKILL leaves no orphan behind
    // (the tsx CLI would run hibi in a child of its own).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // stop() forgets the child first, so only an exit nobody asked for ends the flows' waits.
    child.once('exit', (code, signal) => {
      if (this.child === child) processDied(new Error(`hibi exited (${code ?? signal}) in the middle of the run; see hibi.log in test-results/e2e/<feature>/`));
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    // Healthy once it listens, which is after its tables exist; however long that takes on a busy machine.
    while (!(await unlessDied(healthy(this.port)))) {
      if (remainingMs() <= 1) throw new Error('hibi never became healthy within the flow budget (waits.ts); see hibi.log in test-results/e2e/<feature>/');
      await sleep(200);
    }
    this.healthyAt = Date.now();
  }

  /**
   * What hibi's dev clock reads now. It runs at real speed from DEV_NOW, started at some moment between
   * the spawn and the first healthy answer, so a flow can check a time hibi wrote however slow the run was.
   */
  devClock(): { earliest: Date; latest: Date } {
    const start = Date.parse(this.devNow);
    return { earliest: new Date(start + Date.now() - this.healthyAt), latest: new Date(start + Date.now() - this.spawnedAt) };
  }

  /** Everything hibi has logged in this run, across restarts: the anonymity check reads what one flow added. */
  get logged(): string {
    return this.output;
  }

  /** Everything logged from `from` on, once a line matches `line` (output reaches us through a pipe, a little after hibi wrote it). */
  async loggedOnce(line: RegExp, from: number): Promise<string> {
    return eventually(
      () => Promise.resolve(this.output.slice(from)),
      (logged) => line.test(logged),
    );
  }

  /**
   * SIGTERM is hibi's graceful stop (finishes requests, the scheduler tick, the outbox worker); a
   * restart waits for it to end, however long, since a killed hibi would leave outbox rows leased.
   * `teardownKillMs` is for the end of a file only, where nothing is checked afterwards.
   */
  async stop(teardownKillMs?: number): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve, reject) => {
      const giveUp = (): void => {
        child.kill('SIGKILL');
        if (teardownKillMs === undefined) reject(new Error('hibi did not stop after SIGTERM within the flow budget (waits.ts); see hibi.log'));
      };
      const force = setTimeout(giveUp, teardownKillMs ?? remainingMs());
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

export interface Stack {
  directory: OrgDirectory;
  tables: TableClientFactory;
  hibi: HibiProcess;
  /** One Playground per person played, keyed by person id. */
  playgrounds: Map<string, RunningPlayground>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Where configs and logs go (test-results/e2e). */
  outDir: string;
  hibi: HibiEnv;
  /** Person id → the other people that Playground's tenant lists. */
  people: Record<string, readonly string[]>;
}

/** Azurite (in memory) → hibi → demo town → one Playground per person. Stops what it started if a step fails. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
    stoppers.length = 0;
  };
  try {
    const azurite: RunningAzurite = await startAzurite({ port: await freePort() });
    stoppers.push(() => azurite.stop());
    const tables = new TableClientFactory(azurite.connectionString);

    const hibiLog = createWriteStream(path.join(options.outDir, 'hibi.log'));
    stoppers.push(() => new Promise<void>((resolve) => hibiLog.end(() => resolve())));
    const hibi = new HibiProcess(await freePort(), azurite.connectionString, hibiLog);
    const directory = buildDemoOrg();

    const startHibi = async (): Promise<void> => {
      // Registered first: a start that times out leaves a child running.
      stoppers.push(() => hibi.stop(TEARDOWN_KILL_MS));
      await hibi.start(options.hibi);
      // As src/dev/start.ts does; after hibi's start, which creates the tables.
      const org = new OrgRepository(tables);
      await org.importDirectory(PLAYGROUND_TENANT_ID, directory);
      await org.saveSettings(PLAYGROUND_TENANT_ID, { defaultLocale: 'ja', importedAt: new Date().toISOString() });
    };

    // The Playground only calls hibi once a page is opened, so both start at once (a few seconds saved).
    const playgrounds = new Map<string, RunningPlayground>();
    const playgroundLog = createWriteStream(path.join(options.outDir, 'playground.log'));
    stoppers.push(() => new Promise<void>((resolve) => playgroundLog.end(() => resolve())));
    const startPlaygrounds = Object.entries(options.people).map(async ([personId, others]) => {
      const running = await startPlayground({
        botEndpoint: hibi.endpoint,
        port: await freePort(),
        configFile: writePlaygroundConfig(options.outDir, directory, personId, others),
        log: (line) => playgroundLog.write(`[${personId}] ${line}\n`),
      });
      stoppers.push(() => running.stop());
      playgrounds.set(personId, running);
    });
    // allSettled: stopping while a start is still running would leave that process behind.
    const failed = (await Promise.allSettled([startHibi(), ...startPlaygrounds])).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return { directory, tables, hibi, playgrounds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
