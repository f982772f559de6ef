import summaryTemplate from '../../../../cards/kpi/summary.card.json';
import { renderCard } from '../../../cards/render-card';
import type { Locale } from '../../../i18n/i18n';
import { MIN_GROUP_SIZE, type PeriodReport } from '../kpi.types';
import { kpiFormatter } from './kpi-format';
import { kpiRows, type KpiStatus } from './kpi-rows';

type CardColor = 'Good' | 'Attention' | 'Default';
const STATUS_COLOR: Record<KpiStatus, CardColor> = { met: 'Good', notMet: 'Attention', unknown: 'Default', reference: 'Default' };

export interface KpiSummaryCardRow {
  label: string;
  value: string;
  suppressed: boolean;
  /** 達成 / 未達 / 判定できません; empty for figures the policy gives no target. */
  status: string;
  statusColor: CardColor;
  target: string;
  detail: string;
}

export interface KpiSummaryCardData {
  title: string;
  period: string;
  headers: { measure: string; result: string; target: string };
  rows: KpiSummaryCardRow[];
  unitsHeading: string;
  /** The town's 1on1 rate per unit; empty for one unit's card. */
  units: { label: string; value: string }[];
  footer: string;
}

/**
 * What the レポート card shows: each figure beside its target in three narrow columns (a phone
 * shows them side by side), the same rows and wording as the HTML report.
 */
export function kpiSummaryCardData(report: PeriodReport, locale: Locale): KpiSummaryCardData {
  const f = kpiFormatter(locale);
  const { t } = f;
  const scope = f.scopeLabel(report.scope);
  return {
    title: t('kpiReport.card.title', { scope }),
    period: f.periodWithRange(report.period),
    headers: { measure: t('kpiReport.column.measure'), result: t('kpiReport.column.result'), target: t('kpiReport.column.target') },
    rows: kpiRows(report, f).map((r) => ({
      label: r.label,
      value: r.value,
      suppressed: r.suppressed,
      status: r.status === 'reference' ? '' : r.statusLabel,
      statusColor: STATUS_COLOR[r.status],
      target: r.target,
      detail: r.detail,
    })),
    unitsHeading: t('kpiReport.card.byUnit'),
    units: report.scope.kind === 'town' ? report.oneonones.byUnit.map((u) => ({ label: u.unit, value: f.orSuppressed(u.completionRate, f.percent) })) : [],
    footer: t('kpiReport.card.footer', { min: MIN_GROUP_SIZE }),
  };
}

export function renderKpiSummaryCard(report: PeriodReport, locale: Locale): Record<string, unknown> {
  return renderCard(summaryTemplate, kpiSummaryCardData(report, locale));
}
