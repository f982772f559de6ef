import type { DeliveryResult } from './delivery.types';

export interface RetryPolicyOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff; doubles each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** [0, 1); injected so tests can pin the jitter. */
  random: () => number;
}

/** About four minutes of retrying in all: long enough for a Teams hiccup, short enough for a morning prompt. */
export const DEFAULT_RETRY_POLICY: RetryPolicyOptions = {
  maxAttempts: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 120_000,
  random: Math.random,
};

/**
 * A card update inside someone's turn: one quick retry at most, so the turn answers well within Teams'
 * timeout (after which Teams sends the activity again); what needs longer goes through the outbox.
 */
export const IN_TURN_UPDATE_POLICY: RetryPolicyOptions = {
  maxAttempts: 2,
  baseDelayMs: 250,
  maxDelayMs: 500,
  random: Math.random,
};

/** The longest a turn waits before its one retry (a Retry-After beyond it sends the update to the outbox). */
export const IN_TURN_MAX_WAIT_MS = 1_000;

/** What Teams documents as transient for bots, plus 0 (no HTTP answer: connection refused or reset). */
const RETRYABLE = new Set([0, 412, 429, 502, 504]);

/**
 * 403 codes meaning the bot may not write to this recipient until they act (blocked, uninstalled,
 * disabled by the admin). Teams documents them as "do not retry"; HR sees them as "not installed".
 */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'MessageWritesBlocked',
  'ConversationBlockedByUser',
  'BotNotInConversationRoster',
  'BotDisabledByAdmin',
]);

export interface Failure {
  status: number;
  retryAfterMs?: number;
  code?: string;
}

export type RetryDecision = { action: 'retry'; delayMs: number } | { action: 'give-up'; result: Exclude<DeliveryResult, 'Succeeded'> };

/** Decides what to do after attempt number `attempt` (1-based) failed. */
export function decideRetry(attempt: number, failure: Failure, options: RetryPolicyOptions = DEFAULT_RETRY_POLICY): RetryDecision {
  if (failure.status === 403 && failure.code !== undefined && UNREACHABLE_CODES.has(failure.code)) return { action: 'give-up', result: 'Unreachable' };
  if (failure.status === 404) return { action: 'give-up', result: 'RecipientNotFound' };
  if (!isTransient(failure)) return { action: 'give-up', result: 'Failed' };
  if (attempt >= options.maxAttempts) return { action: 'give-up', result: failure.status === 429 ? 'Throttled' : 'Failed' };
  return { action: 'retry', delayMs: backoffMs(attempt, failure.retryAfterMs, options) };
}

/** A failure worth trying again later: throttled, a gateway hiccup, no answer at all. */
export function isTransient(failure: Failure): boolean {
  return RETRYABLE.has(failure.status);
}

/**
 * Retry-After is the server's own answer, so it is used as given (never earlier) with a little jitter
 * so that instances do not return in step; without it, exponential backoff with equal jitter.
 */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, options: RetryPolicyOptions): number {
  if (retryAfterMs !== undefined) return Math.max(0, retryAfterMs) + Math.floor(options.random() * options.baseDelayMs * 0.25);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(ceiling / 2 + options.random() * (ceiling / 2));
}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date names its day and month; Date.parse alone would take "-1" for a year.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
