import { CHECKIN_TABLES } from '../../src/features/checkin/checkin.repository';
import { KPI_TABLES } from '../../src/features/kpi/kpi.repository';
import { importPaidLeaveCsv } from '../../src/features/paidleave/paidleave.import';
import { PaidLeaveRepository } from '../../src/features/paidleave/paidleave.repository';
import { translator } from '../../src/i18n/i18n';
import { fixedClock } from '../../src/shared/clock';
import { leaveApp } from '../helpers/leave-app';
import type { TestApp } from '../helpers/test-app';

const CSV = `職員番号,氏名,所属,役職,上司,AADオブジェクトID
K1,建設 課長,建設課,課長,,00000000-0000-4000-8000-00000000b001
K2,午前 休子,建設課,主任,K1,00000000-0000-4000-8000-00000000b002
K3,午後 休男,建設課,主事,K1,00000000-0000-4000-8000-00000000b003
K4,終日 休美,建設課,主事,K1,00000000-0000-4000-8000-00000000b004
`;

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/**
 * 半休 as staff send it (午前休 / 午後休, `leave am`): the check-in it skips and the one it keeps, and
 * half a day in the person's own 有給 and in the KPI's paid-leave snapshot.
 */
describe('半休: 午前休 and 午後休 through /api/messages', () => {
  const clock = fixedClock(jst('2026-11-24T10:00:00'));
  const leave = leaveApp(CSV, clock);
  const { say } = leave;
  let t: TestApp;

  /** The scheduler's due jobs at `at`, delivered: who got a message, and the 課長's messages. */
  const jobsAt = async (at: string): Promise<{ to: string[]; manager: string }> => ({ to: await leave.jobsAt(at), manager: leave.sentTo('K1').join('\n') });

  beforeAll(async () => {
    t = await leave.start();
  });
  afterAll(() => t.stop());

  it('registers 午前休 and 午後休 as typed in Japanese and English, and asks which half when it is not said', async () => {
    expect(await say('K2', '午前休 11/25')).toBe(
      '2026年11月25日(水) を午前休（半日）として登録しました。この日は朝のチェックインのお知らせを送りません（夕方のふりかえりは届きます）。有給休暇の取得は0.5日と数えます。',
    );
    await say('K3', 'language English');
    expect(await say('K3', 'leave 11/25 pm')).toBe(
      'Wed 25 Nov 2026: the afternoon off (half day) is registered. No evening check-out prompt that day; the morning check-in still comes. It counts as 0.5 days of leave.',
    );
    expect(await say('K4', '半休 11/25')).toContain('半休は午前か午後かを添えて送ってください');
    expect(await say('K4', '休み 11/25 午前 午後')).toContain('半休は午前か午後かを添えて送ってください');
    expect(await say('K4', '休暇 11/25')).toContain('2026年11月25日(水) を休暇として登録しました');
    const leave = await t.app.tables.table(CHECKIN_TABLES.leaves).getEntity<{ half: string }>(`${t.tenantId}|2026-11-25`, 'K2');
    expect(leave.half).toBe('am');
  });

  it('skips the morning check-in of 午前休 and the evening one of 午後休; the 課長’s summaries count each as on leave for its half only', async () => {
    expect((await jobsAt('2026-11-25T08:46:00')).to).toEqual(['K1', 'K3']);
    const morningSummary = (await jobsAt('2026-11-25T11:00:00')).manager;
    expect(morningSummary).toContain('未回答: 建設 課長、午後 休男');
    expect(morningSummary).not.toContain('午前 休子');

    expect((await jobsAt('2026-11-25T17:00:00')).to).toEqual(['K1', 'K2']);
    const eveningSummary = (await jobsAt('2026-11-25T19:00:00')).manager;
    expect(eveningSummary).toContain('未回答: 建設 課長、午前 休子');
    expect(eveningSummary).not.toContain('午後 休男');
  });

  it('counts a half day as 0.5 in the person’s 有給 and in the KPI’s paid-leave rate', async () => {
    const outcome = await importPaidLeaveCsv(
      { grants: new PaidLeaveRepository(t.app.tables), listPeople: (tenant) => t.app.org.listPeople(tenant) },
      t.tenantId,
      ['年度,職員番号,付与日数', '2026,K1,20', '2026,K2,20', '2026,K3,20', '2026,K4,20'].join('\n'),
      { t: translator('ja'), today: '2026-11-25', now: clock.now(), apply: true },
    );
    expect(outcome.ok).toBe(true);

    // The nightly rollup of 25 November stores the half's and the year's paid-leave snapshot.
    await jobsAt('2026-11-26T02:00:00');
    const town = await t.app.tables.table(KPI_TABLES.periods).getEntity<Record<string, unknown>>(`${t.tenantId}|FY2026H2`, 'town');
    expect(town).toMatchObject({ leavePeople: 4, leaveGrantedDays: 80, leaveTakenDays: 2, leaveRate: 0.025 });

    clock.set(jst('2026-11-26T09:00:00'));
    expect(await say('K2', '有給')).toContain('付与 20日 / 取得 0.5日 / 残り 19.5日');
    expect(await say('K3', 'leave balance')).toContain('granted 20 days / taken 0.5 / remaining 19.5');
    expect(await say('K4', '年休')).toContain('付与 20日 / 取得 1日 / 残り 19日');
  });
});
