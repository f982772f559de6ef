import { TurnLimiter } from '../../src/bot/turn-limiter';
import { fixedClock } from '../../src/shared/clock';

const T0 = new Date('2026-11-25T00:00:00.000Z').getTime();

describe('TurnLimiter (messages per person over a sliding minute)', () => {
  it('serves the limit, tells once, then drops until the oldest served turn is a minute old', () => {
    const clock = fixedClock(new Date(T0));
    const limiter = new TurnLimiter(3, clock);
    const at = (ms: number) => {
      clock.set(new Date(T0 + ms));
      return limiter.check('a');
    };
    expect([at(0), at(10_000), at(20_000)]).toEqual(['serve', 'serve', 'serve']);
    expect([at(30_000), at(40_000), at(59_999)]).toEqual(['tell', 'drop', 'drop']);
    // The turn served at 0 leaves the window at 60 s: one slot, then the limit again.
    expect([at(60_000), at(60_001)]).toEqual(['serve', 'tell']);
    // At 80 s the turns of 10 s and 20 s have left too: two slots.
    expect([at(80_000), at(80_001), at(80_002)]).toEqual(['serve', 'serve', 'tell']);
  });

  it('keeps each person apart', () => {
    const limiter = new TurnLimiter(1, fixedClock(new Date(T0)));
    expect([limiter.check('a'), limiter.check('b'), limiter.check('a'), limiter.check('b')]).toEqual(['serve', 'serve', 'tell', 'tell']);
  });

  it('forgets people idle for a minute, so a flood of one-off senders does not stay in memory', () => {
    const clock = fixedClock(new Date(T0));
    const limiter = new TurnLimiter(1, clock);
    for (let i = 0; i < 1000; i++) limiter.check(`sender-${i}`);
    clock.set(new Date(T0 + 61_000));
    limiter.check('late');
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
  });
});
