import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.join(__dirname, '..');

export interface ServerUnderTest {
  name: string;
  pid: number;
  port: number;
  /** Log lines it wrote to stdout (read and dropped, so a full pipe never slows it). */
  lines(): number;
  /** Its JSON log lines with this `msg` so far. */
  logged(msg: string): Record<string, unknown>[];
  stop(): Promise<void>;
  /** kill -9, resolved once it is gone: no shutdown hook runs. */
  kill(): Promise<void>;
  /** Resolves when it exits, however. */
  exited: Promise<void>;
}

/**
 * Starts a TypeScript entry (relative to the repository root) as its own node process, the way the
 * tests start hibi: `node --import tsx <entry>`, and resolves once it logs `listeningMsg` with its port.
 */
export async function startServerProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  listeningMsg: string,
  keepMsgs: readonly string[] = [],
): Promise<ServerUnderTest> {
  const loader = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child: ChildProcess = spawn(process.execPath, ['--import', loader, path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  const kept: Record<string, unknown>[] = [];
  let stderr = '';
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines += 1;
        if (keepMsgs.some((msg) => line.includes(msg))) {
          try {
            kept.push(JSON.parse(line) as Record<string, unknown>);
          } catch {
            // not a log line
          }
        }
        if (!line.includes(listeningMsg)) continue;
        try {
          resolve(Number((JSON.parse(line) as { port?: unknown }).port));
        } catch {
          // a line that only mentions the message
        }
      }
    });
    void exited.then(() => reject(new Error(`${name} exited before listening: ${stderr.trim()}`)));
  });
  return {
    name,
    pid: child.pid ?? -1,
    port,
    lines: () => lines,
    logged: (msg) => kept.filter((entry) => entry.msg === msg),
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export interface ProcessMemory {
  /** Resident set now, bytes. */
  rss: number;
  /** Of it, the process's own memory (heap, stacks, malloc), as opposed to mapped files such as the node binary. */
  rssAnon: number | undefined;
  /** The most the process was ever resident, bytes (Linux VmHWM); undefined elsewhere. */
  peakRss: number | undefined;
}

/** Linux's /proc view of a process's memory: the same numbers `ps` and the kernel's OOM killer use. */
export function memoryOf(pid: number | 'self'): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number | undefined => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    const rss = kib('VmRSS');
    return rss === undefined ? undefined : { rss, rssAnon: kib('RssAnon'), peakRss: kib('VmHWM') };
  } catch {
    return undefined;
  }
}

export const mib = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(1)} MB`);

/** CPU a process has used so far (user + system), in ms, from /proc; 'self' counts this process. */
export function cpuMsOf(pid: number | 'self'): number {
  if (pid === 'self') {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  }
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, counted after the command name, which may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS_PER_SECOND);
  } catch {
    return Number.NaN;
  }
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every mainstream kernel build. */
const CLOCK_TICKS_PER_SECOND = 100;
