import type { Translate } from '../../i18n/i18n';
import { SURVEY_ROLE_GROUPS, type SurveyGroupFigures, type SurveySummary } from './kpi.policy';
import type { DecodedRow } from './kpi.entity';

type Cell = string | number;

interface Item {
  key: string;
  label: { ja: string; en: string };
}

/**
 * The survey's columns of the KPI CSV: what the survey closed in each period (or month) gave the
 * town and each 課, on their lines, and a line per role group (職層), which the rollups have no row
 * for. Categories and items come from the surveys themselves, so the columns are the union of the
 * exported ones; without any survey there are none.
 */
export interface SurveyCsv {
  header: string[];
  /** The cells of a rollup line: the town's or its 課's figures, empty for a 役職 line. */
  cells(survey: SurveySummary | undefined, row: DecodedRow): Cell[];
  /** The role groups' figures, each as [level, role group, ...cells]. */
  roleGroupLines(survey: SurveySummary | undefined): [string, string, Cell[]][];
}

function union(surveys: readonly SurveySummary[], pick: (s: SurveySummary) => readonly Item[]): Item[] {
  const seen = new Map<string, Item>();
  for (const survey of surveys) for (const item of pick(survey)) if (!seen.has(item.key)) seen.set(item.key, item);
  return [...seen.values()];
}

export function surveyCsv(surveys: readonly (SurveySummary | undefined)[], t: Translate, locale: 'ja' | 'en'): SurveyCsv {
  const present = surveys.filter((s): s is SurveySummary => s !== undefined);
  const categories = union(present, (s) => s.categories);
  const agreements = union(present, (s) => s.agreements);
  const hidden = t('kpi.csv.suppressed');
  const width = present.length === 0 ? 0 : 2 + categories.length + agreements.length;
  const header =
    width === 0
      ? []
      : [
          t('kpi.csv.surveyTitle'),
          t('kpi.csv.surveyAnswers'),
          ...categories.map((c) => t('kpi.csv.surveyCategory', { label: c.label[locale] })),
          ...agreements.map((a) => t('kpi.csv.surveyAgreement', { label: a.label[locale] })),
        ];
  const value = (v: number | null | undefined, format: (n: number) => string): Cell => (v === undefined ? '' : v === null ? hidden : format(v));
  const empty = (): Cell[] => Array.from({ length: width }, () => '');
  const figures = (survey: SurveySummary, f: SurveyGroupFigures | undefined): Cell[] => {
    if (!f) return empty();
    return [
      survey.title[locale],
      f.answers === null ? hidden : f.answers,
      ...categories.map((c) => value(Object.hasOwn(f.categories, c.key) ? f.categories[c.key] : undefined, (n) => n.toFixed(2))),
      ...agreements.map((a) => value(Object.hasOwn(f.agreement, a.key) ? f.agreement[a.key] : undefined, (n) => (n * 100).toFixed(1))),
    ];
  };
  return {
    header,
    cells: (survey, row) => {
      if (!survey || row.key.level === 'role') return empty();
      return figures(survey, row.key.level === 'town' ? survey.town : survey.byUnit[row.key.unit ?? '']);
    },
    roleGroupLines: (survey) =>
      survey
        ? SURVEY_ROLE_GROUPS.flatMap((group) => {
            const f = survey.byRoleGroup[group];
            return f ? [[t('kpi.level.roleGroup'), t(`kpiReport.survey.roleGroup.${group}`), figures(survey, f)] as [string, string, Cell[]]] : [];
          })
        : [],
  };
}
