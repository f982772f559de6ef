/** Injected wherever "now" matters, so schedules and day boundaries are testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock & { set(at: Date): void } {
  let current = at;
  return {
    now: () => new Date(current.getTime()),
    set: (next: Date) => {
      current = next;
    },
  };
}

/** Starts at `start` and runs at real speed: lets a developer see the 08:45 prompt at any hour. */
export function shiftedClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
