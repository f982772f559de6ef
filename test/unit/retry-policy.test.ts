import { backoffMs, decideRetry, parseRetryAfter, type RetryPolicyOptions } from '../../src/delivery/retry-policy';

const options = (random: number): RetryPolicyOptions => ({ maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 10_000, random: () => random });

describe('decideRetry', () => {
  it.each([429, 412, 502, 504, 0])('retries %i', (status) => {
    expect(decideRetry(1, { status }, options(0.5)).action).toBe('retry');
  });

  it.each([400, 401, 500, 501, 503])('does not retry %i', (status) => {
    expect(decideRetry(1, { status }, options(0.5))).toEqual({ action: 'give-up', result: 'Failed' });
  });

  it('marks 403 MessageWritesBlocked (and the other "bot may not write" codes) unreachable, without retry', () => {
    for (const code of ['MessageWritesBlocked', 'ConversationBlockedByUser', 'BotNotInConversationRoster', 'BotDisabledByAdmin']) {
      expect(decideRetry(1, { status: 403, code }, options(0.5))).toEqual({ action: 'give-up', result: 'Unreachable' });
    }
  });

  it('treats any other 403 as a plain failure', () => {
    expect(decideRetry(1, { status: 403, code: 'Forbidden' }, options(0.5))).toEqual({ action: 'give-up', result: 'Failed' });
    expect(decideRetry(1, { status: 403 }, options(0.5))).toEqual({ action: 'give-up', result: 'Failed' });
  });

  it('reports 404 as RecipientNotFound', () => {
    expect(decideRetry(1, { status: 404 }, options(0.5))).toEqual({ action: 'give-up', result: 'RecipientNotFound' });
  });

  it('stops at maxAttempts: Throttled for 429, Failed otherwise', () => {
    expect(decideRetry(4, { status: 429 }, options(0.5)).action).toBe('retry');
    expect(decideRetry(5, { status: 429 }, options(0.5))).toEqual({ action: 'give-up', result: 'Throttled' });
    expect(decideRetry(5, { status: 502 }, options(0.5))).toEqual({ action: 'give-up', result: 'Failed' });
  });

  it('waits at least Retry-After, whatever the attempt', () => {
    for (const random of [0, 0.5, 0.999]) {
      const decision = decideRetry(4, { status: 429, retryAfterMs: 3000 }, options(random));
      expect(decision.action).toBe('retry');
      const delay = (decision as { delayMs: number }).delayMs;
      expect(delay).toBeGreaterThanOrEqual(3000);
      expect(delay).toBeLessThan(3000 + 250);
    }
  });
});

describe('backoffMs', () => {
  it('doubles per attempt with jitter between half and the whole step', () => {
    expect(backoffMs(1, undefined, options(0))).toBe(500);
    expect(backoffMs(1, undefined, options(0.999))).toBe(999);
    expect(backoffMs(3, undefined, options(0))).toBe(2000);
    expect(backoffMs(3, undefined, options(0.999))).toBe(3998);
  });

  it('is capped by maxDelayMs', () => {
    expect(backoffMs(20, undefined, options(0.999))).toBeLessThanOrEqual(10_000);
    expect(backoffMs(20, undefined, options(0))).toBe(5000);
  });

  it('spreads instances with random jitter', () => {
    expect(backoffMs(2, undefined, options(0.1))).not.toBe(backoffMs(2, undefined, options(0.9)));
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP date, never negative', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 00:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});
