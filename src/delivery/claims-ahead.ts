/**
 * How many rows one worker holds claimed while they wait for their moment to be sent. A few, so that
 * a slow claim (a storage round trip) never makes a send late; no more, since a row claimed and not
 * yet sent when its instance dies is sent again marked 再送.
 */
export class ClaimsAhead {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error('at least one row may be claimed ahead');
  }

  /** Waits for a place; false if the signal aborted first (no place taken). */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    while (this.held >= this.limit) {
      if (signal?.aborted) return false;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', wake);
          // Out of the queue whoever woke it, so a release is never spent on a waiter that gave up.
          const index = this.waiting.indexOf(wake);
          if (index !== -1) this.waiting.splice(index, 1);
          resolve();
        };
        this.waiting.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
    if (signal?.aborted) return false;
    this.held += 1;
    return true;
  }

  release(): void {
    this.held -= 1;
    this.waiting[0]?.();
  }
}
