import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../src/shared/clock';
import { SurveyKpi } from '../../src/features/survey/survey.kpi-source';
import { SurveyRepository } from '../../src/features/survey/survey.repository';
import { fullAnswer, loadSurveyOrg, surveyIdIn, textOf, type SurveyOrg } from '../helpers/survey-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const at = (iso: string): Date => new Date(iso);
const ASKED = ['GM', 'GT', 'HR1', 'JA', 'JL', 'JM', 'JS', 'JT', 'KC', 'KM', 'KT1', 'KT2', 'NS', 'NT'];

describe('the staff survey (アンケート): HR opens it, everyone answers once, HR reads suppressed results', () => {
  const clock = fixedClock(at('2026-12-01T10:00:00+09:00'));
  let t: TestApp;
  let org: SurveyOrg;
  let surveys: SurveyRepository;
  let surveyId = '';

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadSurveyOrg(t);
    surveys = new SurveyRepository(t.app.tables);
  });
  afterAll(() => t.stop());

  const lastText = (id: string, from: number): string => org.chat(id, from).map(textOf).join('\n');
  /** Who got a message containing `needle` since `from`. */
  const reached = (needle: string, from: number): string[] =>
    org.people
      .filter((p) => lastText(p.id, from).includes(needle))
      .map((p) => p.id)
      .sort();

  it('only HR opens a survey, with a close day they can type; a bad day is named back', async () => {
    let from = org.mark();
    await org.say('JT', 'アンケート 開始 12/4');
    expect(lastText('JT', from)).toContain('人事担当のみ');
    await org.say('HR1', 'アンケート 開始');
    expect(lastText('HR1', from)).toContain('締切日を指定してください');
    await org.say('HR1', 'アンケート 開始 12月32日');
    expect(lastText('HR1', from)).toContain('「12月32日」は締切日として読めませんでした');
    await org.say('HR1', 'survey open 2027-06-30');
    expect(lastText('HR1', from)).toContain('60日以内');
    expect(await surveys.current(t.tenantId)).toBeUndefined();

    from = org.mark();
    await org.say('HR1', 'アンケート 開始 12/4');
    expect(lastText('HR1', from)).toContain('対象の 14 名にカードを送ります');
    expect(lastText('HR1', from)).toContain('2026年12月3日(木) に未回答の人へ1回だけ再通知し');
    expect(lastText('HR1', from)).toContain('2026年12月4日(金) の終わりに締め切り');
    await t.app.deliverPending();
    expect(reached('"verb":"survey.submit"', from)).toEqual(ASKED);
    surveyId = surveyIdIn(org.chat('JT', from).find((c) => textOf(c).includes('survey.submit')));
    const card = lastText('JT', from);
    expect(card).toContain('町が目指す方向性を理解している');
    expect(card).toContain('"style":"compact"');
    expect(card).toContain('4 そう思う');

    await org.say('HR1', 'アンケート 開始 12/10');
    expect(lastText('HR1', from)).toContain('を実施中です（2026年12月4日(金) 締切）');
  });

  it('an incomplete card comes back with what is missing and what was chosen; nothing is counted', async () => {
    const from = org.mark();
    await org.submit('JT', { verb: 'survey.submit', surveyId, s_vision1: '2', a_overwork: 'yes', text: '途中で送った意見' }, 'survey-card-JT');
    const [update] = org.chat('JT', from);
    expect(update?.kind).toBe('update');
    expect(update?.activityId).toBe('survey-card-JT');
    const card = textOf(update!);
    expect(card).toContain('未回答の設問が 18 問あります');
    expect(card).toContain('⚠ 上司に気軽に相談できる（未回答）');
    expect(card).toMatch(/"id":"s_vision1"[^}]*"value":"2"/);
    expect(card).toMatch(/"id":"a_overwork"[^}]*"value":"yes"/);
    expect(card).toContain('途中で送った意見');
    expect((await surveys.tallies(t.tenantId, surveyId)).size).toBe(0);
  });

  it('a complete answer is thanked in place and counted once, however often it is sent', async () => {
    const from = org.mark();
    await org.submit('JT', fullAnswer(surveyId, 2, 'yes', '窓口の応援体制がほしい'), 'survey-card-JT');
    await org.submit('JT', fullAnswer(surveyId, 4, 'no', '二回目の送信'), 'survey-card-JT');
    const updates = org.chat('JT', from);
    expect(updates.map((u) => u.kind)).toEqual(['update', 'update']);
    expect(textOf(updates[0]!)).toContain('回答ありがとうございました');
    expect(textOf(updates[1]!)).toContain('このアンケートには回答済みです');
    const town = (await surveys.tallies(t.tenantId, surveyId)).get('town');
    expect(town?.answers).toBe(1);
    expect(town?.counts.s_vision1_2).toBe(1);
    expect(town?.counts.s_vision1_4).toBeUndefined();
    expect(await surveys.texts(t.tenantId, surveyId)).toEqual(['窓口の応援体制がほしい']);
    await org.say('JT', 'アンケート');
    expect(lastText('JT', from)).toContain('回答済みです');
  });

  it('the office day before the close day, one reminder goes to those who have not answered, once', async () => {
    clock.set(at('2026-12-02T09:30:00+09:00'));
    await t.app.runDueJobs();
    clock.set(at('2026-12-03T09:05:00+09:00'));
    const from = org.mark();
    await t.app.runDueJobs();
    await t.app.runDueJobs();
    await t.app.deliverPending();
    expect(reached('まだ回答がないようです', from)).toEqual(ASKED.filter((id) => id !== 'JT'));
    expect(lastText('JT', from)).not.toContain('まだ回答がないようです');
  });

  it('suppresses every group under 3 and the smallest sibling that would give it away; the town and big groups are shown', async () => {
    const answers: [string, number, 'yes' | 'no'][] = [
      ['JM', 4, 'yes'],
      ['JS', 3, 'yes'],
      ['JL', 3, 'yes'],
      ['JA', 4, 'yes'],
      ['KC', 2, 'yes'],
      ['KT1', 2, 'no'],
      ['GM', 4, 'no'],
      ['HR1', 3, 'no'],
      ['GT', 3, 'no'],
    ];
    for (const [id, score, agree] of answers) await org.submit(id, fullAnswer(surveyId, score, agree, id === 'GM' ? '会議を短く' : ''));
    const results = await new SurveyKpi({ surveys, clock: fixedClock(at('2026-12-07T09:00:00+09:00')) }).comparison(t.tenantId, {
      id: 'FY2026H2',
      kind: 'half',
      from: '2026-10-01',
      to: '2027-03-31',
    });
    const current = results.current!;
    // Town: 10 answers, scores 4+3+3+2+4+2+2+4+3+3 = 30; 6 of 10 said yes to every agreement item.
    expect(current.town.answers).toBe(10);
    expect(current.town.categories.vision).toBeCloseTo(3.0);
    expect(current.town.agreement.overwork).toBeCloseTo(0.6);
    // 住民課 5 (shown: 16 / 5), 建設課 2 (hidden), 総務課 3 (hidden with it, else 10 − 5 − 3 gives 建設課 back).
    expect(current.byUnit['住民課']?.answers).toBe(5);
    expect(current.byUnit['住民課']?.categories.safety).toBeCloseTo(3.2);
    expect(current.byUnit['建設課']).toEqual({
      answers: null,
      categories: expect.objectContaining({ vision: null }),
      agreement: expect.objectContaining({ overwork: null }),
      items: expect.objectContaining({ vision1: null }),
    });
    expect(current.byUnit['総務課']?.answers).toBeNull();
    expect(current.byUnit['農業委員会']).toBeUndefined();
    // Role groups: 主任・主事 4, 主幹・主査 3 shown; 会計年度 1 and 管理職 2 hidden (together 3: enough).
    expect(current.byRoleGroup['lead-staff']?.answers).toBe(4);
    expect(current.byRoleGroup['chief-senior']?.answers).toBe(3);
    expect(current.byRoleGroup.appointee?.answers).toBeNull();
    expect(current.byRoleGroup.manager?.categories.vision).toBeNull();
    expect(results.baseline?.town.answers).toBe(58);
    expect(results.baseline?.byRoleGroup.manager?.categories.boss).toBe(3.0);
    expect(results.previous).toBeUndefined();
  });

  it('after the close day an answer is told it is closed; HR gets the results on the next office day, once', async () => {
    clock.set(at('2026-12-05T10:00:00+09:00'));
    let from = org.mark();
    await org.submit('NT', fullAnswer(surveyId, 1, 'no'), 'survey-card-NT');
    expect(lastText('NT', from)).toContain('2026年12月4日(金) で締め切りました');
    expect((await surveys.tallies(t.tenantId, surveyId)).get('town')?.answers).toBe(10);
    expect(await t.app.runDueJobs()).toBe(0);

    clock.set(at('2026-12-07T08:31:00+09:00'));
    from = org.mark();
    await t.app.runDueJobs();
    await t.app.runDueJobs();
    await t.app.deliverPending();
    expect(reached('📊', from)).toEqual(['HR1']);
    const results = lastText('HR1', from);
    expect(results).toContain('回答 10名');
    expect(results).toContain('① ビジョン・方向性');
    expect(results).toContain('3.0 / — / 2.5');
    expect(results).toContain('60% / — / 68%');
    expect(results).toContain('住民課（5名）');
    expect(results).toContain('建設課（非表示）');
    expect(results).toContain('会計年度（非表示）');
    expect(results).toContain('自由記述 2 件');
    expect(results).not.toContain('会議を短く');
    expect((await surveys.get(t.tenantId, surveyId))?.state).toBe('closed');
    expect(await surveys.current(t.tenantId)).toBeUndefined();
  });

  it('HR asks again for the results and reads the free text; nobody else can', async () => {
    const from = org.mark();
    await org.say('JM', 'アンケート 結果');
    expect(lastText('JM', from)).toContain('人事担当のみ');
    await org.say('JM', 'アンケート 自由記述');
    expect(lastText('JM', from)).not.toContain('会議を短く');
    await org.say('HR1', 'survey results');
    expect(lastText('HR1', from)).toContain('3.0 / — / 2.5');
    await org.say('HR1', 'アンケート 自由記述');
    const texts = lastText('HR1', from);
    expect(texts).toContain('会議を短く');
    expect(texts).toContain('窓口の応援体制がほしい');
  });

  it('a second survey shows the first as its previous one', async () => {
    clock.set(at('2026-12-08T10:00:00+09:00'));
    await org.say('HR1', 'アンケート 開始 12/9');
    const second = (await surveys.current(t.tenantId))?.surveyId ?? '';
    expect(second).not.toBe(surveyId);
    for (const id of ['JM', 'JS', 'JL']) await org.submit(id, fullAnswer(second, 1, 'no'));
    clock.set(at('2026-12-10T09:00:00+09:00'));
    const from = org.mark();
    await t.app.runDueJobs();
    await t.app.deliverPending();
    expect(lastText('HR1', from)).toContain('1.0 / 3.0 / 2.5');
    const comparison = await new SurveyKpi({ surveys, clock }).comparison(t.tenantId, { id: '2026-12', kind: 'month', from: '2026-12-01', to: '2026-12-31' });
    expect(comparison.current?.surveyId).toBe(second);
    expect(comparison.previous?.surveyId).toBe(surveyId);
    expect(comparison.current?.town.answers).toBe(3);
    expect(comparison.current?.byUnit['住民課']?.answers).toBe(3);
  });
});

