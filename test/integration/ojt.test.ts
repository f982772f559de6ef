import { parsePeriod } from '../../src/features/kpi/kpi.period';
import { OJT_TABLES, OjtRepository } from '../../src/features/ojt/ojt.repository';
import { OjtKpiSource } from '../../src/features/ojt/ojt.kpi';
import { fixedClock } from '../../src/shared/clock';
import { cardProblems } from '../helpers/card-validation';
import { loadKudosOrg, type KudosOrg } from '../helpers/kudos-org';
import { inputsOf, lastCard, submitsOf } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * 建設課: 課長 M; 主査 S and 主任 L (mentors); 主事 X and 会計年度 A report to M, so M–X is a 1on1 pair.
 * 総務課: 課長 M2 and 主事 H. X2 is a 主事 of 建設課 (not a mentor).
 */
const OJT_CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID
M,建設 課長,建設課,,課長,,00000000-0000-4000-8000-000000000101
S,土木 主査,建設課,土木,主査,M,00000000-0000-4000-8000-000000000102
L,土木 主任,建設課,土木,主任,S,00000000-0000-4000-8000-000000000103
X,建築 主事,建設課,建築,主事,M,00000000-0000-4000-8000-000000000104
A,建築 会計年度,建設課,建築,会計年度任用職員,M,00000000-0000-4000-8000-000000000105
X2,土木 主事,建設課,土木,主事,M,00000000-0000-4000-8000-000000000106
M2,総務 課長,総務課,,課長,,00000000-0000-4000-8000-000000000107
H,人事 主事,総務課,総務人事,主事,M2,00000000-0000-4000-8000-000000000108
`;

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('OJT plans through /api/messages: assignment, plan, monthly progress, the 1on1 agenda', () => {
  // Friday 2026-11-20; 2026-12-01 (Tuesday) is December's first office day.
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: KudosOrg;

  async function rows(): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${t.tenantId}|' and PartitionKey lt '${t.tenantId}}'`;
    for await (const e of t.app.tables.table(OJT_TABLES.ojt).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }
  const row = async (juniorId: string, rowKey: string) => (await rows()).filter((r) => r.partitionKey === `${t.tenantId}|${juniorId}` && r.rowKey === rowKey);
  const assign = (from: string, text: string, ...ids: string[]) =>
    org.say(
      from,
      `${text} ${ids.map((id) => `<at>${org.by(id).name}</at>`).join(' ')}`,
      ids.map((id) => org.mention(id)),
    );
  const lastText = (id: string): string => org.chat(id).at(-1) ?? '';
  const update = (replyToId: string) => t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === replyToId).at(-1);
  const cardOf = (call: ReturnType<typeof update>) => (call?.body.attachments as { content: Record<string, unknown> }[] | undefined)?.[0]?.content;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadKudosOrg(t, OJT_CSV);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('a 課長 assigns a 主任 of their 課 as a 主事’s mentor; the mentor is told through the outbox', async () => {
    await assign('M', 'OJT 担当', 'L', 'X');
    expect(lastText('M')).toContain('土木 主任');
    expect(lastText('M')).toContain('指導担当にしました');
    const [stored] = await row('X', 'assignment');
    expect(stored).toMatchObject({ mentorId: 'L', unit: '建設課', assignedBy: 'M', since: '2026-11-20', endedOn: '' });
    await t.app.deliverPending();
    expect(org.chat('L').join('\n')).toContain('建築 主事さんのOJT指導担当をお願いされました');
  });

  it('refuses a non-manager (in English for someone who chose it), a mentor who is not 主査/主任, a junior of another 課; typed text quoted', async () => {
    await org.say('L', 'language English');
    await assign('L', 'ojt assign', 'S', 'A');
    expect(lastText('L')).toContain('Only the 課長 of the unit');
    expect(lastText('L')).toContain('You sent: ojt assign @土木 主査 @建築 会計年度');
    await assign('M', 'OJT 担当', 'X2', 'A');
    expect(lastText('M')).toContain('指導担当は主査か主任にしてください（土木 主事さんは主事です）');
    await assign('M', 'OJT 担当', 'L', 'H');
    expect(lastText('M')).toContain('どちらもあなたの課（建設課）');
    await assign('M', 'OJT 担当', 'L');
    expect(lastText('M')).toContain('@で2人を指定してください');
    await assign('M2', 'OJT 担当', 'L', 'A');
    expect(lastText('M2')).toContain('どちらもあなたの課（総務課）');
    expect(await row('A', 'assignment')).toEqual([]);
    await org.say('L', 'language 日本語');
  });

  it('the mentor’s OJT lists the junior; the plan form has goals and dated steps', async () => {
    await org.say('L', 'OJT');
    const list = lastCard(t, org.by('L'));
    expect(JSON.stringify(list)).toContain('建築 主事');
    expect(JSON.stringify(list)).toContain('計画がまだありません');
    expect(submitsOf(list)).toEqual([{ verb: 'ojt.plan.open', juniorId: 'X' }]);
    expect(cardProblems(list!)).toEqual([]);
    await org.submit('L', { verb: 'ojt.plan.open', juniorId: 'X' });
    const form = lastCard(t, org.by('L'));
    expect(Object.keys(inputsOf(form))).toEqual(expect.arrayContaining(['goals', 'step1Text', 'step1Due', 'step8Text', 'step8Due']));
    expect(JSON.stringify(form)).toContain('Input.Date');
    expect(cardProblems(form!)).toEqual([]);
  });

  it('someone who is not the mentor cannot open or save the plan', async () => {
    await org.submit('S', { verb: 'ojt.plan.open', juniorId: 'X' });
    expect(lastText('S')).toContain('指導担当ではない');
    await org.submit('S', {
      verb: 'ojt.plan.save',
      juniorId: 'X',
      formId: '6b1f4c1e-0000-4000-8000-000000000001',
      goals: '横取り',
      step1Text: 'a',
      step1Due: '2026-12-01',
    });
    expect(lastText('S')).toContain('指導担当ではない');
    expect(await row('X', 'plan')).toEqual([]);
  });

  const FORM_ID = '6b1f4c1e-0000-4000-8000-0000000000aa';

  it('an invalid plan comes back with each problem beside its field and every typed character kept; nothing stored', async () => {
    await org.submit(
      'L',
      { verb: 'ojt.plan.save', juniorId: 'X', formId: FORM_ID, goals: '  ', step1Text: '手順書を読む', step1Due: '2026-13-45', step2Due: '2026-12-10' },
      'plan-form',
    );
    const card = cardOf(update('plan-form'));
    const text = JSON.stringify(card);
    expect(text).toContain('入力内容を確認してください');
    expect(text).toContain('目標を書いてください');
    expect(text).toContain('期限を選んでください');
    expect(text).toContain('期限だけのステップです');
    expect(inputsOf(card)).toMatchObject({ step1Text: '手順書を読む', step1Due: '2026-13-45', step2Due: '2026-12-10' });
    expect(submitsOf(card)).toEqual([{ verb: 'ojt.plan.save', juniorId: 'X', formId: FORM_ID }]);
    expect(await row('X', 'plan')).toEqual([]);
  });

  const plan = {
    verb: 'ojt.plan.save',
    juniorId: 'X',
    formId: FORM_ID,
    goals: '建築確認の受付を一人でこなせるようになる',
    step1Text: '受付の手順書を読む',
    step1Due: '2026-11-27',
    step2Text: '窓口で同席する',
    step2Due: '2027-01-15',
  };

  it('a plan saved twice from the same card is one record, and the junior gets it once through the outbox', async () => {
    await org.submit('L', plan, 'plan-form');
    await org.submit('L', plan, 'plan-form');
    const stored = await row('X', 'plan');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ mentorId: 'L', goals: plan.goals, formId: FORM_ID, createdOn: '2026-11-20' });
    expect(JSON.parse(String(stored[0]!.steps))).toEqual([
      { text: '受付の手順書を読む', due: '2026-11-27' },
      { text: '窓口で同席する', due: '2027-01-15' },
    ]);
    expect(JSON.stringify(cardOf(update('plan-form')))).toContain('保存しました');
    await t.app.deliverPending();
    const received = org.chat('X').filter((c) => c.includes('あなたのOJT計画を作りました'));
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('2026年11月27日(金)');
    await org.say('X', 'OJT');
    expect(JSON.stringify(lastCard(t, org.by('X')))).toContain(plan.goals);
  });

  it('the plan shows on the junior’s 1on1 agenda with their 課長, and on the 課長’s reminder', async () => {
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'X', date: '2026-11-24', time: '14:00', length: '30' }, 'schedule-X');
    await t.app.deliverPending();
    const agenda = org.chat('X').find((c) => c.includes('話したいこと'));
    expect(agenda).toContain('OJT計画（指導担当 主任 土木 主任）');
    expect(agenda).toContain(plan.goals);
    expect(agenda).toContain('受付の手順書を読む（2026年11月27日(金)）');
    await org.say('X', '1on1');
    expect(JSON.stringify(lastCard(t, org.by('X')))).toContain(plan.goals);
    // A member without a plan sees no OJT section.
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'A', date: '2026-11-24', time: '15:00', length: '30' }, 'schedule-A');
    await t.app.deliverPending();
    expect(org.chat('A').find((c) => c.includes('話したいこと'))).not.toContain('OJT計画');
    clock.set(jst('2026-11-20T16:05:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const reminder = org.chat('M').find((c) => c.includes('建築 主事さんの議題'));
    expect(reminder).toContain(plan.goals);
  });

  it('on December’s first office day the mentor gets one progress card per junior, even when the scheduler ticks twice', async () => {
    clock.set(jst('2026-12-01T09:05:00'));
    await t.app.runDueJobs();
    await t.app.runDueJobs();
    await t.app.deliverPending();
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const cards = org.chat('L').filter((c) => c.includes('ojt.progress.save'));
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain('2026年12月');
    expect(cards[0]).toContain('"month":"2026-12"');
  });

  it('progress is one record per plan and month: a second submit replaces it and the plan’s steps follow', async () => {
    const value = { verb: 'ojt.progress.save', juniorId: 'X', month: '2026-12', step1Done: 'true', step2Done: 'false', comment: '手順書は読み終えた' };
    await org.submit('L', value, 'progress-card');
    await org.submit('L', { ...value, comment: '手順書は読み終え、同席も1回' }, 'progress-card');
    const stored = await row('X', 'progress|2026-12');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ comment: '手順書は読み終え、同席も1回', doneSteps: '[1]', recordedOn: '2026-12-01', mentorId: 'L' });
    const [savedPlan] = await row('X', 'plan');
    expect(JSON.parse(String(savedPlan!.steps))).toEqual([
      { text: '受付の手順書を読む', due: '2026-11-27', doneOn: '2026-12-01' },
      { text: '窓口で同席する', due: '2027-01-15' },
    ]);
    expect(JSON.stringify(cardOf(update('progress-card')))).toContain('2026年12月の進捗を記録しました（1/2 完了）');
    const tooLong = { ...value, comment: 'あ'.repeat(501) };
    await org.submit('L', tooLong, 'progress-long');
    const refused = cardOf(update('progress-long'));
    expect(JSON.stringify(refused)).toContain('500文字以内にしてください（いま501文字）');
    expect(inputsOf(refused)).toMatchObject({ comment: 'あ'.repeat(501), step1Done: 'true' });
    expect((await row('X', 'progress|2026-12'))[0]).toMatchObject({ comment: '手順書は読み終え、同席も1回' });
  });

  it('the KPI source tallies each assigned junior as the period’s last day saw them, or today while the period runs', async () => {
    const repository = new OjtRepository(t.app.tables);
    const source = new OjtKpiSource({ repository, clock });
    const november = await source.ojt(t.tenantId, parsePeriod('2026-11'));
    // On 11-30 step 1 (due 11-27) was not yet done: planned, not on track.
    expect(november).toEqual([{ personId: 'X', planned: true, onTrack: false }]);
    const december = await source.ojt(t.tenantId, parsePeriod('2026-12'));
    expect(december).toEqual([{ personId: 'X', planned: true, onTrack: true }]);
    // FY2026H2 runs to 2027-03-31. Today (12-01) the pair looked at the plan this month: on track.
    expect(await source.ojt(t.tenantId, parsePeriod('FY2026H2'))).toEqual([{ personId: 'X', planned: true, onTrack: true }]);
    // On 2027-02-01 step 2 (due 01-15) is not done and nothing was recorded since December.
    const inFebruary = new OjtKpiSource({ repository, clock: fixedClock(jst('2027-02-01T09:00:00')) });
    expect(await inFebruary.ojt(t.tenantId, parsePeriod('FY2026H2'))).toEqual([{ personId: 'X', planned: true, onTrack: false }]);
    const october = await source.ojt(t.tenantId, parsePeriod('2026-10'));
    expect(october).toEqual([]);
  });

  it('the 課長 ends an assignment; the former mentor can no longer change the plan, which is kept', async () => {
    await assign('M', 'OJT 担当 解除', 'X');
    expect(lastText('M')).toContain('解除しました');
    expect((await row('X', 'assignment'))[0]).toMatchObject({ endedOn: '2026-12-01' });
    await org.submit('L', { verb: 'ojt.progress.open', juniorId: 'X' });
    expect(lastText('L')).toContain('指導担当ではない');
    expect(await row('X', 'plan')).toHaveLength(1);
  });
});
