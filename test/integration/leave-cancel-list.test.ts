import { CheckinRepository } from '../../src/features/checkin/checkin.repository';
import { KPI_TABLES } from '../../src/features/kpi/kpi.repository';
import { fixedClock } from '../../src/shared/clock';
import { leaveApp } from '../helpers/leave-app';
import type { TestApp } from '../helpers/test-app';

const CSV = `職員番号,氏名,所属,役職,上司,AADオブジェクトID
K1,建設 課長,建設課,課長,,00000000-0000-4000-8000-00000000c001
K2,取消 花子,建設課,主任,K1,00000000-0000-4000-8000-00000000c002
K3,午後 休男,建設課,主事,K1,00000000-0000-4000-8000-00000000c003
K4,一覧 休美,建設課,主事,K1,00000000-0000-4000-8000-00000000c004
`;

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/**
 * Taking a 休み back (休み 取消 11/25, leave cancel) and seeing one's own (休み 一覧, leave list), as
 * staff send them: the cancelled day's check-ins come again, and the KPI's check-in figures count a
 * half day off for its own half only.
 */
describe('休み 取消 and 休み 一覧 through /api/messages', () => {
  const clock = fixedClock(jst('2026-11-24T10:00:00'));
  const { start, say, jobsAt } = leaveApp(CSV, clock);
  let t: TestApp;
  let checkins: CheckinRepository;

  beforeAll(async () => {
    t = await start();
    checkins = new CheckinRepository(t.app.tables);
  });
  afterAll(() => t.stop());

  it('takes back a whole day or a half, today or ahead, and says so kindly when there is nothing to take back', async () => {
    expect(await say('K2', '休み 11/25')).toContain('2026年11月25日(水) を休暇として登録しました');
    expect(await say('K2', '休み 取消 11/25')).toBe(
      '2026年11月25日(水) の休暇（1日）を取り消しました。この日のチェックインのお知らせは通常どおり送ります（お知らせの時刻を過ぎていれば「チェックイン」と送って回答できます）。有給休暇の取得にも数えません。',
    );
    expect(await checkins.leavesOn(t.tenantId, '2026-11-25')).toEqual(new Set());
    expect(await say('K2', '休み 取り消し 11/25')).toBe(
      '2026年11月25日(水) に登録されている休暇はないため、取り消すものはありませんでした。登録している休暇は「休み 一覧」で確認できます。',
    );

    await say('K3', 'language English');
    expect(await say('K3', 'leave pm 11/25')).toContain('the afternoon off (half day) is registered');
    // Naming the other half takes nothing back: the afternoon stays off.
    expect(await say('K3', 'leave cancel am 11/25')).toBe(
      'Wed 25 Nov 2026 is registered as afternoon off, so nothing was cancelled. To cancel that day, send "leave cancel 11/26" without am / pm.',
    );
    expect(await checkins.leavesOn(t.tenantId, '2026-11-25', 'evening')).toEqual(new Set(['K3']));

    expect(await say('K4', '休暇 11/25')).toContain('を休暇として登録しました');
    expect(await say('K1', '午前休')).toContain('2026年11月24日(火) を午前休（半日）として登録しました');
    expect(await say('K1', '休み取消')).toContain('2026年11月24日(火) の午前休を取り消しました。');
    expect(await checkins.leavesOn(t.tenantId, '2026-11-24')).toEqual(new Set());
  });

  it('refuses a past day as registering does, and quotes what it could not read', async () => {
    expect(await say('K2', '休み 取消 2026-11-20')).toBe('過去の日付（2026年11月20日(金)）の休暇は取り消せません。');
    expect(await say('K3', 'leave undo 2026-11-20')).toBe('Leave on a past day (Fri 20 Nov 2026) cannot be cancelled.');
    expect(await say('K2', '休み キャンセル 来週')).toBe(
      '「キャンセル 来週」は日付として読めませんでした。取り消すときは「休み 取消 11/26」「休み 取り消し 明日」のように送ってください。',
    );
    expect(await say('K3', 'leave cancel next week')).toBe(
      '"cancel next week" is not a date hibi can read. To cancel, send "leave cancel 11/26" or "leave cancel tomorrow".',
    );
  });

  it('prompts the one who cancelled again; the KPI counts a 午後休 as due in the morning and not in the evening', async () => {
    // K4: the whole day off; K3: 午後休; K2 cancelled theirs.
    expect(await jobsAt('2026-11-25T08:46:00')).toEqual(['K1', 'K2', 'K3']);
    expect(await jobsAt('2026-11-25T17:00:00')).toEqual(['K1', 'K2']);

    await jobsAt('2026-11-26T02:00:00');
    const town = await t.app.tables.table(KPI_TABLES.daily).getEntity<Record<string, unknown>>(`${t.tenantId}|2026-11-25`, 'town');
    expect(town).toMatchObject({ members: 4, promptsMorning: 3, promptsEvening: 2 });
  });

  it('lists the person’s own 休み from today through 60 days ahead, with 午前休 / 午後休, in Japanese and English', async () => {
    clock.set(jst('2026-11-26T09:00:00'));
    for (const text of ['午前休 11/27', '休暇 12/1', '休暇 2027-01-25', '休暇 2027-01-26']) await say('K4', text);
    expect(await say('K4', '休み 一覧')).toBe(
      [
        '登録している休暇（今日から60日先まで）',
        '・2026年11月27日(金) 午前休',
        '・2026年12月1日(火) 休暇（1日）',
        '・2027年1月25日(月) 休暇（1日）',
        '取り消すときは「休み 取消 11/26」のように送ってください。',
      ].join('\n\n'),
    );

    for (const text of ['leave 11/30', 'leave am 12/2', 'leave pm']) await say('K3', text);
    expect(await say('K3', 'leave list')).toBe(
      [
        'Your registered leave (today and the next 60 days)',
        '• Thu 26 Nov 2026: afternoon off',
        '• Mon 30 Nov 2026: whole day',
        '• Wed 2 Dec 2026: morning off',
        'To cancel one, send "leave cancel 11/26".',
      ].join('\n\n'),
    );

    expect(await say('K2', '休暇一覧')).toBe(
      '今日から60日先までに登録している休暇はありません。登録するときは「休暇 11/26」「午前休 11/26」のように送ってください。',
    );
  });

  it('shows at most 20 days and how many more there are', async () => {
    for (let day = 1; day <= 22; day++) await say('K1', `休暇 2026-12-${String(day).padStart(2, '0')}`);
    const lines = (await say('K1', '休み 一覧')).split('\n\n');
    expect(lines).toHaveLength(1 + 20 + 2);
    expect(lines[1]).toBe('・2026年12月1日(火) 休暇（1日）');
    expect(lines[20]).toBe('・2026年12月20日(日) 休暇（1日）');
    expect(lines[21]).toBe('…ほか 2 件');
  });
});
