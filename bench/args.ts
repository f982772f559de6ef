import { parseArgs } from 'node:util';
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const benchOptionsSchema = z
  .object({
    n: int(1, 100_000).optional(),
    rate: int(1, 1_000).default(30),
    globalPerSecond: int(1, 1_000).optional(),
    concurrency: int(1, 128).optional(),
    burst: int(1, 1_000).optional(),
    latency: int(0, 60_000).optional(),
    timeout: int(1, 86_400).optional(),
    trace: z.boolean().default(false),
    /** Benchmarks to run, by name; empty = all. */
    only: z
      .string()
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((name) => name.trim())
              .filter(Boolean)
          : [],
      ),
    people: int(100, 100_000).default(10_000),
    /** How much of the office day the memory benchmark runs: just the start, start and the morning prompts, or the whole day. */
    memoryDay: z.enum(['start', 'morning', 'day']).default('day'),
    /** The memory benchmark's hibi sends its telemetry to Application Insights (a loopback double), as production does. */
    memoryTelemetry: z
      .enum(['on', 'off'])
      .default('on')
      .transform((v) => v === 'on'),
    trials: int(1, 20).default(3),
    /** Delivery instances (processes) of the instances benchmark. */
    instances: int(2, 8).default(3),
  })
  .transform((o) => ({
    ...o,
    n: o.n ?? 2_000,
    latency: o.latency ?? 0,
    /** The kill benchmark's fan-out: the demo town's 116 unless --n says otherwise. */
    killPeople: o.n ?? 116,
    /** The kill benchmark runs on loopback and at a real service's round trip unless --latency picks one. */
    killLatencies: o.latency === undefined ? [0, 300] : [o.latency],
    // hibi is meant to be configured to what Teams allows, so by default the two agree.
    globalPerSecond: o.globalPerSecond ?? o.rate,
    // Three times the ideal duration plus two minutes leaves room for Retry-After backoffs; past it the run stops and reports.
    timeoutSeconds: o.timeout ?? Math.ceil((3 * (o.n ?? 2_000)) / o.rate) + 120,
    /** The instances benchmark's fan-out: 10,000 unless --n says otherwise. */
    instancesPeople: o.n ?? 10_000,
    // Each instance paces its share on its own and may put one call more than its share into a second, and a call reaches Teams a little
    // later than its instance counted it: two calls a second of headroom for the pool (at rate - 1 three instances drew a few 429s in 10,000).
    instancesGlobalPerSecond: o.globalPerSecond ?? Math.max(1, o.rate - 2),
    instancesTimeoutSeconds: o.timeout ?? Math.ceil((3 * (o.n ?? 10_000)) / o.rate) + 120,
  }));

export type BenchOptions = z.infer<typeof benchOptionsSchema>;

export const USAGE = `npm run bench -- [options]

  --n <count>                 prompts, one per distinct person (default 2000; kill: 116)
  --rate <per second>         the connector double's global cap per app per tenant (default 30)
  --global-per-second <n>     hibi's own cap, DELIVERY_GLOBAL_PER_SECOND (default = --rate)
  --concurrency <n>           OutboxWorker concurrency, OUTBOX_CONCURRENCY (default: the config's)
  --burst <n>                 RateLimiter globalBurst (default: the limiter's own, 1)
  --latency <ms>              delay of every connector answer, for a real service's round trip (default 0; kill: 0 and 300)
  --trace                     timestamp every step of every row and print where the time went
  --timeout <seconds>         stop the worker and report after this long (default 3 x n/rate + 120)
  --only <names>              run only these benchmarks, comma-separated: delivery, turns, memory, kpi, kill, instances (default all)
  --people <count>            the memory benchmark's directory size (default 10000)
  --memory-day <part>         what of the day the memory benchmark runs: start, morning (prompts only) or day (default)
  --memory-telemetry <on|off> the memory benchmark's hibi with Azure Monitor sending to a loopback Application
                              Insights, as in production (default on)
  --trials <count>            kill -9 trials per latency in the kill benchmark (default 3)
  --instances <count>         delivery processes of the instances benchmark (default 3; its --n defaults to 10000,
                              its --global-per-second to --rate - 2)
  --help`;

/** A mistake in the command line: shown as its message and the usage, without a stack. */
export class BenchArgsError extends Error {}

/** Parses argv; undefined when --help was asked. Throws BenchArgsError for an unknown flag or a bad value. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | undefined {
  const { values } = parseFlags(argv);
  if (values.help) return undefined;
  const parsed = benchOptionsSchema.safeParse({
    n: values.n,
    rate: values.rate,
    globalPerSecond: values['global-per-second'],
    concurrency: values.concurrency,
    burst: values.burst,
    latency: values.latency,
    timeout: values.timeout,
    trace: values.trace,
    only: values.only,
    people: values.people,
    memoryDay: values['memory-day'],
    memoryTelemetry: values['memory-telemetry'],
    trials: values.trials,
    instances: values.instances,
  });
  if (!parsed.success) {
    const flag = (key: PropertyKey | undefined): string => `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new BenchArgsError(parsed.error.issues.map((issue) => `${flag(issue.path[0])}: ${issue.message}`).join('\n'));
  }
  return parsed.data;
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseFlagsStrictly(argv);
  } catch (error) {
    throw new BenchArgsError(error instanceof Error ? error.message : String(error));
  }
}

function parseFlagsStrictly(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      n: { type: 'string' },
      rate: { type: 'string' },
      'global-per-second': { type: 'string' },
      concurrency: { type: 'string' },
      burst: { type: 'string' },
      latency: { type: 'string' },
      timeout: { type: 'string' },
      trace: { type: 'boolean' },
      only: { type: 'string' },
      people: { type: 'string' },
      'memory-day': { type: 'string' },
      'memory-telemetry': { type: 'string' },
      trials: { type: 'string' },
      instances: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}
