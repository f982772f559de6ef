// As src/main.ts does, before anything else loads.
import '../src/runtime/heap-flags';
import { Writable } from 'node:stream';
import { z } from 'zod';
import type { App } from '../src/app';
import { loadConfig } from '../src/config';
import { fixedClock } from '../src/shared/clock';
import { createLogger } from '../src/shared/logger';
import { startTelemetry } from '../src/telemetry/azure-monitor';
import { memoryOf } from './processes';

/**
 * hibi as main.ts builds it (Azure Monitor started when the parent gives a connection string, then
 * the app loaded, createApp, HTTP listening, the real outbox worker and connector port), in a
 * process of its own so its memory is hibi's alone. bench/memory.ts compiles this file and what
 * it imports to JavaScript first and runs it with plain node, as production runs dist/. The clock is fixed and moved by the parent
 * (bench/memory.ts) stage by stage; each stage runs the jobs due and delivers everything they queued,
 * as the scheduler and worker do in the background. Log lines are counted and dropped.
 */

const startSchema = z.object({
  type: z.literal('start'),
  connectionString: z.string(),
  tenantId: z.string(),
  at: z.string(),
  /** Application Insights' connection string (the bench's ingestion double); absent, no telemetry. */
  telemetry: z.string().optional(),
});
const stageSchema = z.object({ type: z.literal('stage'), at: z.string() });
const messageSchema = z.discriminatedUnion('type', [startSchema, stageSchema, z.object({ type: z.literal('stop') })]);

export type MemoryChildCommand = z.infer<typeof messageSchema>;

export interface MemorySample {
  /** Resident set as found, before any collection. */
  rss: number;
  /** Resident set right after a full garbage collection: what the process holds on to. */
  rssAfterGc: number | undefined;
  /** Of rssAfterGc, anonymous memory (not the node binary and other mapped files). */
  rssAnonAfterGc: number | undefined;
  peakRss: number | undefined;
  heapUsed: number;
  /** What V8 holds for its heap, used or not: after a collection it gives pages back to the OS only slowly. */
  heapTotal: number;
  /** Memory of Buffers and other objects V8 tracks outside its heap. */
  external: number;
}

/** The most memory seen while a phase ran, sampled every 100 ms: which part of a stage needs it. */
export interface PhasePeak {
  rss: number;
  heapUsed: number;
}

/** hibi's memory at each step of its start, as main.ts takes them, each after a full collection. */
export interface StartStep {
  step: string;
  memory: MemorySample;
}

export type MemoryChildReply =
  | { type: 'started'; port: number; caughtUp: number; memory: MemorySample; steps: StartStep[] }
  | {
      type: 'stage';
      at: string;
      jobs: number;
      sent: number;
      retried: number;
      failed: number;
      ms: number;
      logLines: number;
      memory: MemorySample;
      /** While the scheduler ran the jobs (reading the directory, rendering, enqueueing) and while the worker delivered. */
      peaks: { jobs: PhasePeak; delivery: PhasePeak };
    }
  | { type: 'failed'; message: string };

/** Set when node runs with --expose-gc (the benchmark forks it so). */
const collect = (globalThis as { gc?: () => void }).gc;

const heapOf = ({ heapUsed, heapTotal, external }: NodeJS.MemoryUsage) => ({ heapUsed, heapTotal, external });

/** Samples the process every 100 ms while `work` runs and keeps the largest figures. */
async function watchPeak<T>(work: () => Promise<T>): Promise<{ result: T; peak: PhasePeak }> {
  const peak: PhasePeak = { rss: 0, heapUsed: 0 };
  const look = (): void => {
    const { rss, heapUsed } = process.memoryUsage();
    peak.rss = Math.max(peak.rss, rss);
    peak.heapUsed = Math.max(peak.heapUsed, heapUsed);
  };
  const timer = setInterval(look, 100);
  try {
    return { result: await work(), peak };
  } finally {
    clearInterval(timer);
    look();
  }
}

function sample(): MemorySample {
  const found = memoryOf('self')?.rss ?? process.memoryUsage().rss;
  collect?.();
  const own = memoryOf('self');
  return {
    rss: found,
    rssAfterGc: collect ? (own?.rss ?? process.memoryUsage().rss) : undefined,
    rssAnonAfterGc: collect ? own?.rssAnon : undefined,
    peakRss: own?.peakRss,
    ...heapOf(process.memoryUsage()),
  };
}

async function main(): Promise<void> {
  const reply = (message: MemoryChildReply): void => void process.send?.(message);
  const clock = fixedClock(new Date());
  const steps: StartStep[] = [{ step: 'node and the first modules', memory: sample() }];
  let app: App | undefined;
  let logLines = 0;
  const sink = new Writable({
    write: (_chunk, _encoding, done) => {
      logLines += 1;
      done();
    },
  });
  process.on('message', (raw: unknown) => {
    const handle = async (message: MemoryChildCommand): Promise<void> => {
      if (message.type === 'start') {
        clock.set(new Date(message.at));
        // Sends are paced by the double and this cap only, so a day of 10,000 people fits in minutes.
        const config = loadConfig({
          STORAGE_CONNECTION_STRING: message.connectionString,
          DELIVERY_GLOBAL_PER_SECOND: '1000',
          LOG_LEVEL: 'info',
          ...(message.telemetry ? { APPLICATIONINSIGHTS_CONNECTION_STRING: message.telemetry } : {}),
        });
        // As main.ts: Azure Monitor first, then the app, so its HTTP instrumentation sees restify and botbuilder load.
        if ((await startTelemetry(config.env)).enabled) steps.push({ step: 'Azure Monitor started', memory: sample() });
        const { createApp } = await import('../src/app');
        steps.push({ step: 'code loaded (hibi, botbuilder, restify, the Azure SDK)', memory: sample() });
        app = await createApp(config, message.connectionString, createLogger('info', sink), { clock, background: false, tenants: [message.tenantId] });
        steps.push({ step: 'createApp (tables ensured, features wired)', memory: sample() });
        const port = await app.start(0, '127.0.0.1');
        steps.push({ step: 'listening', memory: sample() });
        // The scheduler's first tick, which main.ts runs at start to catch up on what was due while hibi was down.
        const caughtUp = await app.runDueJobs();
        reply({ type: 'started', port, caughtUp, memory: sample(), steps });
        return;
      }
      if (message.type === 'stage' && app) {
        const started = Date.now();
        clock.set(new Date(message.at));
        const running = app;
        const jobs = await watchPeak(() => running.runDueJobs());
        const delivery = await watchPeak(() => running.deliverPending({ waitUpToMs: 120_000 }));
        const summary = delivery.result;
        const peaks = { jobs: jobs.peak, delivery: delivery.peak };
        reply({
          type: 'stage',
          at: message.at,
          jobs: jobs.result,
          sent: summary.sent,
          retried: summary.retried,
          failed: summary.failed + summary.unreachable,
          ms: Date.now() - started,
          logLines,
          memory: sample(),
          peaks,
        });
        return;
      }
      if (message.type === 'stop') {
        await app?.stop();
        process.exit(0);
      }
    };
    handle(messageSchema.parse(raw)).catch((error: unknown) =>
      reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

void main();
