import { SURVEY_ROLE_GROUPS, type SurveyGroupFigures, type SurveySummary } from '../kpi.policy';
import type { Measured, PeriodReport, ReportScope } from '../kpi.types';
import { escapeHtml } from './html-escape';
import type { KpiFormat } from './kpi-format';
import { chartFigure } from './policy-section';
import { surveyChart, type SurveySeries } from './survey-chart';

type Engagement = NonNullable<PeriodReport['engagement']>;
type SeriesKey = 'current' | 'previous' | 'baseline';

const TOWN = 'town';
const SCORE_MAX = 4;

/** The figures of one group of a survey: the town, a role group, or (not in the baseline) a 課. */
function groupOf(survey: SurveySummary, group: string): SurveyGroupFigures | undefined {
  if (group === TOWN) return survey.town;
  if (group.startsWith('unit|')) return survey.byUnit[group.slice(5)];
  return survey.byRoleGroup[group as keyof SurveySummary['byRoleGroup']];
}

const valueOf = (record: Record<string, number | null> | undefined, key: string): Measured =>
  record && Object.hasOwn(record, key) ? (record[key] ?? null) : undefined;

function surveysOf(engagement: Engagement): { key: SeriesKey; survey: SurveySummary }[] {
  return (['current', 'previous', 'baseline'] as const).flatMap((key) => {
    const survey = engagement[key];
    return survey ? [{ key, survey }] : [];
  });
}

/** The categories and items in the newest survey's order, then any only an older one asked. */
function union(surveys: readonly SurveySummary[], pick: (s: SurveySummary) => readonly { key: string; label: { ja: string; en: string } }[]) {
  const seen = new Map<string, { ja: string; en: string }>();
  for (const survey of surveys) for (const item of pick(survey)) if (!seen.has(item.key)) seen.set(item.key, item.label);
  return [...seen.entries()].map(([key, label]) => ({ key, label }));
}

/**
 * The engagement section: the category scores by role group (this survey, the previous one, the
 * R7 baseline), and the agreement items with the one the policy measures marked. A 課's report
 * adds its own column where the survey has one.
 */
export function surveySection(report: PeriodReport, f: KpiFormat): string {
  const engagement = report.engagement;
  if (!engagement) return '';
  const { t } = f;
  const surveys = surveysOf(engagement);
  const ordered = surveys.map((s) => s.survey);
  const groups = [
    { key: TOWN, label: t('kpiReport.survey.town') },
    ...SURVEY_ROLE_GROUPS.map((g) => ({ key: g, label: t(`kpiReport.survey.roleGroup.${g}`) })),
    ...unitColumn(report.scope),
  ];
  const series: SurveySeries[] = surveys.map(({ key, survey }) => ({
    key,
    label: t(`kpiReport.survey.series.${key}`, { survey: f.localised(survey.title) }),
    value: (group, category) => valueOf(groupOf(survey, group)?.categories, category),
  }));
  const title = t('kpiReport.chart.survey');
  const chart = surveyChart({
    chart: 'survey-by-role-group',
    title,
    categories: union(ordered, (s) => s.categories).map((c) => ({ key: c.key, label: f.localised(c.label) })),
    groups,
    series,
    // Scores read as the R7 table prints them: 3.0, not 3.
    format: (v) => v.toFixed(1),
    suppressed: t('kpiReport.chart.hiddenShort'),
    noData: f.noData,
    max: SCORE_MAX,
  });
  return `<section data-section="survey">\n<h2>${escapeHtml(t('kpiReport.section.survey'))}</h2>\n${chartFigure(title, chart)}\n${agreementTable(engagement, surveys, f)}\n</section>`;
}

function unitColumn(scope: ReportScope): { key: string; label: string }[] {
  return scope.kind === 'unit' ? [{ key: `unit|${scope.unit}`, label: scope.unit }] : [];
}

function agreementTable(engagement: Engagement, surveys: readonly { key: SeriesKey; survey: SurveySummary }[], f: KpiFormat): string {
  const { t } = f;
  const items = union(
    surveys.map((s) => s.survey),
    (s) => s.agreements,
  );
  if (items.length === 0) return '';
  const head = [t('kpiReport.survey.item'), ...surveys.map(({ key, survey }) => t(`kpiReport.survey.series.${key}`, { survey: f.localised(survey.title) }))];
  const cell = (value: Measured): string =>
    `<td class="${typeof value === 'number' ? 'value' : 'suppressed'}">${escapeHtml(f.orMeasured(value, f.percent))}</td>`;
  const answerCell = (survey: SurveySummary): string =>
    survey.town.answers === null ? cell(null) : `<td class="value">${escapeHtml(f.number(survey.town.answers))}</td>`;
  const answers = `<tr><th scope="row">${escapeHtml(t('kpiReport.survey.answers'))}</th>${surveys.map(({ survey }) => answerCell(survey)).join('')}</tr>`;
  const rows = items
    .map(({ key, label }) => {
      const highlight = key === engagement.highlight;
      const name = highlight ? t('kpiReport.survey.highlight', { item: f.localised(label) }) : f.localised(label);
      return `<tr data-item="${escapeHtml(key)}"${highlight ? ' class="highlight"' : ''}><th scope="row">${escapeHtml(name)}</th>${surveys.map(({ survey }) => cell(valueOf(survey.town.agreement, key))).join('')}</tr>`;
    })
    .join('\n');
  return `<table class="agreement" data-table="survey-agreement"><caption>${escapeHtml(t('kpiReport.survey.agreement'))}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${answers}\n${rows}\n</tbody></table>`;
}
