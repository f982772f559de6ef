import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { NEARMISS_TABLES } from '../../src/features/nearmiss/nearmiss.repository';
import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { cardSubmit, personalMessage } from '../helpers/activities';
import type { RecordedCall } from '../helpers/connector-double';
import { changedRows, isRefusal, isTurnFailure, LogLines, snapshotTenant } from '../helpers/hardening';
import { madeUpText, mutations, rawRequest, unknownSubmit, wrongCommand, wrongSubmit, type KnownIds, type RawRequest } from '../helpers/malformed-input';
import { ONEONONE_CSV } from '../helpers/oneonone-org';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const TODAY = '2026-11-25';
/** Smaller than the default so the oversized bodies stay quick to build; the default is tested in hardening-limits. */
const MAX_BODY_BYTES = 64 * 1024;
/** Every request must be answered well within this; a hang fails the run. */
const ANSWER_WITHIN_MS = 15_000;
/** Requests sent at once: Teams posts turns of many people concurrently, and it keeps the run short. */
const BATCH = 8;
/** Fixed so CI replays the same inputs; FUZZ_SEED=<n> explores others (a failure prints its seed). */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

describe('malformed input on /api/messages (property-based)', () => {
  // A failure is reported as found: shrinking batches of real turns takes minutes on a busy machine.
  fc.configureGlobal({ endOnFailure: true });
  // About 1,250 requests; a loaded machine needs longer than jest's default per test.
  jest.setTimeout(240_000);
  const logs = new LogLines();
  let t: TestApp;
  let org: TestOrg;
  let ids: KnownIds;
  let stored: Map<string, string>;
  let requests = 0;

  const activityOf = (personId: string, text: string) => personalMessage(teamsUserOf(org.by(personId), org.base), text) as Record<string, unknown>;

  async function send(body: string | Uint8Array, headers: Record<string, string>): Promise<number> {
    requests += 1;
    const response = await fetch(`${t.url}/api/messages`, { method: 'POST', headers, body, signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    await response.text();
    return response.status;
  }

  /** Posts the activities at once (as Teams would from several chats); statuses in order, and every call and error logged meanwhile. */
  async function together(activities: Record<string, unknown>[]) {
    const callsBefore = t.connector.calls.length;
    const logsBefore = logs.lines.length;
    const statuses = await Promise.all(activities.map((a) => send(JSON.stringify(a), { 'content-type': 'application/json' })));
    return { statuses, calls: t.connector.calls.slice(callsBefore), errors: logs.errorsSince(logsBefore) };
  }

  /** Posts, and returns the status, the calls the turn made and any error logged meanwhile. */
  async function turn(body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }) {
    const callsBefore = t.connector.calls.length;
    const logsBefore = logs.lines.length;
    const status = await send(body, headers);
    return { status, calls: t.connector.calls.slice(callsBefore), errors: logs.errorsSince(logsBefore) };
  }

  const describeCalls = (calls: RecordedCall[]) => calls.map((c) => JSON.stringify(c.body).slice(0, 300));

  beforeAll(async () => {
    t = await startTestApp(
      { TURN_RATE_LIMIT_PER_MINUTE: '100000', MAX_BODY_BYTES: String(MAX_BODY_BYTES) },
      { clock: fixedClock(new Date(`${TODAY}T09:00:00+09:00`)) },
      logs,
    );
    org = await loadTestOrg(t, ONEONONE_CSV);
    // Real things to point at, so wrong submits also reach the checks behind the first lookup.
    await t.post(personalMessage(teamsUserOf(org.by('M'), org.base), '1on1'));
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'X', meetingId: '', date: '2026-11-27', time: '14:00', length: '30' });
    await org.submit('X', {
      verb: 'nearmiss.submit',
      formId: '0d4f6a3e-2b1c-4e8f-9a7d-5c3b2a1f0e9d',
      date: TODAY,
      time: '08:00',
      category: 'counter',
      what: '申請書を別の方に渡しかけた',
      impact: '2',
      anonymous: 'false',
    });
    const meetings = [];
    for await (const e of t.app.tables
      .table(ONEONONE_TABLES.meetings)
      .listEntities<{ meetingId: string }>({ queryOptions: { filter: `PartitionKey eq '${t.tenantId}|M'` } }))
      meetings.push(e.meetingId);
    const reports = [];
    for await (const e of t.app.tables
      .table(NEARMISS_TABLES.forms)
      .listEntities<{ reportId: string }>({ queryOptions: { filter: `PartitionKey eq '${t.tenantId}'` } }))
      reports.push(e.reportId);
    expect(meetings).toHaveLength(1);
    expect(reports).toHaveLength(1);
    ids = { today: TODAY, meetingId: meetings[0] as string, reportId: reports[0] as string };
    stored = await snapshotTenant(t.app.tables, t.tenantId);
    t.connector.reset();
  });
  afterAll(() => t.stop());

  it('refuses bodies that are not a JSON activity, or too large, with 400/413/415 before any turn', async () => {
    await fc.assert(
      fc.asyncProperty(
        rawRequest(() => activityOf('X', 'ヘルプ'), MAX_BODY_BYTES),
        async (request: RawRequest) => {
          const headers: Record<string, string> = {};
          if (request.contentType) headers['content-type'] = request.contentType;
          if (request.contentEncoding) headers['content-encoding'] = request.contentEncoding;
          const { status, calls, errors } = await turn(request.body, headers);
          expect(status).toBe(request.expect);
          expect(calls).toEqual([]);
          expect(errors).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('answers activities botbuilder cannot read (missing fields, wrong types, odd types and scopes) with 2xx/4xx and no failed turn', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(madeUpText, mutations), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const { statuses, calls, errors } = await together(
          batch.map(([text, changes]) => {
            const activity = activityOf('X', text);
            for (const change of changes) change(activity);
            return activity;
          }),
        );
        for (const status of statuses) {
          expect(status).toBeGreaterThanOrEqual(200);
          expect(status).toBeLessThan(500);
        }
        expect(errors).toEqual([]);
        expect(calls.filter(isTurnFailure)).toEqual([]);
      }),
      { seed: SEED, numRuns: 400 / BATCH },
    );
  });

  it('answers every submit with a known verb and wrong values with a refusal in the chat, never a failed turn', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(wrongSubmit, fc.boolean()), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const activities = batch.map(([submit, fromCard]) => {
          const activity = cardSubmit(teamsUserOf(org.by(submit.persona), org.base), submit.value(ids), `card-${randomUUID()}`) as Record<string, unknown>;
          if (!fromCard) delete activity.replyToId;
          return activity;
        });
        const { statuses, calls, errors } = await together(activities);
        expect(errors).toEqual([]);
        batch.forEach(([submit], i) => {
          const activity = activities[i] as { id: string; replyToId?: string };
          // A reply names the activity it answers; an update in place names the card's message.
          const answers = calls.filter((c) => c.activityId === activity.id || (activity.replyToId !== undefined && c.activityId === activity.replyToId));
          const seen = { verb: submit.verb, broken: submit.broken, status: statuses[i], answers: describeCalls(answers) };
          expect(seen).toEqual({ ...seen, status: 200 });
          expect(answers.length).toBeGreaterThan(0);
          expect(answers.every((c) => c.conversationId === conversationOf(org.by(submit.persona)))).toBe(true);
          expect({ ...seen, refused: answers.some(isRefusal), failed: answers.some(isTurnFailure) }).toEqual({ ...seen, refused: true, failed: false });
        });
      }),
      { seed: SEED, numRuns: 480 / BATCH },
    );
  });

  it('answers unknown verbs, values that are not objects, made-up text and refused command arguments without a failed turn', async () => {
    const input = fc.oneof(
      unknownSubmit.map((value) => ({ kind: 'submit' as const, value })),
      madeUpText.map((text) => ({ kind: 'text' as const, text })),
      wrongCommand.map((text) => ({ kind: 'command' as const, text })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const user = teamsUserOf(org.by('X'), org.base);
        const activities = batch.map(
          (one) => (one.kind === 'submit' ? { ...cardSubmit(user, {}), value: one.value } : personalMessage(user, one.text)) as Record<string, unknown>,
        );
        const { statuses, calls, errors } = await together(activities);
        expect(statuses.every((s) => s === 200)).toBe(true);
        expect(errors).toEqual([]);
        expect(calls.filter(isTurnFailure)).toEqual([]);
        batch.forEach((one, i) => {
          const answers = calls.filter((c) => c.activityId === (activities[i] as { id: string }).id);
          expect(answers.length).toBeGreaterThan(0);
          if (one.kind === 'command') expect({ text: one.text, refused: answers.some(isRefusal) }).toEqual({ text: one.text, refused: true });
        });
      }),
      { seed: SEED, numRuns: 160 / BATCH },
    );
  });

  it('stored nothing through all of it, and still answers /healthz and a real message', async () => {
    expect(requests).toBeGreaterThanOrEqual(1000);
    expect(changedRows(stored, await snapshotTenant(t.app.tables, t.tenantId))).toEqual([]);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    t.connector.reset();
    expect(await t.post(personalMessage(teamsUserOf(org.by('X'), org.base), 'ヘルプ'))).toBe(200);
    expect(JSON.stringify(t.connector.sent()[0]?.body)).toContain('hibi の使い方');
  });
});
