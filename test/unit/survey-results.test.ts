import { baselineSummary } from '../../src/features/survey/survey.baseline';
import { textPages } from '../../src/features/survey/survey.cards';
import { DEFAULT_QUESTIONS, itemsOf, parseQuestions } from '../../src/features/survey/survey.questions';
import { groupKeys, summarise } from '../../src/features/survey/survey.results';
import { readAnswer, readSurveyCommand, surveyRoleGroupOf, type Survey } from '../../src/features/survey/survey.schema';
import { hiddenGroups } from '../../src/features/survey/survey.suppression';
import { addAnswer, emptyTally, type Tally } from '../../src/features/survey/survey.tally';
import { fullAnswer } from '../helpers/survey-org';

const survey: Survey = {
  tenantId: 't',
  surveyId: 'S20261201-0000',
  questions: DEFAULT_QUESTIONS,
  openedOn: '2026-12-01',
  closeOn: '2026-12-04',
  state: 'closed',
};
const answerOf = (score: number, yes: boolean) => ({
  scores: Object.fromEntries(itemsOf(DEFAULT_QUESTIONS).map((i) => [i.key, score])),
  agreements: Object.fromEntries(DEFAULT_QUESTIONS.agreements.map((a) => [a.key, yes])),
});
const tallyOf = (...scores: number[]): Tally => scores.reduce((tally, score) => addAnswer(tally, answerOf(score, score >= 3)), emptyTally());

describe('survey suppression: groups under 3 and the siblings that would give them away', () => {
  it('hides a group of 2 and then the smallest sibling, so the town minus the shown ones covers 3', () => {
    const hidden = hiddenGroups(10, [
      [
        { key: 'A', count: 5 },
        { key: 'B', count: 2 },
        { key: 'C', count: 3 },
      ],
    ]);
    expect([...hidden].sort()).toEqual(['B', 'C']);
  });

  it('hides nothing more when the hidden ones already cover 3, and nothing at all when every group has 3', () => {
    expect(
      [
        ...hiddenGroups(9, [
          [
            { key: 'A', count: 6 },
            { key: 'B', count: 1 },
            { key: 'C', count: 2 },
          ],
        ]),
      ].sort(),
    ).toEqual(['B', 'C']);
    expect(
      hiddenGroups(6, [
        [
          { key: 'A', count: 3 },
          { key: 'B', count: 3 },
        ],
      ]).size,
    ).toBe(0);
  });

  it('counts a group never shown (people without a 課) as hidden, and hides everything under a town of 3', () => {
    expect(
      [
        ...hiddenGroups(8, [
          [
            { key: 'A', count: 5 },
            { key: 'B', count: 2 },
            { key: 'none', count: 1, shown: false },
          ],
        ]),
      ].sort(),
    ).toEqual(['B', 'none']);
    expect(
      [
        ...hiddenGroups(7, [
          [
            { key: 'A', count: 6 },
            { key: 'none', count: 1, shown: false },
          ],
        ]),
      ].sort(),
    ).toEqual(['A', 'none']);
    expect([...hiddenGroups(2, [[{ key: 'A', count: 2 }]])].sort()).toEqual(['A', 'town']);
  });
});

describe('survey results from tallies', () => {
  it('means per category and item, shares per agreement item, and nulls for hidden groups', () => {
    const tallies = new Map<string, Tally>([
      [groupKeys.town, tallyOf(4, 3, 3, 2, 2, 1)],
      [groupKeys.unit('住民課'), tallyOf(4, 3, 3)],
      [groupKeys.unit('建設課'), tallyOf(2, 2)],
      [groupKeys.unit(''), tallyOf(1)],
      [groupKeys.role('lead-staff'), tallyOf(4, 3, 3, 2, 2, 1)],
    ]);
    const results = summarise(survey, tallies);
    expect(results.town.answers).toBe(6);
    expect(results.town.categories.vision).toBeCloseTo(15 / 6);
    expect(results.town.items.safety3).toBeCloseTo(15 / 6);
    expect(results.town.agreement.fairEval).toBeCloseTo(3 / 6);
    expect(results.byUnit['住民課']?.categories.dx).toBeCloseTo(10 / 3);
    expect(results.byUnit['建設課']?.answers).toBeNull();
    expect(results.byUnit['']).toBeUndefined();
    expect(results.byRoleGroup['lead-staff']?.answers).toBe(6);
    // With one fewer in 建設課, 住民課 would give back the two others by subtraction: hidden too.
    const thinner = summarise(survey, new Map([...tallies, [groupKeys.town, tallyOf(4, 3, 3, 2, 1)], [groupKeys.unit('建設課'), tallyOf(2)]]));
    expect(thinner.byUnit['住民課']?.answers).toBeNull();
    expect(thinner.town.answers).toBe(5);
  });

  it('the R7 baseline: 58 answers, the policy table by role group, the town’s agreement, no 課', () => {
    const baseline = baselineSummary();
    expect(baseline.town.answers).toBe(58);
    expect(baseline.town.categories.feedback).toBe(2.2);
    expect(baseline.byRoleGroup.manager).toEqual(expect.objectContaining({ answers: 3, categories: expect.objectContaining({ boss: 3.0, safety: 2.9 }) }));
    expect(baseline.byRoleGroup['chief-senior']?.categories.dx).toBe(2.1);
    expect(baseline.town.agreement).toEqual({ overwork: 0.68, listens: 0.72, fairEval: 0.38, dxEffect: 0.28 });
    expect(baseline.byUnit).toEqual({});
    expect(baseline.categories.map((c) => c.label.ja)).toEqual([
      'ビジョン・方向性',
      '業務負荷・配分',
      '上司との関係性',
      '評価・フィードバック',
      '成長・研修機会',
      'DX・デジタル環境',
      '職場の心理的安全性',
    ]);
  });
});

