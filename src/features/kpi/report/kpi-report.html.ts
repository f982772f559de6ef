import type { Locale } from '../../../i18n/i18n';
import { KPI_TARGETS, MIN_GROUP_SIZE, type MonthTrend, type PeriodReport } from '../kpi.types';
import { escapeHtml } from './html-escape';
import { CATEGORY_ORDER, kpiFormatter, orderedEntries, SEVERITY_ORDER, VALUE_ORDER, type KpiFormat } from './kpi-format';
import { kpiRows, type KpiRow } from './kpi-rows';
import { policySection } from './policy-section';
import { surveySection } from './survey-section';
import { barChart, columnChart, lineChart, type ChartSpec } from './svg-charts';

/**
 * Print first: A4 pages, charts kept whole on a page, colours kept when printed. Fonts are the
 * machine's own (no web font may be fetched); Noto Sans CJK is what the town's Linux and the test
 * browser have, the others are Windows' and macOS' Japanese fonts.
 */
const STYLE = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 800px; padding: 24px; color: #1f2328; background: #fff; line-height: 1.55;
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, sans-serif; font-size: 14px; }
header { border-bottom: 3px solid #2f6fb3; padding-bottom: 8px; margin-bottom: 16px; }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 24px 0 8px; border-left: 5px solid #2f6fb3; padding-left: 8px; break-after: avoid; page-break-after: avoid; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { color: #57606a; }
dl.meta dd { margin: 0; font-weight: bold; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; }
table.kpis tbody th { word-break: keep-all; overflow-wrap: anywhere; }
thead th { background: #f0f4f9; border-bottom: 2px solid #8c959f; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.value { font-weight: bold; font-size: 15px; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.detail { color: #57606a; font-size: 12px; }
.status { white-space: nowrap; font-weight: bold; }
.status-met { color: #1a7f37; }
.status-notMet { color: #cf222e; }
.status-unknown, .status-reference { color: #57606a; font-weight: normal; }
.suppressed { color: #6e7781; font-weight: normal; font-size: 13px; }
figure.chart { margin: 12px 0 20px; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-weight: bold; margin-bottom: 4px; }
figure.chart svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 12px; fill: #1f2328; }
svg .tick { font-size: 11px; fill: #57606a; }
svg .grid { stroke: #e1e4e8; stroke-width: 1; }
svg .bar { fill: #2f6fb3; }
svg .line { fill: none; stroke: #2f6fb3; stroke-width: 2.5; }
svg .point { fill: #fff; stroke: #2f6fb3; stroke-width: 2.5; }
svg .value { font-weight: bold; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .suppressed { fill: #6e7781; font-size: 11px; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
svg .empty { fill: #6e7781; }
svg .target { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .target-label { fill: #cf222e; font-size: 11px; font-weight: bold; }
svg .bar.series-previous { fill: #7fa7d4; }
svg .bar.series-baseline { fill: #a8b1bb; }
svg .legend { font-size: 11px; }
svg .cell-value { font-size: 9px; fill: #57606a; }
table.agreement { margin: 0 0 20px; break-inside: avoid; page-break-inside: avoid; }
table.agreement caption { text-align: left; font-weight: bold; margin-bottom: 4px; }
table.agreement tr.highlight th, table.agreement tr.highlight td { background: #fff8c5; font-weight: bold; }
table.severity { width: auto; min-width: 50%; margin: 0 0 20px; break-inside: avoid; page-break-inside: avoid; }
table.severity caption { text-align: left; font-weight: bold; margin-bottom: 4px; }
footer { margin-top: 24px; padding-top: 8px; border-top: 1px solid #d0d7de; color: #57606a; font-size: 12px; }
@media print { body { padding: 0; max-width: none; font-size: 12.5px; } h1 { font-size: 21px; } }
`;

function kpiTable(rows: readonly KpiRow[], f: KpiFormat): string {
  const { t } = f;
  const head = ['measure', 'result', 'target', 'status', 'detail'] as const;
  const body = rows
    .map(
      (r) =>
        `<tr data-kpi="${r.key}"><th scope="row">${escapeHtml(r.label)}</th>` +
        `<td class="value${r.suppressed ? ' suppressed' : ''}">${escapeHtml(r.value)}</td>` +
        `<td class="target">${escapeHtml(r.target)}</td>` +
        `<td><span class="status status-${r.status}">${escapeHtml(r.statusLabel)}</span></td>` +
        `<td class="detail">${escapeHtml(r.detail)}</td></tr>`,
    )
    .join('\n');
  return `<table class="kpis"><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(t(`kpiReport.column.${h}`))}</th>`).join('')}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function figure(draw: (spec: ChartSpec) => string, spec: ChartSpec): string {
  return `<figure class="chart"><figcaption>${escapeHtml(spec.title)}</figcaption>${draw(spec)}</figure>`;
}

function charts(report: PeriodReport, f: KpiFormat): string {
  const { t } = f;
  const common = { suppressed: f.suppressed, empty: t('kpiReport.chart.empty') };
  const months = (value: (m: MonthTrend) => number | null) => report.months.map((m) => ({ label: f.monthShort(m.month), value: value(m) }));
  const previous = report.overtime.previousMonthlyAveragePerPerson;
  const overtimeTarget = previous === null ? undefined : (previous * (1 + KPI_TARGETS.overtimeChangeRatio)) / 60;
  const oneononeTarget = KPI_TARGETS.oneononeCompletionRate;
  return [
    figure(lineChart, {
      ...common,
      chart: 'checkin-rate-by-month',
      title: t('kpiReport.chart.checkinRate'),
      data: months((m) => m.checkinRate),
      format: f.percent,
      max: 1,
    }),
    figure(columnChart, {
      ...common,
      chart: 'overtime-by-month',
      title: t('kpiReport.chart.overtime'),
      // Hours on the axis: HR reads overtime in hours, the rollups keep minutes.
      data: months((m) => (m.overtimeAveragePerPerson === null ? null : m.overtimeAveragePerPerson / 60)),
      format: (hours) => f.hours(hours * 60),
      tickFormat: (hours) => t('kpiReport.value.hours', { hours: f.decimal(hours) }),
      target:
        overtimeTarget === undefined
          ? undefined
          : { value: overtimeTarget, label: t('kpiReport.chart.overtimeTarget', { value: f.hours(overtimeTarget * 60) }) },
    }),
    figure(barChart, {
      ...common,
      chart: 'nearmiss-by-category',
      title: t('kpiReport.chart.nearmiss'),
      data: orderedEntries(report.nearmisses.byCategory, CATEGORY_ORDER).map(([key, value]) => ({ label: f.categoryLabel(key), value })),
      format: f.count,
      integer: true,
    }),
    severityTable(report, f),
    figure(barChart, {
      ...common,
      chart: 'kudos-by-value',
      title: t('kpiReport.chart.kudos'),
      data: orderedEntries(report.kudos.byValue, VALUE_ORDER).map(([key, value]) => ({ label: f.valueLabel(key), value })),
      format: f.count,
      integer: true,
    }),
    figure(barChart, {
      ...common,
      chart: 'oneonone-by-unit',
      title: t('kpiReport.chart.oneonone'),
      data: report.oneonones.byUnit.map((u) => ({ label: u.unit, value: u.completionRate })),
      format: f.percent,
      max: 1,
      target: { value: oneononeTarget, label: t('kpiReport.chart.oneononeTarget', { value: f.percent(oneononeTarget) }) },
    }),
  ].join('\n');
}

/** The near-miss split by 影響度, under the category chart it completes. */
function severityTable(report: PeriodReport, f: KpiFormat): string {
  const entries = orderedEntries(report.nearmisses.bySeverity, SEVERITY_ORDER);
  if (entries.length === 0) return '';
  const rows = entries
    .map(
      ([key, value]) =>
        `<tr><th scope="row">${escapeHtml(f.severityLabel(key))}</th><td class="${value === null ? 'suppressed' : 'value'}">${escapeHtml(f.orSuppressed(value, f.count))}</td></tr>`,
    )
    .join('');
  return `<table class="severity" data-table="nearmiss-by-severity"><caption>${escapeHtml(f.t('kpiReport.nearmiss.bySeverity'))}</caption><tbody>${rows}</tbody></table>`;
}

/**
 * The half-year (or month, or year) KPI report as one HTML file that needs nothing else: inline
 * CSS, inline SVG, no script, no font or image to fetch, so it opens from a mail attachment or a
 * USB stick and prints on A4. Every text from data is escaped.
 */
export function renderKpiReport(report: PeriodReport, locale: Locale): string {
  const f = kpiFormatter(locale);
  const { t } = f;
  const scope = f.scopeLabel(report.scope);
  const period = f.periodWithRange(report.period);
  const meta = [
    [t('kpiReport.meta.scope'), scope],
    [t('kpiReport.meta.period'), period],
    [t('kpiReport.meta.previous'), f.periodWithRange(report.previousPeriod)],
  ]
    .map(([dt, dd]) => `<dt>${escapeHtml(dt ?? '')}</dt><dd>${escapeHtml(dd ?? '')}</dd>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('kpiReport.documentTitle', { scope, period: f.periodLabel(report.period) }))}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(t('kpiReport.title'))}</h1>
<dl class="meta">${meta}</dl>
</header>
<main>
<section>
<h2>${escapeHtml(t('kpiReport.section.kpis'))}</h2>
${kpiTable(kpiRows(report, f), f)}
</section>
<section>
<h2>${escapeHtml(t('kpiReport.section.trends'))}</h2>
${charts(report, f)}
</section>
${policySection(report, f)}
${surveySection(report, f)}
</main>
<footer>${escapeHtml(t('kpiReport.footer', { min: MIN_GROUP_SIZE }))}${report.paidLeave || report.engagement ? ` ${escapeHtml(t('kpiReport.footer.policy', { min: MIN_GROUP_SIZE }))}` : ''}</footer>
</body>
</html>
`;
}
