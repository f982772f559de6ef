import { performance } from 'node:perf_hooks';
import { metrics, ValueType, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';

/**
 * hibi's own metrics. The names and attribute values are a contract with the Azure alert rules
 * (infra/): change them together. Attributes carry kinds, outcomes and job names only, never who
 * or what was typed: the same rule as the logs.
 */
export type TurnKind = 'message' | 'card_submit' | 'invoke' | 'install' | 'other';
export type TurnOutcome = 'ok' | 'error' | 'refused' | 'rate_limited';
export type SendResult = 'sent' | 'throttled' | 'failed' | 'not_installed';
export type JobOutcome = 'ok' | 'failed';

/** What an outbox worker last saw: rows not yet finished, and when the oldest was queued (ms since epoch). */
export interface OutboxBacklog {
  rows: number;
  oldestQueuedAt?: number;
}

interface Instruments {
  turns: Counter;
  turnDuration: Histogram;
  sends: Counter;
  jobRuns: Counter;
  kpiRollupDuration: Histogram;
}

let bound: { provider: MeterProvider; instruments: Instruments } | undefined;
const backlogs = new Set<() => OutboxBacklog>();

/**
 * @opentelemetry/api 1.x hands out no-op meters while no provider is registered and never upgrades
 * them, and the provider (useAzureMonitor's, a test's) is registered after modules load: so the
 * instruments are made on first use under the provider registered then, and made again if it changes.
 */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (bound?.provider !== provider) bound = { provider, instruments: create() };
  return bound.instruments;
}

function create(): Instruments {
  const meter = metrics.getMeter('hibi');
  meter.createObservableGauge('hibi.outbox.backlog', { description: 'outbox rows waiting to be sent', valueType: ValueType.INT }).addCallback((result) => {
    const seen = observedBacklog();
    if (seen) result.observe(seen.rows);
  });
  meter
    .createObservableGauge('hibi.outbox.oldest_age', { description: 'age of the oldest outbox row waiting to be sent (0 when none)', unit: 's' })
    .addCallback((result) => {
      const seen = observedBacklog();
      if (seen) result.observe(seen.rows > 0 && seen.oldestQueuedAt !== undefined ? Math.max(0, (Date.now() - seen.oldestQueuedAt) / 1000) : 0);
    });
  return {
    turns: meter.createCounter('hibi.turns', { description: 'Teams activities handled, by kind and outcome', valueType: ValueType.INT }),
    turnDuration: meter.createHistogram('hibi.turn.duration', { description: 'time to handle a Teams activity', unit: 'ms' }),
    sends: meter.createCounter('hibi.sends', { description: 'proactive deliveries attempted, by result', valueType: ValueType.INT }),
    jobRuns: meter.createCounter('hibi.job.runs', { description: 'scheduled jobs run, by job and outcome', valueType: ValueType.INT }),
    kpiRollupDuration: meter.createHistogram('hibi.kpi.rollup.duration', { description: 'time to roll up the KPIs of a tenant', unit: 'ms' }),
  };
}

/** Every worker of the process together; nothing at all when the process runs none (a CLI). */
function observedBacklog(): OutboxBacklog | undefined {
  if (backlogs.size === 0) return undefined;
  const total: OutboxBacklog = { rows: 0 };
  for (const read of backlogs) {
    const { rows, oldestQueuedAt } = read();
    total.rows += rows;
    if (rows > 0 && oldestQueuedAt !== undefined) total.oldestQueuedAt = Math.min(total.oldestQueuedAt ?? oldestQueuedAt, oldestQueuedAt);
  }
  return total;
}

export const hibiMetrics = {
  /** Call when a turn begins; the function it returns records it with its outcome. */
  startTurn(kind: TurnKind): (outcome: TurnOutcome) => void {
    const started = performance.now();
    return (outcome) => {
      const { turns, turnDuration } = instruments();
      turns.add(1, { kind, outcome });
      turnDuration.record(performance.now() - started, { kind });
    };
  },

  send(result: SendResult): void {
    instruments().sends.add(1, { result });
  },

  /** `job` names the kind of job (checkin.prompt), never a unit, a meeting or a person. */
  jobRun(job: string, outcome: JobOutcome): void {
    instruments().jobRuns.add(1, { job, outcome });
  },

  kpiRollup(durationMs: number): void {
    instruments().kpiRollupDuration.record(durationMs);
  },

  /**
   * The backlog gauges call `read` at each collection: the worker reports what its passes already
   * know, so a collection costs no storage query. A worker reports at every pass (again is harmless),
   * which also makes the gauges under a provider registered since.
   */
  reportOutboxBacklog(read: () => OutboxBacklog): void {
    instruments();
    backlogs.add(read);
  },

  forgetOutboxBacklog(read: () => OutboxBacklog): void {
    backlogs.delete(read);
  },
};