describe('HR’s own question file (SURVEY_QUESTIONS_FILE)', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'hibi-survey-')), 'questions.json');
  let t: TestApp;
  let org: SurveyOrg;

  beforeAll(async () => {
    t = await startTestApp({ SURVEY_QUESTIONS_FILE: file }, { clock: fixedClock(at('2026-12-01T10:00:00+09:00')) });
    org = await loadSurveyOrg(t);
  });
  afterAll(() => t.stop());

  it('a file with a mistake is refused, naming the file and the place; a good one is what everyone gets', async () => {
    const label = (ja: string) => ({ ja, en: ja });
    const scale = [1, 2, 3, 4].map((value) => ({ value, label: label(`${value}点`) }));
    writeFileSync(
      file,
      JSON.stringify({
        title: label('窓口アンケート'),
        scale,
        categories: [{ key: 'counter', label: label('窓口'), items: [{ key: 'Bad-Key', label: label('案内は分かりやすい') }] }],
      }),
    );
    let from = org.mark();
    await org.say('HR1', 'アンケート 開始 12/4');
    const refusal = org.chat('HR1', from).map(textOf).join('\n');
    expect(refusal).toContain('質問ファイルに問題があるため開始できません');
    expect(refusal).toContain(file);
    expect(refusal).toContain('categories.0.items.0.key');

    writeFileSync(
      file,
      JSON.stringify({
        title: label('窓口アンケート'),
        scale,
        categories: [{ key: 'counter', label: label('窓口'), items: [{ key: 'counter1', label: label('案内は分かりやすい') }] }],
      }),
    );
    from = org.mark();
    await org.say('HR1', 'アンケート 開始 12/4');
    await t.app.deliverPending();
    const card = org.chat('JT', from).map(textOf).join('\n');
    expect(card).toContain('窓口アンケート');
    expect(card).toContain('"id":"s_counter1"');
    expect(card).not.toContain('"id":"text"');
  });
});

