import { CheckinRepository } from '../../src/features/checkin/checkin.repository';
import { parsePeriod } from '../../src/features/kpi/kpi.period';
import { importPaidLeaveCsv } from '../../src/features/paidleave/paidleave.import';
import { PaidLeaveRepository } from '../../src/features/paidleave/paidleave.repository';
import { PaidLeaveKpiSource } from '../../src/features/paidleave/paidleave.source';
import { paidLeaveRate } from '../../src/features/paidleave/paidleave.tally';
import { translator } from '../../src/i18n/i18n';
import { fixedClock } from '../../src/shared/clock';
import { personalMessage } from '../helpers/activities';
import { loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CSV = `職員番号,氏名,所属,役職,上司,AADオブジェクトID
K1,建設 課長,建設課,課長,,00000000-0000-4000-8000-00000000a001
K2,土木 主任,建設課,主任,K1,00000000-0000-4000-8000-00000000a002
K3,建築 主事,建設課,主事,K1,00000000-0000-4000-8000-00000000a003
`;

describe('paid leave taken, from 休み sent through /api/messages and HR’s import', () => {
  const clock = fixedClock(new Date('2026-05-01T09:00:00+09:00'));
  let t: TestApp;
  let org: TestOrg;
  let source: PaidLeaveKpiSource;
  let grants: PaidLeaveRepository;

  const say = async (id: string, text: string): Promise<string[]> => {
    t.connector.reset();
    await t.post(personalMessage(teamsUserOf(org.by(id), org.base), text));
    return t.connector.sent().map((c) => String(c.body.text));
  };
  const hrImports = async (lines: string[]) => {
    const outcome = await importPaidLeaveCsv({ grants, listPeople: (tenant) => t.app.org.listPeople(tenant) }, t.tenantId, lines.join('\n'), {
      t: translator('ja'),
      today: '2026-11-25',
      now: clock.now(),
      apply: true,
    });
    expect(outcome.ok).toBe(true);
  };
  const tallies = async (period: string) => (await source.paidLeave(t.tenantId, parsePeriod(period))).sort((a, b) => a.personId.localeCompare(b.personId));

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadTestOrg(t, CSV);
    grants = new PaidLeaveRepository(t.app.tables);
    source = new PaidLeaveKpiSource({ grants, leaves: new CheckinRepository(t.app.tables), clock });
    // Planned on 1 May: two office days, a Saturday (no paid leave) and a day in the second half.
    for (const day of ['5/7', '5/8', '5/9', '10/1']) expect((await say('K2', `休み ${day}`))[0]).toContain('を休暇として登録しました');
    expect((await say('K3', '休暇 5/7'))[0]).toContain('を休暇として登録しました');
    clock.set(new Date('2026-11-25T10:00:00+09:00'));
  });
  afterAll(() => t.stop());

  it('has no figures before HR imports the days granted', async () => {
    expect(await tallies('FY2026')).toEqual([]);
  });

  it('counts each 休み office day when HR gave no days taken, and lets the import win where it has them', async () => {
    await hrImports(['年度,職員番号,付与日数,取得日数,取得日数の基準日', '2026,K1,20,,', '2026,K2,20,,', '2026,K3,10,6,2026-06-30']);
    expect(await tallies('FY2026H1')).toEqual([
      { personId: 'K1', grantedDays: 20, takenDays: 0 },
      { personId: 'K2', grantedDays: 20, takenDays: 2 },
      // K3's 休み of 7 May is inside the import's days: 6, not 7.
      { personId: 'K3', grantedDays: 10, takenDays: 6 },
    ]);
    expect(await tallies('FY2026')).toEqual([
      { personId: 'K1', grantedDays: 20, takenDays: 0 },
      { personId: 'K2', grantedDays: 20, takenDays: 3 },
      { personId: 'K3', grantedDays: 10, takenDays: 6 },
    ]);
    expect(paidLeaveRate(await tallies('FY2026'))).toBeCloseTo(9 / 50, 10);
    // May ends before the import's date: its days taken are the 休み days of May.
    expect((await tallies('2026-05')).map((x) => x.takenDays)).toEqual([0, 2, 1]);
  });

  it('adds the 休み days after the import’s date, and a re-import replaces the person’s year', async () => {
    await say('K3', '休み 12/1');
    await hrImports(['年度,職員番号,付与日数,取得日数,取得日数の基準日', '2026,K3,12,7,2026-11-24']);
    clock.set(new Date('2026-12-02T10:00:00+09:00'));
    expect((await tallies('FY2026')).find((x) => x.personId === 'K3')).toEqual({ personId: 'K3', grantedDays: 12, takenDays: 8 });
    clock.set(new Date('2026-11-25T10:00:00+09:00'));
    // 1 December has not come: a planned day off is not leave taken.
    expect((await tallies('FY2026')).find((x) => x.personId === 'K3')).toEqual({ personId: 'K3', grantedDays: 12, takenDays: 7 });
  });

  it('tells each person their own balance with `有給` / `leave balance`, and where the figure comes from', async () => {
    expect(await say('K2', '有給')).toEqual([
      '令和8年度（FY2026）の有給休暇: 付与 20日 / 取得 3日 / 残り 17日（取得率 15%、町の目標は 70%以上）\n\n取得日数は hibi に登録した「休み」の勤務日（2026年11月25日(水)まで）を1日ずつ（午前休・午後休は0.5日）数えたものです。',
    ]);
    await say('K3', 'language English');
    expect(await say('K3', 'leave balance')).toEqual([
      'Your paid leave in FY2026: granted 12 days / taken 7 / remaining 5 (taken 58%, the town aims at 70% or more)\n\nDays taken are HR’s import (as of Tue 24 Nov 2026) plus the office days you registered as 休み (leave) in hibi since then, up to Wed 25 Nov 2026.',
    ]);
    await grants.replace(t.tenantId, [
      { fiscalYear: 2026, personId: 'K1', grantedDays: 20, takenDays: 11.5, takenAsOf: '2026-11-25', importedAt: clock.now().toISOString() },
    ]);
    expect(await say('K1', '年休')).toEqual([
      '令和8年度（FY2026）の有給休暇: 付与 20日 / 取得 11.5日 / 残り 8.5日（取得率 58%、町の目標は 70%以上）\n\n取得日数は人事の取り込み（2026年11月25日(水)時点）によります。',
    ]);
  });

  it('says so when HR has not imported the person’s year', async () => {
    clock.set(new Date('2027-04-02T10:00:00+09:00'));
    expect(await say('K2', '有休')).toEqual(['令和9年度（FY2027）の有給休暇の付与日数は、まだ人事から取り込まれていません。']);
  });
});
