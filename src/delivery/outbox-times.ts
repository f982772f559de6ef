const HOUR_MS = 3_600_000;

/**
 * The times an outbox row stores. A row with `coarse` set must not say when its send was made (an
 * anonymous report's cards: the minute would line up with whoever was online then), so a time that
 * has passed is cut down to the hour and a deadline (a lease, a retry) is raised to the next full
 * hour: never earlier than asked, so a lease still protects its send and a retry still backs off.
 */
export function pastStamp(at: Date, coarse: boolean | undefined): string {
  return (coarse ? new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS) : at).toISOString();
}

export function deadlineStamp(at: Date, coarse: boolean | undefined): string {
  return (coarse ? new Date(Math.ceil(at.getTime() / HOUR_MS) * HOUR_MS) : at).toISOString();
}
