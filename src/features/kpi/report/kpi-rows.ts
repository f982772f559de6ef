import { KPI_TARGETS, type Measured, type PeriodReport } from '../kpi.types';
import type { KpiFormat } from './kpi-format';
import { judge, kpiRow, type KpiKey, type KpiRow } from './kpi-row';
import { policyRows } from './policy-rows';

export type { KpiKey, KpiRow, KpiStatus } from './kpi-row';

export function kpiRows(report: PeriodReport, f: KpiFormat): KpiRow[] {
  const { t } = f;
  const row = (key: KpiKey, value: Measured, format: (v: number) => string, rest: Pick<KpiRow, 'target' | 'status' | 'detail'>): KpiRow =>
    kpiRow(f, key, value, format, rest);
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
          : t('kpiReport.kpi.oneonone.detail', {
              within: f.number(oneonones.pairsHeldWithinCadence),
              pairs: f.number(oneonones.pairs),
              held: f.number(oneonones.held),
            }),
    }),
    row('overtime', overtime.monthlyAveragePerPerson, f.hours, {
      target:
        previous === null
          ? t('kpiReport.target.overtime', { ratio: overtimeTargetRatio })
          : t('kpiReport.target.overtimeHours', { ratio: overtimeTargetRatio, hours: f.hours(previous * (1 + KPI_TARGETS.overtimeChangeRatio)) }),
      status: judge(overtime.changeRatio, (ratio) => ratio <= KPI_TARGETS.overtimeChangeRatio),
      detail: t('kpiReport.kpi.overtime.detail', {
        previous: f.orMeasured(previous === null && overtime.previousMissing ? undefined : previous, f.hours),
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
    ...policyRows(report, f),
  ];
}
