import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testConnectionString } from './test-app';

const ROOT = path.join(__dirname, '..', '..');

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  port: number;
  /** Parsed JSON log lines (stdout). */
  logs: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/**
 * Starts `node --import tsx src/main.ts` directly. Not tsx's CLI: that runs the server in a second
 * process and only relays catchable signals, so a SIGKILL would kill the wrapper and leave the
 * server running as an orphan.
 */
export async function startServer(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const loader = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      STORAGE_CONNECTION_STRING: testConnectionString(),
      PORT: '0',
      LOG_LEVEL: 'info',
      // Other test files' tenants are served too and each of their rows takes a global slot.
      DELIVERY_GLOBAL_PER_SECOND: '500',
      SHUTDOWN_TIMEOUT_MS: '5000',
      // A server killed mid-test leaves its heartbeat: short beats let the next one take over in seconds.
      DELIVERY_HEARTBEAT_MS: '1000',
      DELIVERY_HEARTBEAT_EXPIRY_MS: '4000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let partial = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'hibi listening on /api/messages') resolve(Number(entry.port));
        } catch {
          // not a log line
        }
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`${name} exited before listening (code ${code}, signal ${signal}): ${stderr}`)));
  });
  return { name, child, port: await port, logs, stderr: () => stderr, exited };
}

/** Kills whatever a test left running, even after a failed assertion. */
export async function killLeftovers(): Promise<void> {
  const left = [...children];
  for (const child of left) child.kill('SIGKILL');
  await Promise.all(
    left.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)))),
  );
}
