import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Starts the Microsoft 365 Agents Playground (the Teams emulator) from the project's own
 * devDependency, pointed at the bot, and resolves once its web UI and mock connector are up.
 * Development only: it reads the repo's .m365agentsplayground.yml.
 */

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://localhost:3978/api/messages. */
  botEndpoint: string;
  /** Port of the Playground's own web UI and mock connector (default 56150). */
  port?: number;
  /**
   * Mock Teams context to use instead of the repo's .m365agentsplayground.yml: the current user is
   * fixed per Playground process, so the e2e tests run one per person they play.
   */
  configFile?: string;
  log: (line: string) => void;
}

export interface RunningPlayground {
  /** Where to point the browser; also the base of the serviceUrl sent to the bot (+ /_connector). */
  url: string;
  stop(): Promise<void>;
}

const CONFIG_FILE_NAME = '.m365agentsplayground.yml';
const DEFAULT_PORT = 56150;
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/**
 * Walks up from this file to the repo root. The Playground would otherwise fall back, without a word,
 * to its built-in users, whom hibi's demo directory does not know; better to refuse to start.
 */
function findConfigFile(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${CONFIG_FILE_NAME} not found above ${__dirname}`);
    dir = parent;
  }
}

/** GET the Playground's ping route: it only exists once the config file has been accepted. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: 'localhost', port, path: '/_debug/ping', method: 'GET', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/**
 * With stdout not a TTY the Playground writes its errors (a rejected config file, say) only to its
 * log file, so a failed start is explained from there.
 */
function errorLines(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('error '))
      .map((line) => line.slice('error '.length))
      .join(' | ');
  } catch {
    return '';
  }
}

export async function startPlayground(opts: PlaygroundOptions): Promise<RunningPlayground> {
  const configFile = opts.configFile ?? findConfigFile();
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const workDir = mkdtempSync(path.join(tmpdir(), 'hibi-playground-'));
  // Its log holds message text and names, so it stays out of the repo and is deleted on stop.
  const logFile = path.join(workDir, 'playground.log');
  const requestedPort = opts.port ?? DEFAULT_PORT;

  const args = [cli, 'start', '--app-endpoint', opts.botEndpoint, '--channel-id', 'msteams', '--port', String(requestedPort), '--disable-telemetry'];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Its default is to open a browser itself; on a machine without xdg-open the failed spawn is an
    // uncaught error that kills the Playground. The caller opens the returned URL instead.
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile,
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    // --disable-telemetry only stops its own events; Application Insights is still set up with the
    // bundled key and sends heartbeat/statsbeat (and probes 169.254.169.254) unless switched off here.
    APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ disableAppInsights: true, disableStatsbeat: true }),
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  };

  // Not detached: it stays in the terminal's process group, so Ctrl-C reaches it even if hibi dies
  // first. With the browser opener off it starts no processes of its own, so its pid is the whole tree.
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: path.dirname(configFile),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let stopping = false;
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    // The child's own exit event will not be delivered any more, so clean up here.
    rmSync(workDir, { recursive: true, force: true });
  };
  // A dev server that outlives hibi would keep the port and answer to a bot that is gone.
  process.once('exit', killOnExit);
  const cleanUp = (): void => {
    process.removeListener('exit', killOnExit);
    rmSync(workDir, { recursive: true, force: true });
  };

  // The Playground may move to a random port when the requested one is taken; it announces the port
  // it really uses on stdout (only when stdout is not a TTY, which is the case here).
  const listening = new Promise<number>((resolve) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) opts.log(`playground: ${line}`);
        const match = /^Listening on (\d+)$/.exec(line);
        if (match?.[1]) resolve(Number(match[1]));
        newline = buffered.indexOf('\n');
      }
    });
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) opts.log(`playground: ${line.trim()}`);
  });

  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      const reason = errorLines(logFile);
      if (!stopping) opts.log(`playground: exited (${signal ?? code})${reason ? `: ${reason}` : ''}`);
      cleanUp();
      reject(new Error(`Agents Playground exited (${signal ?? code})${reason ? `: ${reason}` : ''}`));
    });
    // A failed spawn emits no 'exit'; without this the start would only end at the timeout.
    child.once('error', (error) => {
      cleanUp();
      reject(new Error(`Agents Playground could not be started: ${error.message}`));
    });
  });
  exited.catch(() => undefined);

  let gaveUp = false;
  const ready = (async (): Promise<number> => {
    const port = await listening;
    // Listening is announced before the config file is read; a bad one ends the process shortly after.
    while (!gaveUp) {
      if (await ping(port)) return port;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('gave up');
  })();
  ready.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Agents Playground not ready within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
  });

  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      stopping = true;
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
      // SIGTERM ends it at once (it only traps SIGINT, to flush telemetry); SIGKILL if it hangs anyway.
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });

  let port: number;
  try {
    port = await Promise.race([ready, exited, timeout]);
  } catch (error) {
    // Ends the ping loop too, which would otherwise keep the process alive after a failed start.
    gaveUp = true;
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (port !== requestedPort) opts.log(`playground: port ${requestedPort} was taken, using ${port}`);
  return { url: `http://localhost:${port}`, stop };
}
