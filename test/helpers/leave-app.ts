import type { fixedClock } from '../../src/shared/clock';
import { personalMessage } from './activities';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from './people';
import { startTestApp, type TestApp } from './test-app';

/** Plain functions, not methods: a test destructures them. */
export interface LeaveApp {
  /** Starts hibi on the clock with the directory loaded, hibi installed in everyone's chat (beforeAll). */
  start: () => Promise<TestApp>;
  /** hibi's first reply to `text` sent by person `id`. */
  say: (id: string, text: string) => Promise<string>;
  /** The scheduler's due jobs at `at` (Tokyo time), delivered: who got a message, in directory order. */
  jobsAt: (at: string) => Promise<string[]>;
  /** What person `id`'s chat got since the last `say` or `jobsAt`, each message's body as JSON. */
  sentTo: (id: string) => string[];
}

/**
 * The leave tests' hibi: a small 課 from `csv` whose staff send 休み as they would, on a clock the
 * tests move. Made at describe time, so a test file keeps `say` and `jobsAt` as plain names.
 */
export function leaveApp(csv: string, clock: ReturnType<typeof fixedClock>): LeaveApp {
  let started: { t: TestApp; org: TestOrg } | undefined;
  const app = (): { t: TestApp; org: TestOrg } => {
    if (!started) throw new Error('leaveApp: start() it in beforeAll first');
    return started;
  };
  return {
    start: async () => {
      const t = await startTestApp({}, { clock });
      started = { t, org: await loadTestOrg(t, csv) };
      return t;
    },
    say: async (id, text) => {
      const { t, org } = app();
      t.connector.reset();
      await t.post(personalMessage(teamsUserOf(org.by(id), org.base), text));
      return t.connector.sent().map((c) => String(c.body.text))[0] ?? '';
    },
    jobsAt: async (at) => {
      const { t, org } = app();
      clock.set(new Date(`${at}+09:00`));
      t.connector.reset();
      await t.app.runDueJobs();
      await t.app.deliverPending();
      const sent = t.connector.sent();
      return org.people.filter((p) => sent.some((c) => c.conversationId === conversationOf(p))).map((p) => p.id);
    },
    sentTo: (id) => {
      const { t, org } = app();
      return t.connector
        .sent()
        .filter((c) => c.conversationId === conversationOf(org.by(id)))
        .map((c) => JSON.stringify(c.body));
    },
  };
}
