import type { SurveySummary } from '../kpi.policy';
import type { Measured, PeriodReport } from '../kpi.types';
import type { KpiFormat } from './kpi-format';
import { judge, kpiRow, type KpiRow, type KpiStatus } from './kpi-row';

/** "Up" on the year before (OJT) or on the survey before (engagement); at 100% there is nowhere higher to go. */
function judgeUp(current: Measured, previous: Measured): KpiStatus {
  if (previous === null || previous === undefined) return 'unknown';
  return judge(current, (rate) => rate > previous || rate >= 1);
}

/** The town's (or a 課's) share agreeing with the item in one survey; undefined when the survey, the 課 or the item is not there. */
export function agreementOf(survey: SurveySummary | undefined, key: string | undefined, unit?: string): Measured {
  const figures = unit === undefined ? survey?.town : survey?.byUnit[unit];
  if (!figures || key === undefined || !Object.hasOwn(figures.agreement, key)) return undefined;
  return figures.agreement[key] ?? null;
}

/** The rows of the 有給休暇 / 研修 / OJT / engagement KPIs, each only when its source gave the report something. */
export function policyRows(report: PeriodReport, f: KpiFormat): KpiRow[] {
  const { t } = f;
  const previous = (value: Measured): string => f.orMeasured(value, f.percent);
  const rows: KpiRow[] = [];
  const { paidLeave, training, ojt, engagement } = report;
  if (paidLeave) {
    rows.push(
      kpiRow(f, 'paidLeave', paidLeave.rate, f.percent, {
        target: t('kpiReport.target.atLeast', { rate: f.percent(paidLeave.target) }),
        status: judge(paidLeave.rate, (rate) => rate >= paidLeave.target),
        detail:
          typeof paidLeave.rate === 'number'
            ? t('kpiReport.kpi.paidLeave.detail', {
                taken: f.decimal(paidLeave.takenDays),
                granted: f.decimal(paidLeave.grantedDays),
                people: f.number(paidLeave.people),
                previous: previous(paidLeave.previousRate),
              })
            : t('kpiReport.kpi.previousOnly', { previous: previous(paidLeave.previousRate) }),
      }),
    );
  }
  if (training) {
    rows.push(
      kpiRow(f, 'training', training.rate, f.percent, {
        target: t('kpiReport.target.allStaff', { rate: f.percent(training.target) }),
        status: judge(training.rate, (rate) => rate >= training.target),
        detail:
          typeof training.rate === 'number'
            ? t('kpiReport.kpi.training.detail', {
                completed: f.number(training.completed),
                people: f.number(training.people),
                previous: previous(training.previousRate),
              })
            : t('kpiReport.kpi.previousOnly', { previous: previous(training.previousRate) }),
      }),
    );
  }
  if (ojt) {
    const counts = typeof ojt.plannedRate === 'number';
    rows.push(
      kpiRow(f, 'ojtPlanned', ojt.plannedRate, f.percent, {
        target: t('kpiReport.target.upOnYear'),
        status: judgeUp(ojt.plannedRate, ojt.previousPlannedRate),
        detail: counts
          ? t('kpiReport.kpi.ojtPlanned.detail', {
              planned: f.number(ojt.planned),
              juniors: f.number(ojt.juniors),
              previous: previous(ojt.previousPlannedRate),
            })
          : t('kpiReport.kpi.previousOnly', { previous: previous(ojt.previousPlannedRate) }),
      }),
      kpiRow(f, 'ojtOnTrack', ojt.onTrackRate, f.percent, {
        target: t('kpiReport.target.upOnYear'),
        status: judgeUp(ojt.onTrackRate, ojt.previousOnTrackRate),
        detail:
          typeof ojt.onTrackRate === 'number'
            ? t('kpiReport.kpi.ojtOnTrack.detail', {
                onTrack: f.number(ojt.onTrack),
                planned: f.number(ojt.planned),
                previous: previous(ojt.previousOnTrackRate),
              })
            : t('kpiReport.kpi.previousOnly', { previous: previous(ojt.previousOnTrackRate) }),
      }),
    );
  }
  if (engagement) rows.push(engagementRow(engagement, report.scope.kind === 'unit' ? report.scope.unit : undefined, f));
  return rows;
}

/**
 * 評価への納得感 of the latest survey against the one before (or the R7 baseline, which the target
 * names); a 課's report shows the 課's own share, against its own previous one where there is one,
 * with the town's beside it.
 */
function engagementRow(engagement: NonNullable<PeriodReport['engagement']>, unit: string | undefined, f: KpiFormat): KpiRow {
  const { t } = f;
  const key = engagement.highlight;
  const current = agreementOf(engagement.current, key, unit);
  const previousOwn = engagement.previous && agreementOf(engagement.previous, key, unit);
  // A 課 the previous survey did not break out is compared with the town's figure before.
  const before = previousOwn !== undefined ? previousOwn : agreementOf(engagement.previous ?? engagement.baseline, key);
  const baseline = agreementOf(engagement.baseline, key);
  const survey = engagement.current;
  const params = survey && {
    survey: f.localised(survey.title),
    closedOn: f.date(survey.closedOn),
    before: f.orMeasured(before, f.percent),
    town: f.orMeasured(agreementOf(survey, key), f.percent),
  };
  return kpiRow(f, 'engagement', current, f.percent, {
    target:
      typeof baseline === 'number'
        ? t('kpiReport.target.upFrom', { rate: f.percent(baseline), survey: f.localised(engagement.baseline?.title ?? { ja: '', en: '' }) })
        : t('kpiReport.target.up'),
    status: judgeUp(current, before),
    detail: params
      ? t(unit === undefined ? 'kpiReport.kpi.engagement.detail' : 'kpiReport.kpi.engagement.unitDetail', params)
      : t('kpiReport.kpi.engagement.none'),
  });
}
