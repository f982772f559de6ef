import { NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import { fixedClock } from '../../src/shared/clock';
import { loadNearMissOrg, textOf, type NearMissOrg } from '../helpers/nearmiss-org';
import { conversationOf } from '../helpers/people';
import { logCapture, tenantRows } from '../helpers/storage-snapshot';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('an anonymous near-miss leaves nothing that points at its reporter', () => {
  let t: TestApp;
  let org: NearMissOrg;
  const { sink, lines: logLines } = logCapture();

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T17:05:00+09:00')) }, sink);
    org = await loadNearMissOrg(t);
  });
  afterAll(() => t.stop());

  function changedSince(before: Map<string, { etag: string }>, after: Map<string, { etag: string; json: string }>): string[] {
    return [...after.entries()].filter(([key, row]) => before.get(key)?.etag !== row.etag).map(([key, row]) => `${key} ${row.json}`);
  }

  /** The outbox's own times of the rows the report made (Azure's Timestamp column is the service's, not ours). */
  const OUTBOX_TIMES = ['createdAt', 'nextAttemptAt', 'leaseUntil', 'finishedAt', 'touchedAt'];

  it('opening the form, filing it: stores, sends and logs no id, name, Entra id, Teams id or chat of the reporter; times only to the hour', async () => {
    const reporter = org.by('RPTZ9');
    const needles = [reporter.id, reporter.name, '秘密', reporter.aadObjectId as string, `29:${reporter.id}`, conversationOf(reporter)];
    const before = await tenantRows(t.app.tables, t.tenantId);
    // The scan can see them: the directory holds every one of the reporter's ids before the report.
    const everything = [...before.values()].map((r) => r.json).join('\n');
    for (const needle of [reporter.id, reporter.name, reporter.aadObjectId as string, conversationOf(reporter)]) expect(everything).toContain(needle);
    const firstLine = logLines.length;
    const formsBefore = t.connector.sent().filter((c) => c.conversationId === conversationOf(reporter)).length;

    // The form is opened by typing the command and from the evening card's button, minutes before the report.
    await org.say('RPTZ9', 'ヒヤリハット');
    await org.submit('RPTZ9', { verb: 'nearmiss.open' }, 'evening-card');
    const forms = t.connector
      .sent()
      .filter((c) => c.conversationId === conversationOf(reporter))
      .slice(formsBefore)
      .map(textOf);
    expect(forms).toHaveLength(2);
    const formId = /"formId":"([0-9a-f-]{36})"/.exec(forms[0] ?? '')?.[1];
    expect(formId).toBeDefined();
    await org.report('RPTZ9', { anonymous: 'true', formId: formId as string, what: '匿名の報告テキスト', date: '2026-11-25', time: '16:47', impact: '4' });
    const queued = changedSince(before, await tenantRows(t.app.tables, t.tenantId));
    // HR's copy is throttled, so a retry's deadline is among the times kept: raised to the next full hour.
    t.connector.intercept((call) => (call.conversationId === conversationOf(org.by('HR1')) ? { status: 429, retryAfterSeconds: 1 } : undefined));
    await t.app.deliverPending();
    t.connector.intercept(undefined);
    await org.submit('M', { verb: 'nearmiss.ack', id: 'NM-2026-0001' });
    await t.app.deliverPending();
    const delivered = changedSince(before, await tenantRows(t.app.tables, t.tenantId));

    expect(queued.some((row) => row.includes('匿名の報告テキスト'))).toBe(true);
    expect(queued.some((row) => row.startsWith('outbox/'))).toBe(true);
    const lines = logLines.slice(firstLine);
    expect(lines.some((line) => line.includes('"kind":"command"'))).toBe(true);
    expect(lines.some((line) => line.includes('"kind":"submit"'))).toBe(true);
    for (const needle of needles) {
      for (const row of [...queued, ...delivered]) expect(row).not.toContain(needle);
      for (const line of lines) expect(line).not.toContain(needle);
    }

    // Every time the outbox keeps of the report's cards (written on the real clock) is cut to the hour.
    const outboxRows = delivered.filter((row) => row.startsWith('outbox'));
    const times = outboxRows.flatMap((row) => {
      const entity = JSON.parse(row.slice(row.indexOf(' {') + 1)) as Record<string, unknown>;
      return OUTBOX_TIMES.filter((name) => entity[name] !== undefined).map((name) => `${name}=${String(entity[name])}`);
    });
    expect(outboxRows.some((row) => row.includes('nearmiss.report|NM-2026-0001|M'))).toBe(true);
    expect(times.filter((time) => time.startsWith('createdAt=')).length).toBeGreaterThan(1);
    expect(times.some((time) => time.startsWith('finishedAt='))).toBe(true);
    expect(
      outboxRows.some(
        (row) => row.includes('nearmiss.report|NM-2026-0001|HR1') && row.includes('"status":"pending"') && row.includes('"lastError":"429:Throttled"'),
      ),
    ).toBe(true);
    for (const time of times) expect(time).toMatch(/T\d{2}:00:00\.000Z$/);

    const [report] = await new NearMissRepository(t.app.tables).listAll(t.tenantId);
    expect(report?.reporterId).toBeUndefined();
    expect(report?.occurredAt).toBe('2026-11-25T16:00:00.000+09:00');
    expect(report?.createdAt).toBe('2026-11-25T17:00:00.000+09:00');
    expect(t.connector.sent().some((c) => c.conversationId === conversationOf(reporter) && JSON.stringify(c.body).includes('確認しました'))).toBe(false);
    const managerCard = t.connector.sent().find((c) => c.conversationId === conversationOf(org.by('M')));
    expect(JSON.stringify(managerCard?.body)).toContain('匿名の報告（建設課）');
  });
});
