import { escapeHtml } from './html-escape';

/**
 * Small inline SVG charts for the self-contained report: no chart library, no script, nothing
 * fetched. Each chart is `svg[data-chart]` with a `<title>` and a `<desc>` listing every figure
 * (what a screen reader reads). Bars are `rect.bar`, points `circle.point`: one per shown figure.
 * A suppressed figure (null) gets no bar and no point, only its wording, never a zero.
 */
export interface ChartDatum {
  label: string;
  value: number | null;
}

export interface ChartSpec {
  /** Stable name, the `data-chart` attribute. */
  chart: string;
  title: string;
  data: readonly ChartDatum[];
  format: (value: number) => string;
  /** The axis' numbers, when they read better rounder than the figures (5時間 rather than 5.0時間). */
  tickFormat?: (value: number) => string;
  /** How a suppressed figure reads (非表示（3人未満）). */
  suppressed: string;
  /** What an empty chart says. */
  empty: string;
  /** Top of the scale (1 for rates); otherwise a round number above the largest figure. */
  max?: number;
  /** Counts: no tick at 0.5. */
  integer?: boolean;
  target?: { value: number; label: string };
}

export const WIDTH = 640;
const FONT = 12;

const num = (n: number): string => String(Math.round(n * 10) / 10);

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${typeof value === 'number' ? num(value) : escapeHtml(value)}"`)
    .join('');
}

export const el = (name: string, values: Record<string, string | number>, text?: string): string =>
  text === undefined ? `<${name}${attrs(values)}/>` : `<${name}${attrs(values)}>${escapeHtml(text)}</${name}>`;

function svgStart(spec: ChartSpec, height: number): string {
  const desc = spec.data.map((d) => `${d.label} ${d.value === null ? spec.suppressed : spec.format(d.value)}`).join(' / ') || spec.empty;
  return svgOpen(spec.chart, spec.title, desc, height);
}

/** The `<svg>` of a chart with the title and description a screen reader reads. */
export function svgOpen(chart: string, title: string, desc: string, height: number): string {
  const id = `chart-${chart}`;
  return (
    `<svg${attrs({ xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${WIDTH} ${Math.round(height)}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, 'data-chart': chart })}>` +
    el('title', { id: `${id}-title` }, title) +
    el('desc', { id: `${id}-desc` }, desc)
  );
}

/** A step of 1, 2, 2.5 or 5 × 10ⁿ giving at most five intervals, and the scale's top. */
export function niceScale(largest: number, integer: boolean): { top: number; step: number } {
  if (largest <= 0) return { top: 1, step: integer ? 1 : 0.25 };
  const rough = largest / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const factor = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10;
  const step = integer ? Math.max(1, Math.ceil(factor * magnitude)) : factor * magnitude;
  return { top: Math.ceil(largest / step - 1e-9) * step, step };
}

function scaleOf(spec: ChartSpec): { top: number; step: number } {
  if (spec.max !== undefined) return { top: spec.max, step: spec.max / 4 };
  const values = spec.data.flatMap((d) => (d.value === null ? [] : [d.value]));
  return niceScale(Math.max(0, ...values, spec.target?.value ?? 0), spec.integer ?? false);
}

function ticks(top: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; i * step <= top + 1e-9; i++) out.push(i * step);
  return out;
}

function emptyNote(spec: ChartSpec, x: number, y: number): string {
  return spec.data.length === 0 ? el('text', { class: 'empty', x, y, 'text-anchor': 'middle' }, spec.empty) : '';
}

/** Months left to right: the frame shared by the line and the column chart. */
function monthFrame(spec: ChartSpec, draw: (geometry: MonthGeometry) => string): string {
  const height = 250;
  const box = { left: 64, right: 20, top: 30, bottom: 36 };
  const plotWidth = WIDTH - box.left - box.right;
  const plotHeight = height - box.top - box.bottom;
  const { top, step } = scaleOf(spec);
  const slot = plotWidth / Math.max(1, spec.data.length);
  const geometry: MonthGeometry = {
    slot,
    x: (i) => box.left + slot * (i + 0.5),
    y: (v) => box.top + plotHeight * (1 - Math.min(v, top) / top),
    baseline: box.top + plotHeight,
    middle: box.top + plotHeight / 2,
  };
  const grid = ticks(top, step)
    .map(
      (v) =>
        el('line', { class: 'grid', x1: box.left, x2: WIDTH - box.right, y1: geometry.y(v), y2: geometry.y(v) }) +
        el('text', { class: 'tick', x: box.left - 6, y: geometry.y(v) + 4, 'text-anchor': 'end' }, (spec.tickFormat ?? spec.format)(v)),
    )
    .join('');
  const labels = spec.data
    .map((d, i) => el('text', { class: 'xlabel', x: geometry.x(i), y: height - box.bottom + 18, 'text-anchor': 'middle' }, d.label))
    .join('');
  const suppressed = spec.data
    .map((d, i) =>
      d.value === null
        ? el('text', { class: 'suppressed', x: geometry.x(i), y: geometry.middle, 'writing-mode': 'vertical-rl', 'text-anchor': 'middle' }, spec.suppressed)
        : '',
    )
    .join('');
  // The target's label is a legend above the plot: on the line it would cover the figures.
  const target = spec.target
    ? el('line', { class: 'target', x1: box.left, x2: WIDTH - box.right, y1: geometry.y(spec.target.value), y2: geometry.y(spec.target.value) }) +
      el('line', { class: 'target', x1: WIDTH - box.right - 24, x2: WIDTH - box.right, y1: 10, y2: 10 }) +
      el('text', { class: 'target-label', x: WIDTH - box.right - 30, y: 14, 'text-anchor': 'end' }, spec.target.label)
    : '';
  return svgStart(spec, height) + grid + target + labels + suppressed + draw(geometry) + emptyNote(spec, WIDTH / 2, geometry.middle) + '</svg>';
}

