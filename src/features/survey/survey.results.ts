import { SURVEY_ROLE_GROUPS, type SurveyGroupFigures, type SurveyRoleGroup, type SurveySummary, type Suppressible } from '../kpi/kpi.public';
import { itemsOf, type SurveyQuestions } from './survey.questions';
import type { Survey } from './survey.schema';
import { hiddenGroups } from './survey.suppression';
import { emptyTally, figuresOf, type Tally } from './survey.tally';

/** Tally group keys, as the repository names its rows: the town, a 課 ("" = people without one), a role group. */
export const groupKeys = {
  town: 'town',
  unit: (unit: string) => `unit|${unit}`,
  role: (group: SurveyRoleGroup) => `role|${group}`,
};

/** A group's figures with the per-item means HR's results card shows beside the categories. */
export interface SurveyGroupResults extends SurveyGroupFigures {
  items: Record<string, Suppressible>;
}

export interface SurveyResults extends SurveySummary {
  items: readonly { key: string; label: SurveySummary['title']; category: string }[];
  town: SurveyGroupResults;
  byRoleGroup: Partial<Record<SurveyRoleGroup, SurveyGroupResults>>;
  byUnit: Record<string, SurveyGroupResults>;
}

const nulls = (keys: readonly string[]): Record<string, Suppressible> => Object.fromEntries(keys.map((k) => [k, null]));

function groupResults(tally: Tally, questions: SurveyQuestions, hidden: boolean): SurveyGroupResults {
  if (hidden) {
    return {
      answers: null,
      categories: nulls(questions.categories.map((c) => c.key)),
      items: nulls(itemsOf(questions).map((i) => i.key)),
      agreement: nulls(questions.agreements.map((a) => a.key)),
    };
  }
  const raw = figuresOf(tally, questions);
  return { answers: raw.answers, categories: raw.categories, items: raw.items, agreement: raw.agreement };
}

/** A survey's results from its tallies, every group under 3 answers (and its complementary siblings) suppressed. */
export function summarise(survey: Survey, tallies: ReadonlyMap<string, Tally>): SurveyResults {
  const { questions } = survey;
  const town = tallies.get(groupKeys.town) ?? emptyTally();
  const units = [...tallies.entries()].filter(([key]) => key.startsWith('unit|')).map(([key, tally]) => ({ key, unit: key.slice('unit|'.length), tally }));
  const roles = SURVEY_ROLE_GROUPS.map((group) => ({ key: groupKeys.role(group), group, tally: tallies.get(groupKeys.role(group)) })).filter(
    (r) => r.tally !== undefined,
  );
  const hidden = hiddenGroups(town.answers, [
    // People without a 課 are counted but never shown as a group: the town minus the 課 would be them.
    units.map((u) => ({ key: u.key, count: u.tally.answers, shown: u.unit !== '' })),
    roles.map((r) => ({ key: r.key, count: r.tally?.answers ?? 0 })),
  ]);
  return {
    surveyId: survey.surveyId,
    title: questions.title,
    closedOn: survey.closeOn,
    categories: questions.categories.map((c) => ({ key: c.key, label: c.label })),
    agreements: questions.agreements.map((a) => ({ key: a.key, label: a.label })),
    items: itemsOf(questions),
    town: groupResults(town, questions, hidden.has('town')),
    byRoleGroup: Object.fromEntries(roles.map((r) => [r.group, groupResults(r.tally ?? emptyTally(), questions, hidden.has(r.key))])),
    byUnit: Object.fromEntries(units.filter((u) => u.unit !== '').map((u) => [u.unit, groupResults(u.tally, questions, hidden.has(u.key))])),
  };
}
