import type { Measured } from '../kpi.types';
import { el, svgOpen, WIDTH } from './svg-charts';

/**
 * The survey's categories against the role groups, the way the R7 survey table reads (categories
 * down, 主任・主事 … 管理職 and 全体 across), each cell a bar per survey: this one, the previous, the
 * baseline. A hidden figure (under 3 answers) is written out, a missing one drawn as nothing; every
 * figure is in the `<desc>` as well.
 */
export interface SurveySeries {
  /** `current`, `previous` or `baseline`: the bars' class (`bar series-current`). */
  key: string;
  label: string;
  value(group: string, category: string): Measured;
}

export interface SurveyChartSpec {
  chart: string;
  title: string;
  categories: readonly { key: string; label: string }[];
  groups: readonly { key: string; label: string }[];
  series: readonly SurveySeries[];
  format(value: number): string;
  /** 非表示, short enough for a cell. */
  suppressed: string;
  noData: string;
  /** Top of the scale: 4 for the survey's 1–4 scores. */
  max: number;
}

const LABEL_WIDTH = 150;
const LEGEND_ROW = 18;
const HEADER = 22;
const BAR = 7;
const BAR_GAP = 2;
const VALUE_ROOM = 26;

export function surveyChart(spec: SurveyChartSpec): string {
  const legendHeight = spec.series.length * LEGEND_ROW + 6;
  const rowHeight = spec.series.length * (BAR + BAR_GAP) + 10;
  const top = legendHeight + HEADER;
  const height = top + spec.categories.length * rowHeight + 8;
  const cell = (WIDTH - LABEL_WIDTH - 8) / Math.max(1, spec.groups.length);
  const barMax = cell - VALUE_ROOM - 6;
  const cellX = (g: number): number => LABEL_WIDTH + g * cell;
  const rowY = (c: number): number => top + c * rowHeight;

  const legend = spec.series
    .map(
      (s, i) =>
        el('rect', { class: `bar series-${s.key}`, x: LABEL_WIDTH, y: 4 + i * LEGEND_ROW, width: 14, height: 10 }) +
        el('text', { class: 'legend', x: LABEL_WIDTH + 20, y: 13 + i * LEGEND_ROW }, s.label),
    )
    .join('');
  const headers = spec.groups
    .map((g, i) => el('text', { class: 'xlabel', x: cellX(i) + cell / 2, y: legendHeight + 14, 'text-anchor': 'middle' }, g.label))
    .join('');
  const rows = spec.categories
    .map((category, c) => {
      const y = rowY(c);
      const label = el('text', { class: 'ylabel', x: LABEL_WIDTH - 8, y: y + rowHeight / 2 + 2, 'text-anchor': 'end' }, category.label);
      const line = el('line', { class: 'grid', x1: 8, x2: WIDTH - 8, y1: y, y2: y });
      const cells = spec.groups
        .map((group, g) =>
          spec.series
            .map((s, i) => {
              const value = s.value(group.key, category.key);
              const barY = y + 5 + i * (BAR + BAR_GAP);
              if (value === undefined) return '';
              if (value === null) return el('text', { class: 'suppressed', x: cellX(g) + 4, y: barY + BAR, 'font-size': 9 }, spec.suppressed);
              const width = Math.max(1, (barMax * Math.min(value, spec.max)) / spec.max);
              return (
                el('rect', { class: `bar series-${s.key}`, x: cellX(g) + 4, y: barY, width, height: BAR, 'data-value': spec.format(value) }) +
                el('text', { class: 'cell-value', x: cellX(g) + 8 + width, y: barY + BAR, 'font-size': 9 }, spec.format(value))
              );
            })
            .join(''),
        )
        .join('');
      return line + label + cells;
    })
    .join('');
  return svgOpen(spec.chart, spec.title, describe(spec), height) + legend + headers + rows + '</svg>';
}

/** Every figure in words: 評価・フィードバック 全体 今回 2.6, 基準 2.2 / … */
function describe(spec: SurveyChartSpec): string {
  return spec.categories
    .flatMap((category) =>
      spec.groups.map((group) => {
        const values = spec.series.map((s) => {
          const value = s.value(group.key, category.key);
          return `${s.label} ${value === undefined ? spec.noData : value === null ? spec.suppressed : spec.format(value)}`;
        });
        return `${category.label} ${group.label}: ${values.join(', ')}`;
      }),
    )
    .join(' / ');
}
