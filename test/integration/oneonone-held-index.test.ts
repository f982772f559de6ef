import { randomUUID } from 'node:crypto';
import { OneOnOneRepository, ONEONONE_TABLES, type HeldFacts } from '../../src/features/oneonone/oneonone.repository';
import type { Meeting, MeetingStatus } from '../../src/features/oneonone/oneonone.schema';
import { fixedClock } from '../../src/shared/clock';
import { loadOneOnOneOrg, type OneOnOneOrg } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/**
 * HR's nightly rollup reads the held 1on1s through `oneononeheld` (tenant|heldDay) rather than every
 * meeting of the tenant: written as 1on1s are recorded, kept in step when a meeting changes, and
 * filled once for meetings held before the index existed.
 */
describe('the held 1on1 index', () => {
  // Friday 2026-11-20; the 1on1 is on Tuesday 11-24 (Monday 11-23 is 勤労感謝の日).
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;
  let repo: OneOnOneRepository;

  async function heldRows(tenantId: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${tenantId}|' and PartitionKey lt '${tenantId}}'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.held).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }

  const meeting = (tenantId: string, i: number, status: MeetingStatus, heldDay?: string): Meeting => ({
    tenantId,
    managerId: `MG${i % 3}`,
    memberId: `MB${i}`,
    meetingId: `m20260101090000-${String(i).padStart(6, '0')}`,
    unit: `第${(i % 4) + 1}課`,
    memberRole: i % 2 === 0 ? 'staff' : 'chief',
    day: heldDay ?? '2026-12-01',
    time: '10:00',
    lengthMinutes: 30,
    status,
    ...(heldDay ? { heldDay, heldAt: `${heldDay}T01:00:00.000Z` } : {}),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  const facts = (m: Meeting): HeldFacts => ({ managerId: m.managerId, memberId: m.memberId, unit: m.unit, memberRole: m.memberRole, heldDay: m.heldDay ?? '' });
  const key = (f: HeldFacts): string => `${f.heldDay} ${f.managerId}>${f.memberId} ${f.unit} ${f.memberRole}`;
  const keys = (list: HeldFacts[]): string[] => list.map(key).sort();

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadOneOnOneOrg(t);
    repo = new OneOnOneRepository(t.app.tables);
  });
  afterAll(() => t.stop());

  it('recording a 1on1 through /api/messages writes its row under the day it was held', async () => {
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'X', date: '2026-11-24', time: '14:00', length: '30' });
    expect(await heldRows(t.tenantId)).toEqual([]);
    const [booked] = await repo.listForManager(t.tenantId, 'M');
    clock.set(jst('2026-11-24T15:00:00'));
    await org.submit('M', { verb: 'oneonone.record.save', managerId: 'M', memberId: 'X', meetingId: booked?.meetingId, good: '丁寧な窓口対応' });
    expect(await heldRows(t.tenantId)).toEqual([
      expect.objectContaining({
        partitionKey: `${t.tenantId}|2026-11-24`,
        rowKey: `M|X|${booked?.meetingId}`,
        managerId: 'M',
        memberId: 'X',
        unit: '建設課',
        memberRole: 'staff',
        heldDay: '2026-11-24',
      }),
    ]);
    expect(keys(await repo.listHeldSince(t.tenantId, '2026-11-01'))).toEqual(['2026-11-24 M>X 建設課 staff']);
    expect(await repo.listHeldSince(t.tenantId, '2026-11-25')).toEqual([]);
  });

  it('lists what the meetings say for a mix of held, booked and cancelled 1on1s across days and tenants, kept in step as they change', async () => {
    const tenant = randomUUID();
    const other = randomUUID();
    const days = ['2026-03-31', '2026-04-01', '2026-06-15', '2026-11-24'];
    const statuses: MeetingStatus[] = ['held', 'scheduled', 'held', 'cancelled', 'held'];
    const mine = Array.from({ length: 20 }, (_, i) => {
      const status = statuses[i % statuses.length] as MeetingStatus;
      return meeting(tenant, i, status, status === 'held' ? days[i % days.length] : undefined);
    });
    for (const m of mine) await repo.save(m);
    for (const m of mine.slice(0, 8)) await repo.save({ ...m, tenantId: other, memberId: `O${m.memberId}` });

    const expected = (list: Meeting[], from: string) => keys(list.filter((m) => m.status === 'held' && (m.heldDay ?? '') >= from).map(facts));
    for (const from of ['2000-01-01', '2026-04-01', '2026-06-16']) expect(keys(await repo.listHeldSince(tenant, from))).toEqual(expected(mine, from));
    expect(expected(mine, '2026-04-01').length).toBeGreaterThan(3);
    expect(keys(await repo.listHeldSince(other, '2000-01-01'))).toHaveLength(expected(mine.slice(0, 8), '2000-01-01').length);

    // A held day corrected, a held 1on1 cancelled, a booked one held: the index follows each.
    const [moved, cancelled, held] = [mine[0], mine[2], mine[1]] as [Meeting, Meeting, Meeting];
    const changed = mine.map((m) =>
      m === moved
        ? { ...m, heldDay: '2026-11-25' }
        : m === cancelled
          ? { ...m, status: 'cancelled' as const, heldDay: undefined }
          : m === held
            ? { ...m, status: 'held' as const, heldDay: '2026-07-01' }
            : m,
    );
    for (const m of [moved, cancelled, held]) await repo.save(changed[mine.indexOf(m)] as Meeting);
    expect(keys(await repo.listHeldSince(tenant, '2000-01-01'))).toEqual(expected(changed, '2000-01-01'));
    expect((await heldRows(tenant)).filter((r) => r.memberId === moved.memberId).map((r) => r.heldDay)).toEqual(['2026-11-25']);
    // The same save twice is one row.
    await repo.save(changed[0] as Meeting);
    expect((await heldRows(tenant)).filter((r) => r.memberId === moved.memberId)).toHaveLength(1);
  });

  it('fills the index once from meetings held before it existed, then reads only the index', async () => {
    const tenant = randomUUID();
    const meetings = t.app.tables.table(ONEONONE_TABLES.meetings);
    const stored = (m: Meeting) => ({
      partitionKey: `${tenant}|${m.managerId}`,
      rowKey: `${m.memberId}|${m.meetingId}`,
      managerId: m.managerId,
      memberId: m.memberId,
      meetingId: m.meetingId,
      unit: m.unit,
      memberRole: m.memberRole,
      day: m.day,
      time: m.time,
      lengthMinutes: m.lengthMinutes,
      status: m.status,
      heldDay: m.heldDay ?? '',
      heldAt: m.heldAt ?? '',
      confirmedAt: '',
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
    });
    // Rows as an older hibi wrote them: straight into the meetings, no index.
    const old = [
      meeting(tenant, 1, 'held', '2026-05-01'),
      meeting(tenant, 2, 'scheduled'),
      meeting(tenant, 3, 'held', '2026-10-01'),
      meeting(tenant, 4, 'cancelled'),
    ];
    for (const m of old) await meetings.createEntity(stored(m));
    expect(await heldRows(tenant)).toEqual([]);

    expect(keys(await repo.listHeldSince(tenant, '2026-01-01'))).toEqual(keys([old[0], old[2]].map((m) => facts(m as Meeting))));
    const rows = await heldRows(tenant);
    expect(rows.map((r) => r.partitionKey).sort()).toEqual([`${tenant}|2026-05-01`, `${tenant}|2026-10-01`, `${tenant}|~indexed`]);

    // Once marked, the meetings are not read again: a row written behind the repository's back is not seen.
    await meetings.createEntity(stored(meeting(tenant, 5, 'held', '2026-11-02')));
    expect(keys(await repo.listHeldSince(tenant, '2026-01-01'))).toEqual(keys([old[0], old[2]].map((m) => facts(m as Meeting))));
    expect(await heldRows(tenant)).toHaveLength(3);
  });
});
