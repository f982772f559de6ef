import { barChart, columnChart, lineChart, niceScale, type ChartSpec } from '../../src/features/kpi/report/svg-charts';

const spec = (data: ChartSpec['data'], extra: Partial<ChartSpec> = {}): ChartSpec => ({
  chart: 'test',
  title: 'テスト',
  data,
  format: (v) => `${v}件`,
  suppressed: '非表示（3人未満）',
  empty: 'データなし',
  ...extra,
});

const all = (svg: string, pattern: RegExp): string[] => [...svg.matchAll(new RegExp(pattern.source, 'g'))].map((m) => m[1] ?? m[0]);

describe('inline SVG charts', () => {
  it('rounds the scale up to a readable step', () => {
    expect(niceScale(17, false)).toEqual({ top: 20, step: 5 });
    expect(niceScale(96, true)).toEqual({ top: 100, step: 25 });
    expect(niceScale(3, true)).toEqual({ top: 3, step: 1 });
    expect(niceScale(0.9, false)).toEqual({ top: 1, step: 0.25 });
    expect(niceScale(0, true)).toEqual({ top: 1, step: 1 });
  });

  it('breaks the line at a suppressed month and draws a point per figure', () => {
    const svg = lineChart(
      spec([
        { label: '4月', value: 1 },
        { label: '5月', value: 2 },
        { label: '6月', value: null },
        { label: '7月', value: 3 },
        { label: '8月', value: 4 },
        { label: '9月', value: null },
        { label: '10月', value: 2 },
      ]),
    );
    expect(all(svg, /<circle class="point"/)).toHaveLength(5);
    expect(all(svg, /<polyline class="line" points="([^"]+)"/).map((points) => points.split(' ').length)).toEqual([2, 2]);
    expect(all(svg, /<text class="suppressed"[^>]*>([^<]+)</)).toEqual(['非表示（3人未満）', '非表示（3人未満）']);
  });

  it('makes a column as tall as its figure on the scale', () => {
    const svg = columnChart(
      spec(
        [
          { label: 'a', value: 5 },
          { label: 'b', value: 10 },
        ],
        { integer: true },
      ),
    );
    const heights = all(svg, /<rect class="bar"[^>]* height="([\d.]+)"/).map(Number);
    expect(heights).toHaveLength(2);
    expect(heights[1]).toBeCloseTo((heights[0] ?? 0) * 2, 0);
  });

  it('draws a bar per category and a target line across them', () => {
    const svg = barChart(
      spec(
        [
          { label: '住民課', value: 0.5 },
          { label: '建設課', value: 1 },
          { label: '農業委員会', value: null },
        ],
        { max: 1, target: { value: 1, label: '目標 100%' } },
      ),
    );
    const widths = all(svg, /<rect class="bar"[^>]* width="([\d.]+)"/).map(Number);
    expect(widths).toHaveLength(2);
    expect(widths[1]).toBeCloseTo((widths[0] ?? 0) * 2, 0);
    expect(all(svg, /<line class="target"/)).toHaveLength(1);
    expect(svg).toContain('>目標 100%</text>');
    expect(svg).toContain('>非表示（3人未満）</text>');
  });

  it('is one accessible svg with a stable data-chart name, and escapes its words', () => {
    const svg = barChart(spec([{ label: '<b>&', value: 1 }], { chart: 'nearmiss-by-category', title: 'A & "B"' }));
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*data-chart="nearmiss-by-category">/);
    expect(svg).toContain('<title id="chart-nearmiss-by-category-title">A &amp; &quot;B&quot;</title>');
    expect(svg).toContain('>&lt;b&gt;&amp;</text>');
    expect(svg).not.toContain('<b>');
  });

  it('says so when there is nothing to draw', () => {
    const svg = columnChart(spec([]));
    expect(svg).toContain('>データなし</text>');
    expect(svg).not.toContain('class="bar"');
  });
});
