import { z } from 'zod';
import { SURVEY_ROLE_GROUPS, type SurveyGroupFigures, type SurveyRoleGroup, type SurveySummary } from '../kpi/kpi.public';
import baselineFile from './baseline.r7.json';
import { DEFAULT_QUESTIONS } from './survey.questions';
import { hiddenGroups } from './survey.suppression';

const groupKeySchema = z.enum(['town', ...SURVEY_ROLE_GROUPS]);
const byGroup = z.partialRecord(groupKeySchema, z.number().min(0));

/** The R7 survey's published table (the policy's Appendix ①): per category and role group, no 課 breakdown; agreement for the town only. */
const baselineSchema = z.object({
  surveyId: z.string().min(1),
  title: z.object({ ja: z.string().min(1), en: z.string().min(1) }),
  closedOn: z.iso.date(),
  answers: byGroup,
  categories: z.record(z.string(), byGroup),
  agreements: z.record(z.string(), z.number().min(0).max(1)),
});

/** The baseline as a survey summary, labelled with the default (R7) questions' categories; groups under 3 suppressed like any survey. */
export function baselineSummary(): SurveySummary {
  const file = baselineSchema.parse(baselineFile);
  const town = file.answers.town ?? 0;
  const hidden = hiddenGroups(town, [SURVEY_ROLE_GROUPS.map((g) => ({ key: g, count: file.answers[g] ?? 0 }))]);
  const categories = DEFAULT_QUESTIONS.categories.filter((c) => c.key in file.categories).map((c) => ({ key: c.key, label: c.label }));
  const agreements = DEFAULT_QUESTIONS.agreements.filter((a) => a.key in file.agreements).map((a) => ({ key: a.key, label: a.label }));
  const figures = (group: 'town' | SurveyRoleGroup): SurveyGroupFigures => {
    const shown = !hidden.has(group);
    return {
      answers: shown ? (file.answers[group] ?? null) : null,
      categories: Object.fromEntries(categories.map((c) => [c.key, shown ? (file.categories[c.key]?.[group] ?? null) : null])),
      agreement: group === 'town' && shown ? Object.fromEntries(agreements.map((a) => [a.key, file.agreements[a.key] ?? null])) : {},
    };
  };
  return {
    surveyId: file.surveyId,
    title: file.title,
    closedOn: file.closedOn,
    categories,
    agreements,
    town: figures('town'),
    byRoleGroup: Object.fromEntries(SURVEY_ROLE_GROUPS.filter((g) => (file.answers[g] ?? 0) > 0).map((g) => [g, figures(g)])),
    byUnit: {},
  };
}
