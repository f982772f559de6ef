/**
 * How long the e2e waits may take. Every wait in test/e2e is for a state (a bubble, a card text, a
 * row, hibi answering /healthz), never for a time, and none has a deadline of its own sized to how long
 * the step "should" take: on a machine shared with other work a step takes many times its usual time.
 * What bounds them is the budget of the flow they are in, one number for all its waits: a guard
 * against a wait that will never end (hibi hung, a selector that matches nothing), far longer than
 * a flow has ever taken. A wait also ends at once when a process the flow needs has died.
 */

/** One flow of a file. A flow takes 5–60 s alone and a few times that on a loaded machine. */
export const FLOW_BUDGET_MS = 10 * 60_000;
/** Azurite, hibi, Chromium, a Playground per person and each person's page (9 MB of script) opened. */
export const SETUP_BUDGET_MS = 10 * 60_000;
/** Closing pages and stopping the processes, which stop as soon as they can. */
export const TEARDOWN_BUDGET_MS = 5 * 60_000;
/** Our waits end this long before jest's timeout, so a wait that never ends says what it waited for. */
const REPORT_MARGIN_MS = 15_000;

let deadline = Date.now() + FLOW_BUDGET_MS - REPORT_MARGIN_MS;
let died: Error | undefined;
const onDeath = new Set<(error: Error) => void>();

/** Called as a flow (or the setup) starts: its waits share `budgetMs`. */
export function startBudget(budgetMs: number): void {
  deadline = Date.now() + budgetMs - REPORT_MARGIN_MS;
}

/** What is left of the current budget: the timeout of any wait started now. */
export function remainingMs(): number {
  return Math.max(1, deadline - Date.now());
}

/** A process the flows need has died: every wait in progress, and any started later, fails with `error`. */
export function processDied(error: Error): void {
  died ??= error;
  for (const fail of onDeath) fail(error);
}

/** `wait`, unless a process the flows need dies first: then that is the error, not a timeout much later. */
export async function unlessDied<T>(wait: Promise<T>): Promise<T> {
  if (died) throw died;
  let fail: ((error: Error) => void) | undefined;
  const death = new Promise<never>((_, reject) => {
    fail = reject;
    onDeath.add(reject);
  });
  try {
    return await Promise.race([wait, death]);
  } finally {
    if (fail) onDeath.delete(fail);
    death.catch(() => undefined);
  }
}

/** Polls until `done` holds or the budget is spent, and returns the last value read: the assertion after it says what was wrong. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await unlessDied(read());
    if (done(value) || remainingMs() <= 1) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
