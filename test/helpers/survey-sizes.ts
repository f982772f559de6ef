import type { Locale } from '../../src/i18n/i18n';
import { translator } from '../../src/i18n/i18n';
import { SURVEY_ROLE_GROUPS } from '../../src/features/kpi/kpi.policy';
import { baselineSummary } from '../../src/features/survey/survey.baseline';
import { renderDone, renderResults, renderSurveyForm, renderTexts, textPages } from '../../src/features/survey/survey.cards';
import { itemsOf, questionsSchema, type SurveyQuestions } from '../../src/features/survey/survey.questions';
import { groupKeys, summarise } from '../../src/features/survey/survey.results';
import { fieldIds, FREE_TEXT_MAX, type Survey } from '../../src/features/survey/survey.schema';
import { addAnswer, emptyTally, type Tally } from '../../src/features/survey/survey.tally';

/** Text at a length, in Japanese with line breaks (what JSON escapes). */
const text = (length: number): string => Array.from({ length }, (_, i) => (i % 40 === 39 ? '\n' : '記録'[i % 2])).join('');
const label = (length: number) => ({ ja: text(length), en: 'x'.repeat(length) });

/** The largest question file the schema takes: 24 questions (5 categories of 4, 4 agreements), every label at its longest. */
export function largestQuestions(): SurveyQuestions {
  return questionsSchema.parse({
    title: label(60),
    scale: [1, 2, 3, 4].map((value) => ({ value, label: label(24) })),
    categories: Array.from({ length: 5 }, (_, c) => ({
      key: `cat${c}`,
      label: label(40),
      items: Array.from({ length: 4 }, (_, i) => ({ key: `item${c}x${i}`, label: label(80) })),
    })),
    agreements: Array.from({ length: 4 }, (_, a) => ({ key: `agree${a}`, label: label(80) })),
    freeText: label(150),
  });
}

export function largestSurvey(): Survey {
  return { tenantId: 't', surveyId: 'S20261202-0000', questions: largestQuestions(), openedOn: '2026-12-02', closeOn: '2026-12-18', state: 'open' };
}

/** The answer card as it comes back with every question open and the free text too long, under the reminder notice. */
export function largestForm(locale: Locale): Record<string, unknown> {
  const survey = largestSurvey();
  const ids = [...itemsOf(survey.questions).map((i) => fieldIds.item(i.key)), ...survey.questions.agreements.map((a) => fieldIds.agreement(a.key))];
  return renderSurveyForm(
    survey,
    translator(locale),
    locale,
    { values: { [fieldIds.text]: text(FREE_TEXT_MAX + 100) }, missing: ids, tooLong: true },
    text(200),
  );
}

/** Results of a town of 10,000 in 100 課, beside a previous survey and the baseline. */
export function largestResults(locale: Locale): Record<string, unknown> {
  const survey = largestSurvey();
  const answer = {
    scores: Object.fromEntries(itemsOf(survey.questions).map((i) => [i.key, 3])),
    agreements: Object.fromEntries(survey.questions.agreements.map((a) => [a.key, true])),
  };
  const tallies = new Map<string, Tally>();
  const add = (key: string, n: number): void => {
    let tally = tallies.get(key) ?? emptyTally();
    for (let i = 0; i < n; i++) tally = addAnswer(tally, answer);
    tallies.set(key, tally);
  };
  add(groupKeys.town, 10_000);
  for (let u = 1; u <= 100; u++) add(groupKeys.unit(`${text(20)}${u}課`), 100);
  for (const group of SURVEY_ROLE_GROUPS) add(groupKeys.role(group), 2_500);
  const current = summarise(survey, tallies);
  return renderResults({ current, previous: current, baseline: baselineSummary(), texts: 10_000 }, translator(locale), locale);
}

export function largestTexts(locale: Locale): Record<string, unknown> {
  const pages = textPages(Array.from({ length: 2_000 }, () => text(FREE_TEXT_MAX)));
  return renderTexts(label(60), pages, 1, translator(locale), locale);
}

export function largestDone(): Record<string, unknown> {
  return renderDone(text(100), text(300));
}
