import { ClaimsAhead } from '../../src/delivery/claims-ahead';

describe('rows claimed ahead of their send', () => {
  it('lets `limit` rows be claimed at once; the next waits for one to leave', async () => {
    const ahead = new ClaimsAhead(2);
    expect(await ahead.acquire()).toBe(true);
    expect(await ahead.acquire()).toBe(true);
    let third = false;
    const waiting = ahead.acquire().then((granted) => (third = granted));
    await Promise.resolve();
    expect(third).toBe(false);
    ahead.release();
    await waiting;
    expect(third).toBe(true);
  });

  it('gives up without a place when the worker stops while it waits', async () => {
    const ahead = new ClaimsAhead(1);
    const stop = new AbortController();
    expect(await ahead.acquire(stop.signal)).toBe(true);
    const waiting = ahead.acquire(stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
    // A waiter that gave up takes nothing: the one behind it gets the next place.
    const next = ahead.acquire();
    ahead.release();
    expect(await next).toBe(true);
  });

  it('refuses a limit under one', () => {
    expect(() => new ClaimsAhead(0)).toThrow();
  });
});
