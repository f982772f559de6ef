import { Writable } from 'node:stream';
import { NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import { fixedClock } from '../../src/shared/clock';
import { loadNearMissOrg, type NearMissOrg } from '../helpers/nearmiss-org';
import { conversationOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('an anonymous near-miss leaves nothing that points at its reporter', () => {
  let t: TestApp;
  let org: NearMissOrg;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        logLines.push(chunk.toString());
        done();
      },
    });
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T17:05:00+09:00')) }, sink);
    org = await loadNearMissOrg(t);
  });
  afterAll(() => t.stop());

  /** Every row of the tenant in every table of the account, by table/partition/row with its etag and content. */
  async function tenantRows(): Promise<Map<string, { etag: string; json: string }>> {
    const rows = new Map<string, { etag: string; json: string }>();
    for await (const table of t.app.tables.service().listTables()) {
      const name = table.name ?? '';
      for await (const entity of t.app.tables.table(name).listEntities()) {
        if (!String(entity.partitionKey).startsWith(t.tenantId)) continue;
        rows.set(`${name}/${entity.partitionKey}/${entity.rowKey}`, { etag: entity.etag, json: JSON.stringify(entity) });
      }
    }
    return rows;
  }

  function changedSince(before: Map<string, { etag: string }>, after: Map<string, { etag: string; json: string }>): string[] {
    return [...after.entries()].filter(([key, row]) => before.get(key)?.etag !== row.etag).map(([key, row]) => `${key} ${row.json}`);
  }

  it('stores, sends and logs no id, name, Entra id, Teams id or chat of the reporter; the time only to the hour', async () => {
    const reporter = org.by('RPTZ9');
    const needles = [reporter.id, reporter.name, '秘密', reporter.aadObjectId as string, `29:${reporter.id}`, conversationOf(reporter)];
    const before = await tenantRows();
    // The scan can see them: the directory holds every one of the reporter's ids before the report.
    const everything = [...before.values()].map((r) => r.json).join('\n');
    for (const needle of [reporter.id, reporter.name, reporter.aadObjectId as string, conversationOf(reporter)]) expect(everything).toContain(needle);
    const firstLine = logLines.length;

    await org.report('RPTZ9', { anonymous: 'true', what: '匿名の報告テキスト', date: '2026-11-25', time: '16:47', impact: '4' });
    const queued = changedSince(before, await tenantRows());
    await t.app.deliverPending();
    await org.submit('M', { verb: 'nearmiss.ack', id: 'NM-2026-0001' });
    await t.app.deliverPending();
    const delivered = changedSince(before, await tenantRows());

    expect(queued.some((row) => row.includes('匿名の報告テキスト'))).toBe(true);
    expect(queued.some((row) => row.startsWith('outbox/'))).toBe(true);
    const lines = logLines.slice(firstLine);
    expect(lines.some((line) => line.includes('"kind":"submit"'))).toBe(true);
    for (const needle of needles) {
      for (const row of [...queued, ...delivered]) expect(row).not.toContain(needle);
      for (const line of lines) expect(line).not.toContain(needle);
    }

    const [report] = await new NearMissRepository(t.app.tables).listAll(t.tenantId);
    expect(report?.reporterId).toBeUndefined();
    expect(report?.occurredAt).toBe('2026-11-25T16:00:00.000+09:00');
    expect(report?.createdAt).toBe('2026-11-25T17:00:00.000+09:00');
    expect(t.connector.sent().some((c) => c.conversationId === conversationOf(reporter) && JSON.stringify(c.body).includes('確認しました'))).toBe(false);
    const managerCard = t.connector.sent().find((c) => c.conversationId === conversationOf(org.by('M')));
    expect(JSON.stringify(managerCard?.body)).toContain('匿名の報告（建設課）');
  });
});