describe('answers arriving at the same moment', () => {
  let t: TestApp;
  let org: SurveyOrg;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(at('2026-12-01T10:00:00+09:00')) });
    org = await loadSurveyOrg(t);
  });
  afterAll(() => t.stop());

  it('are all counted, each once, with every text kept; one person sending three cards at once counts once', async () => {
    await org.say('HR1', 'アンケート 開始 12/4');
    const surveys = new SurveyRepository(t.app.tables);
    const surveyId = (await surveys.current(t.tenantId))?.surveyId ?? '';
    const ids = ['JM', 'JS', 'JL', 'JT', 'JA', 'KM', 'KC', 'KT1'];
    await Promise.all([
      ...ids.map((id) => org.submit(id, fullAnswer(surveyId, 3, 'yes', `${id}の意見`))),
      ...[1, 2, 3].map(() => org.submit('NT', fullAnswer(surveyId, 1, 'no'))),
    ]);
    const tallies = await surveys.tallies(t.tenantId, surveyId);
    expect(tallies.get('town')?.answers).toBe(ids.length + 1);
    expect(tallies.get('town')?.counts.s_vision1_1).toBe(1);
    expect(tallies.get('unit|住民課')?.answers).toBe(5);
    expect(tallies.get('role|lead-staff')?.answers).toBe(4);
    expect((await surveys.texts(t.tenantId, surveyId)).sort()).toEqual(ids.map((id) => `${id}の意見`).sort());
    expect([...(await surveys.answeredIds(t.tenantId, surveyId))].sort()).toEqual([...ids, 'NT'].sort());
  });
});