describe('survey input', () => {
  it('reads a full answer; an incomplete one names what is missing and keeps what was chosen', () => {
    const full = readAnswer(fullAnswer('S20261201-0000', 3, 'yes', ' 意見 '), DEFAULT_QUESTIONS);
    expect(full.ok && full.answer.scores.vision1).toBe(3);
    expect(full.ok && full.answer.agreements.overwork).toBe(true);
    expect(full.ok && full.answer.text).toBe('意見');
    const partial = readAnswer({ ...fullAnswer('S20261201-0000', 3, 'yes'), s_boss1: '5', a_listens: '', text: 'x'.repeat(501) }, DEFAULT_QUESTIONS);
    expect(partial.ok).toBe(false);
    if (partial.ok) return;
    expect(partial.missing).toEqual(['s_boss1', 'a_listens']);
    expect(partial.tooLong).toBe(true);
    expect(partial.values.s_vision1).toBe('3');
  });

  it('a question file with a mistake says where', () => {
    const broken = JSON.parse(JSON.stringify(DEFAULT_QUESTIONS)) as { scale: unknown[]; categories: { items: { key: string }[] }[] };
    broken.scale = broken.scale.slice(0, 3);
    broken.categories[1]!.items[0]!.key = 'vision1';
    const reading = parseQuestions(JSON.stringify(broken));
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.problem).toContain('scale: the scale has exactly four points');
    expect(reading.problem).toContain('keys must be unique across categories, items and agreements: vision1');
    expect(parseQuestions('{ "title": ').ok).toBe(false);
  });

  it('role groups as the R7 survey had them; the executives are not surveyed', () => {
    expect(['lead', 'staff', 'chief', 'senior', 'appointee', 'manager', 'executive'].map((r) => surveyRoleGroupOf(r as never))).toEqual([
      'lead-staff',
      'lead-staff',
      'chief-senior',
      'chief-senior',
      'appointee',
      'manager',
      undefined,
    ]);
  });

  it('reads the subcommands in both languages', () => {
    expect(readSurveyCommand('')).toEqual({ kind: 'mine' });
    expect(readSurveyCommand('開始 12/20')).toEqual({ kind: 'open', closeArg: '12/20' });
    expect(readSurveyCommand('Open 2026-12-20')).toEqual({ kind: 'open', closeArg: '2026-12-20' });
    expect(readSurveyCommand('自由記述 3')).toEqual({ kind: 'texts', page: 3 });
    expect(readSurveyCommand('comments x')).toEqual({ kind: 'unknown' });
  });

  it('pages free text by size, every text on exactly one page', () => {
    const texts = Array.from({ length: 100 }, (_, i) => `${i}${'あ'.repeat(400)}`);
    const pages = textPages(texts, 8_000);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.flat()).toEqual(texts);
    for (const page of pages) expect(JSON.stringify(page).length * 2).toBeLessThanOrEqual(8_000);
  });
});

describe('the survey table is classified for the data lifecycle', () => {
  it('is searched for a person’s answered markers', async () => {
    const { PERSON_TABLES } = await import('../../src/features/data/person-records');
    expect(PERSON_TABLES.map((table) => table.table)).toContain('surveys');
  });
});
