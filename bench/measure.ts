import type { CallRecord } from './limited-connector';

export interface RowState {
  key: string;
  status: string;
  attempts: number;
  lastError?: string;
}

export interface Measurements {
  recipients: number;
  sendsAccepted: number;
  /** Recipients of the fan-out with no accepted send. */
  lost: number;
  /** Recipients with more than one accepted send. */
  doubled: number;
  refused: { global: number; conversation: number };
  /** Accepted sends per second between the first and the last accepted send. */
  achievedPerSecond: number | undefined;
  steadySeconds: number | undefined;
  /** Most accepted calls in any sliding second: the double's own limit, if it holds. */
  maxAcceptedInAnySecond: number;
  /** Most calls that arrived (accepted or not) in any sliding second: how well hibi paces itself. */
  maxArrivedInAnySecond: number;
  /** Accepted sends per whole calendar second of the steady part (first and last second left out). */
  perSecond: { min: number; median: number; max: number } | undefined;
  /** Gaps between consecutive arrivals, ms. */
  gapMs: { p1: number; p50: number; p99: number } | undefined;
  /** For recipients refused at least once: seconds from their first 429 to their accepted send. */
  refusedToAcceptedSeconds: { count: number; median: number; max: number } | undefined;
  rowsByStatus: Record<string, number>;
  rowsRetried: number;
  lastErrors: Record<string, number>;
}

/** Counts what the double saw against the N conversations the benchmark stored, and what the outbox says. */
export function measure(conversationIds: readonly string[], calls: readonly CallRecord[], rows: readonly RowState[]): Measurements {
  const delivered = new Map<string, number>(conversationIds.map((id) => [id, 0]));
  const sends = calls.filter((call) => call.kind === 'send' || call.kind === 'reply');
  const accepted = sends.filter((call) => call.refusedBy === undefined);
  for (const call of accepted) {
    if (call.conversationId !== undefined && delivered.has(call.conversationId))
      delivered.set(call.conversationId, (delivered.get(call.conversationId) ?? 0) + 1);
  }
  const counts = [...delivered.values()];
  const acceptedTimes = calls
    .filter((call) => call.refusedBy === undefined)
    .map((call) => call.at)
    .sort((a, b) => a - b);
  const arrivalTimes = calls.map((call) => call.at).sort((a, b) => a - b);
  const sendTimes = accepted.map((call) => call.at).sort((a, b) => a - b);
  const first = sendTimes[0];
  const last = sendTimes[sendTimes.length - 1];
  const steadyMs = first !== undefined && last !== undefined && last > first ? last - first : undefined;

  return {
    recipients: conversationIds.length,
    sendsAccepted: accepted.length,
    lost: counts.filter((count) => count === 0).length,
    doubled: counts.filter((count) => count > 1).length,
    refused: {
      global: calls.filter((call) => call.refusedBy === 'global').length,
      conversation: calls.filter((call) => call.refusedBy === 'conversation').length,
    },
    achievedPerSecond: steadyMs === undefined ? undefined : ((sendTimes.length - 1) * 1000) / steadyMs,
    steadySeconds: steadyMs === undefined ? undefined : steadyMs / 1000,
    maxAcceptedInAnySecond: maxInWindow(acceptedTimes, 1000),
    maxArrivedInAnySecond: maxInWindow(arrivalTimes, 1000),
    perSecond: wholeSeconds(sendTimes),
    gapMs: gaps(arrivalTimes),
    refusedToAcceptedSeconds: recoveries(sends),
    rowsByStatus: tally(rows.map((row) => row.status)),
    rowsRetried: rows.filter((row) => row.attempts > 1).length,
    lastErrors: tally(rows.flatMap((row) => (row.lastError ? [row.lastError] : []))),
  };
}

/** Largest number of sorted times inside any half-open window (t - windowMs, t]. */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[start] ?? Infinity) <= (times[end] ?? 0) - windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

function wholeSeconds(times: readonly number[]): Measurements['perSecond'] {
  const first = times[0];
  if (first === undefined) return undefined;
  const buckets = new Map<number, number>();
  for (const at of times) buckets.set(Math.floor((at - first) / 1000), (buckets.get(Math.floor((at - first) / 1000)) ?? 0) + 1);
  const lastBucket = Math.max(...buckets.keys());
  // The first and last seconds are partial, so they would understate the rate.
  const full = Array.from({ length: Math.max(0, lastBucket - 1) }, (_, i) => buckets.get(i + 1) ?? 0).sort((a, b) => a - b);
  if (full.length === 0) return undefined;
  return { min: full[0] ?? 0, median: percentile(full, 0.5), max: full[full.length - 1] ?? 0 };
}

function gaps(times: readonly number[]): Measurements['gapMs'] {
  const between = times
    .slice(1)
    .map((at, i) => at - (times[i] ?? at))
    .sort((a, b) => a - b);
  if (between.length === 0) return undefined;
  return { p1: percentile(between, 0.01), p50: percentile(between, 0.5), p99: percentile(between, 0.99) };
}

function recoveries(sends: readonly CallRecord[]): Measurements['refusedToAcceptedSeconds'] {
  const firstRefused = new Map<string, number>();
  const delays: number[] = [];
  for (const call of [...sends].sort((a, b) => a.at - b.at)) {
    if (call.conversationId === undefined) continue;
    const refusedAt = firstRefused.get(call.conversationId);
    if (call.refusedBy !== undefined) {
      if (refusedAt === undefined) firstRefused.set(call.conversationId, call.at);
    } else if (refusedAt !== undefined) {
      delays.push((call.at - refusedAt) / 1000);
    }
  }
  if (delays.length === 0) return undefined;
  delays.sort((a, b) => a - b);
  return { count: delays.length, median: percentile(delays, 0.5), max: delays[delays.length - 1] ?? 0 };
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