interface MonthGeometry {
  slot: number;
  x(index: number): number;
  y(value: number): number;
  baseline: number;
  middle: number;
}

/** A value per month joined by a line; a suppressed month breaks the line. */
export function lineChart(spec: ChartSpec): string {
  return monthFrame(spec, (g) => {
    const runs: string[][] = [[]];
    spec.data.forEach((d, i) => {
      if (d.value === null) runs.push([]);
      else runs[runs.length - 1]?.push(`${num(g.x(i))},${num(g.y(d.value))}`);
    });
    const lines = runs
      .filter((run) => run.length > 1)
      .map((run) => el('polyline', { class: 'line', points: run.join(' ') }))
      .join('');
    const points = spec.data
      .map((d, i) =>
        d.value === null
          ? ''
          : el('circle', { class: 'point', cx: g.x(i), cy: g.y(d.value), r: 4 }) +
            el('text', { class: 'value', x: g.x(i), y: g.y(d.value) - 9, 'text-anchor': 'middle' }, spec.format(d.value)),
      )
      .join('');
    return lines + points;
  });
}

/** A column per month. */
export function columnChart(spec: ChartSpec): string {
  return monthFrame(spec, (g) => {
    const width = Math.min(40, g.slot * 0.6);
    return spec.data
      .map((d, i) => {
        if (d.value === null) return '';
        const y = g.y(d.value);
        return (
          el('rect', { class: 'bar', x: g.x(i) - width / 2, y, width, height: g.baseline - y }) +
          el('text', { class: 'value', x: g.x(i), y: y - 5, 'text-anchor': 'middle' }, spec.format(d.value))
        );
      })
      .join('');
  });
}

/** A bar per category, label on the left: long Japanese and English labels stay readable. */
export function barChart(spec: ChartSpec): string {
  // Room above the rows for the target's label, which would otherwise sit on the axis' numbers.
  const box = { left: 190, right: 90, top: spec.target ? 30 : 14, bottom: 30 };
  const rowHeight = 30;
  const rows = Math.max(1, spec.data.length);
  const height = box.top + rows * rowHeight + box.bottom;
  const plotWidth = WIDTH - box.left - box.right;
  const { top, step } = scaleOf(spec);
  const x = (v: number): number => box.left + plotWidth * (Math.min(v, top) / top);
  const y = (i: number): number => box.top + rowHeight * (i + 0.5);
  const bottom = box.top + rows * rowHeight;
  const grid = ticks(top, step)
    .map(
      (v) =>
        el('line', { class: 'grid', x1: x(v), x2: x(v), y1: box.top, y2: bottom }) +
        el('text', { class: 'tick', x: x(v), y: bottom + 16, 'text-anchor': 'middle' }, (spec.tickFormat ?? spec.format)(v)),
    )
    .join('');
  // With a target line the figures stand in a column past the plot, where the line cannot cross them.
  const valueX = (v: number): number => (spec.target ? box.left + plotWidth + 12 : x(v) + 6);
  const bars = spec.data
    .map((d, i) => {
      const label = el('text', { class: 'ylabel', x: box.left - 8, y: y(i) + FONT / 2 - 2, 'text-anchor': 'end' }, d.label);
      if (d.value === null) return label + el('text', { class: 'suppressed', x: box.left + 6, y: y(i) + FONT / 2 - 2 }, spec.suppressed);
      return (
        label +
        el('rect', { class: 'bar', x: box.left, y: y(i) - 9, width: x(d.value) - box.left, height: 18 }) +
        el('text', { class: 'value', x: valueX(d.value), y: y(i) + FONT / 2 - 2 }, spec.format(d.value))
      );
    })
    .join('');
  const target = spec.target
    ? el('line', { class: 'target', x1: x(spec.target.value), x2: x(spec.target.value), y1: box.top - 6, y2: bottom + 4 }) +
      el('text', { class: 'target-label', x: x(spec.target.value), y: box.top - 12, 'text-anchor': 'middle' }, spec.target.label)
    : '';
  return svgStart(spec, height) + grid + bars + target + emptyNote(spec, box.left + plotWidth / 2, box.top + rowHeight / 2 + 4) + '</svg>';
}
