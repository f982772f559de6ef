import { KPI_TARGETS, type PeriodReport, type Suppressible } from '../kpi.types';
import type { KpiFormat } from './kpi-format';

export type KpiKey = 'oneonone' | 'overtime' | 'checkin' | 'condition' | 'satisfaction' | 'nearmiss' | 'kudos' | 'help';

/** `reference`: the policy sets no figure to reach, the number is there to be read. */
export type KpiStatus = 'met' | 'notMet' | 'unknown' | 'reference';

/** One measure beside its target, already worded: the HTML report's table row and the card's row. */
export interface KpiRow {
  key: KpiKey;
  label: string;
  value: string;
  suppressed: boolean;
  target: string;
  status: KpiStatus;
  statusLabel: string;
  detail: string;
}

/**
 * Rounded the way the figure is printed (0.1 percentage point, halves away from zero like Intl),
 * so a row never reads "100%" beside 未達 or "−10%" beside 未達.
 */
function asPrinted(ratio: number): number {
  return (Math.sign(ratio) * Math.round(Math.abs(ratio) * 1000)) / 1000;
}

function judge(value: number | null, met: (printed: number) => boolean): KpiStatus {
  if (value === null) return 'unknown';
  return met(asPrinted(value)) ? 'met' : 'notMet';
}

export function kpiRows(report: PeriodReport, f: KpiFormat): KpiRow[] {
  const { t } = f;
  const row = (key: KpiKey, value: Suppressible, format: (v: number) => string, rest: Pick<KpiRow, 'target' | 'status' | 'detail'>): KpiRow => ({
    key,
    label: t(`kpiReport.kpi.${key}`),
    value: f.orSuppressed(value, format),
    suppressed: value === null,
    statusLabel: t(`kpiReport.status.${rest.status}`),
    ...rest,
  });
  const { checkins, overtime, oneonones } = report;
  const overtimeTargetRatio = f.signedPercent(KPI_TARGETS.overtimeChangeRatio);
  const previous = overtime.previousMonthlyAveragePerPerson;

  return [
    row('oneonone', oneonones.completionRate, f.percent, {
      target: t('kpiReport.target.rate', { rate: f.percent(KPI_TARGETS.oneononeCompletionRate) }),
      status: judge(oneonones.completionRate, (rate) => rate >= KPI_TARGETS.oneononeCompletionRate),
      // Pair counts stay hidden with the rate: 1 of 2 pairs would give the rate back.
      detail:
        oneonones.completionRate === null
          ? ''
          : t('kpiReport.kpi.oneonone.detail', { within: f.number(oneonones.pairsHeldWithinCadence), pairs: f.number(oneonones.pairs), held: f.number(oneonones.held) }),
    }),
    row('overtime', overtime.monthlyAveragePerPerson, f.hours, {
      target:
        previous === null
          ? t('kpiReport.target.overtime', { ratio: overtimeTargetRatio })
          : t('kpiReport.target.overtimeHours', { ratio: overtimeTargetRatio, hours: f.hours(previous * (1 + KPI_TARGETS.overtimeChangeRatio)) }),
      status: judge(overtime.changeRatio, (ratio) => ratio <= KPI_TARGETS.overtimeChangeRatio),
      detail: t('kpiReport.kpi.overtime.detail', {
        previous: f.orSuppressed(previous, f.hours),
        change: overtime.changeRatio === null ? t('kpiReport.target.none') : f.signedPercent(overtime.changeRatio),
      }),
    }),
    row('checkin', checkins.rate, f.percent, {
      target: t('kpiReport.target.none'),
      status: 'reference',
      detail: t('kpiReport.kpi.checkin.detail', {
        morning: f.number(checkins.answeredMorning),
        evening: f.number(checkins.answeredEvening),
        sent: f.number(checkins.promptsSent),
      }),
    }),
    row('condition', checkins.averageCondition, f.score, { target: t('kpiReport.target.up'), status: 'reference', detail: '' }),
    row('satisfaction', checkins.averageSatisfaction, f.score, { target: t('kpiReport.target.up'), status: 'reference', detail: '' }),
    row('nearmiss', report.nearmisses.total, f.count, { target: t('kpiReport.target.nearmiss'), status: 'reference', detail: '' }),
    row('kudos', report.kudos.total, f.count, { target: t('kpiReport.target.none'), status: 'reference', detail: '' }),
    row('help', report.help.requested, f.count, {
      target: t('kpiReport.target.none'),
      status: 'reference',
      detail: t('kpiReport.kpi.help.detail', { requested: f.number(report.help.requested), taken: f.number(report.help.taken) }),
    }),
  ];
}
