import summaryTemplate from '../../../../cards/kpi/summary.card.json';
import { renderCard, renderFitting } from '../../../cards/render-card';
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
  /** Units left out to keep the card under Teams' size limit, and where to see them; empty when all fit. */
  unitsMore: string;
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
    unitsMore: '',
    footer: t('kpiReport.card.footer', { min: MIN_GROUP_SIZE }),
  };
}

/** The card; a town of hundreds of 課 lists the units that fit and points to `レポート <課>` for the rest. */
export function renderKpiSummaryCard(report: PeriodReport, locale: Locale): Record<string, unknown> {
  const data = kpiSummaryCardData(report, locale);
  const { t } = kpiFormatter(locale);
  const render = (shown: number): Record<string, unknown> => {
    const hidden = data.units.slice(shown);
    const unitsMore = hidden[0] ? t('kpiReport.card.unitsMore', { count: hidden.length, example: hidden[0].label }) : '';
    return renderCard(summaryTemplate, { ...data, units: data.units.slice(0, shown), unitsMore });
  };
  return renderFitting(data.units.length, render).card;
}
