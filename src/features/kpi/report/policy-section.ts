import type { Measured, PeriodReport, UnitRate } from '../kpi.types';
import { escapeHtml } from './html-escape';
import type { KpiFormat } from './kpi-format';
import { barChart, type ChartDatum, type ChartSpec } from './svg-charts';

export function chartFigure(title: string, svg: string): string {
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>${svg}</figure>`;
}

/** A bar chart takes shown or hidden figures; a 課 with nothing to measure is left out, not drawn as hidden. */
const shown = (label: string, value: Measured): ChartDatum[] => (value === undefined ? [] : [{ label, value }]);

/**
 * 有給休暇 and 研修 by 課 against their targets, and the OJT rates beside the same period a year
 * earlier (the policy wants them up); '' when the period has no snapshot.
 */
export function policySection(report: PeriodReport, f: KpiFormat): string {
  const { paidLeave, training, ojt } = report;
  if (!paidLeave && !training && !ojt) return '';
  const { t } = f;
  const common = { suppressed: f.suppressed, empty: t('kpiReport.chart.empty'), format: f.percent, max: 1 };
  const byUnit = (chart: string, title: string, units: readonly UnitRate[], target: number): string => {
    const spec: ChartSpec = {
      ...common,
      chart,
      title,
      // Leave of people without a 課 (町長・副町長) counts too, under the CSV's name for them.
      data: units.flatMap((u) => shown(u.unit || t('kpi.unit.none'), u.rate)),
      target: { value: target, label: t('kpiReport.chart.rateTarget', { value: f.percent(target) }) },
    };
    return chartFigure(title, barChart(spec));
  };
  const parts: string[] = [];
  if (paidLeave) parts.push(byUnit('paid-leave-by-unit', t('kpiReport.chart.paidLeave'), paidLeave.byUnit, paidLeave.target));
  if (training) parts.push(byUnit('training-by-unit', t('kpiReport.chart.training'), training.byUnit, training.target));
  if (ojt) {
    const current = t('kpiReport.chart.ojt.current');
    const previous = t('kpiReport.chart.ojt.previous');
    const title = t('kpiReport.chart.ojt');
    const data = [
      ...shown(t('kpiReport.chart.ojt.planned', { period: current }), ojt.plannedRate),
      ...shown(t('kpiReport.chart.ojt.planned', { period: previous }), ojt.previousPlannedRate),
      ...shown(t('kpiReport.chart.ojt.onTrack', { period: current }), ojt.onTrackRate),
      ...shown(t('kpiReport.chart.ojt.onTrack', { period: previous }), ojt.previousOnTrackRate),
    ];
    parts.push(chartFigure(title, barChart({ ...common, chart: 'ojt-rates', title, data })));
  }
  return `<section data-section="policy">\n<h2>${escapeHtml(t('kpiReport.section.policy'))}</h2>\n${parts.join('\n')}\n</section>`;
}
