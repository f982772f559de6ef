import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PeriodReport } from '../../src/features/kpi/kpi.types';
import { renderKpiReport } from '../../src/features/kpi/report/kpi-report.html';
import { launchChromium } from '../e2e/teams-page';
import { sampleKpiReport } from '../helpers/kpi-report-sample';

/**
 * The KPI report as HR opens it: the HTML file in headless Chromium with every request routed,
 * so anything but the file itself (a font, a script, an image) is caught. Leaves the screenshot
 * and the A4 print in test-results/ for a person to look at.
 */
const OUT_DIR = path.resolve(__dirname, '..', '..', 'test-results');
const HTML_FILE = path.join(OUT_DIR, 'kpi-report.html');
const SCREENSHOT = path.join(OUT_DIR, 'kpi-report.png');
const PDF_FILE = path.join(OUT_DIR, 'kpi-report.pdf');

/** Launching Chromium on a busy 2-core runner can take a while; this is a ceiling, not a measure. */
jest.setTimeout(120_000);

interface OfflinePage {
  context: BrowserContext;
  page: Page;
  /** Every request other than the file itself, aborted. */
  leaked: string[];
}

async function openOffline(browser: Browser, file: string): Promise<OfflinePage> {
  const fileUrl = pathToFileURL(file).href;
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 }, locale: 'ja-JP' });
  const leaked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === fileUrl) return route.continue();
    leaked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(fileUrl);
  await page.waitForLoadState('networkidle');
  return { context, page, leaked };
}

/** A PDF's pages are its `/Type /Page` objects (not the `/Type /Pages` tree above them). */
function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;
}

const shown = (values: readonly (number | null)[]): number => values.filter((v) => v !== null).length;

describe('KPI report in a browser', () => {
  const report: PeriodReport = sampleKpiReport();
  let browser: Browser;
  let opened: OfflinePage;

  beforeAll(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(HTML_FILE, renderKpiReport(report, 'ja'), 'utf8');
    browser = await launchChromium();
    opened = await openOffline(browser, HTML_FILE);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('asks the network for nothing', () => {
    expect(opened.leaked).toEqual([]);
  });

  it('shows the Japanese title, the period and the scope', async () => {
    const { page } = opened;
    await expect(page.title()).resolves.toBe('KPI レポート 町全体 令和8年度 上期');
    const h1 = page.getByRole('heading', { level: 1 });
    expect(await h1.isVisible()).toBe(true);
    expect(await h1.textContent()).toBe('KPI レポート');
    expect(await page.getByText('令和8年度 上期（2026年4月1日〜2026年9月30日）').isVisible()).toBe(true);
    expect(await page.getByText('町全体', { exact: true }).isVisible()).toBe(true);
  });

  it('draws every chart with one bar or point per figure shown', async () => {
    const { page } = opened;
    const expected: [string, string, number][] = [
      ['checkin-rate-by-month', 'circle.point', shown(report.months.map((m) => m.checkinRate))],
      ['overtime-by-month', 'rect.bar', shown(report.months.map((m) => m.overtimeAveragePerPerson))],
      ['nearmiss-by-category', 'rect.bar', shown(Object.values(report.nearmisses.byCategory))],
      ['kudos-by-value', 'rect.bar', shown(Object.values(report.kudos.byValue))],
      ['oneonone-by-unit', 'rect.bar', shown(report.oneonones.byUnit.map((u) => u.completionRate))],
    ];
    for (const [chart, mark, count] of expected) {
      const svg = page.locator(`svg[data-chart="${chart}"]`);
      await expect(svg.count()).resolves.toBe(1);
      await expect(svg.locator('title').count()).resolves.toBe(1);
      expect(count).toBeGreaterThan(0);
      await expect(svg.locator(mark).count()).resolves.toBe(count);
      const box = await svg.boundingBox();
      expect(box?.width).toBeGreaterThan(600);
    }
    // The 1on1 chart's 100% line, and the hidden unit written out rather than drawn as 0.
    await expect(page.locator('svg[data-chart="oneonone-by-unit"] line.target').count()).resolves.toBe(1);
    await expect(page.locator('svg[data-chart="oneonone-by-unit"] text.suppressed').textContent()).resolves.toBe('非表示（3人未満）');
    // Bars really have a size on the page, proportional to their figures (住民課 94.3%, 生涯学習課 75%).
    const widths = await page.locator('svg[data-chart="oneonone-by-unit"] rect.bar').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width));
    expect((widths[0] ?? 0) / (widths[5] ?? 1)).toBeCloseTo(0.9429 / 0.75, 1);
  });

  it('draws 有給休暇 and 研修 by 課 and the OJT rates, each against its target or last year', async () => {
    const { page } = opened;
    const expected: [string, number][] = [
      ['paid-leave-by-unit', shown(report.paidLeave!.byUnit.map((u) => u.rate ?? null))],
      ['training-by-unit', shown(report.training!.byUnit.map((u) => u.rate ?? null))],
      ['ojt-rates', 4],
    ];
    for (const [chart, bars] of expected) {
      const svg = page.locator(`svg[data-chart="${chart}"]`);
      await expect(svg.locator('rect.bar').count()).resolves.toBe(bars);
      expect((await svg.boundingBox())?.width).toBeGreaterThan(600);
    }
    await expect(page.locator('svg[data-chart="paid-leave-by-unit"] line.target').count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: '有給休暇・研修・OJT' }).isVisible()).resolves.toBe(true);
  });

  it('draws the survey’s categories by role group, this survey and the R7 baseline, readable by a screen reader', async () => {
    const { page } = opened;
    const svg = page.getByRole('img', { name: '設問カテゴリ別の平均（1〜4、職層別）' });
    await expect(svg.count()).resolves.toBe(1);
    for (const label of ['ビジョン・方向性', '評価・フィードバック', '職場の心理的安全性', '主任・主事', '管理職', '今回 R8上期調査', '基準 R7調査']) {
      await expect(svg.locator('text', { hasText: label }).first().isVisible()).resolves.toBe(true);
    }
    const current = svg.locator('rect.series-current');
    const baseline = svg.locator('rect.series-baseline');
    // The legend's swatch, then 7 categories × (全体 + 3 role groups; 管理職 is hidden this time) and × 5 for the baseline.
    await expect(current.count()).resolves.toBe(1 + 7 * 4);
    await expect(baseline.count()).resolves.toBe(1 + 7 * 5);
    // The two series are drawn in different colours, and a bar's length follows its score (R7 管理職 3.0 vs 評価 主幹・主査 2.1).
    const fill = (locator: typeof current) => locator.first().evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).fill);
    expect(await fill(current)).not.toBe(await fill(baseline));
    const width = async (value: string) =>
      (
        await baseline
          .and(page.locator(`[data-value="${value}"]`))
          .first()
          .boundingBox()
      )?.width ?? 0;
    expect((await width('3.0')) / (await width('2.1'))).toBeCloseTo(3 / 2.1, 1);
    const desc = await page.locator('svg[data-chart="survey-by-role-group"] desc').textContent();
    expect(desc).toContain('評価・フィードバック 全体: 今回 R8上期調査 2.6, 基準 R7調査 2.2');
    await expect(page.locator('table.agreement tr.highlight th').textContent()).resolves.toBe('評価に納得（方針の KPI）');
  });

  it('saves a full-page screenshot', async () => {
    await opened.page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Width and height sit in the IHDR chunk: the whole report, not one screen.
    expect(png.readUInt32BE(16)).toBe(900);
    expect(png.readUInt32BE(20)).toBeGreaterThan(1200);
  });

  it('prints on a few A4 pages, charts kept whole', async () => {
    const { page } = opened;
    await page.emulateMedia({ media: 'print' });
    const breaks = await page
      .locator('figure.chart')
      .evaluateAll((figures) => figures.map((f) => f.ownerDocument.defaultView?.getComputedStyle(f).breakInside));
    expect(breaks).toEqual(Array.from({ length: 9 }, () => 'avoid'));
    const pdf = await page.pdf({ path: PDF_FILE, format: 'A4', printBackground: true });
    const pages = pdfPageCount(pdf);
    // A table and nine charts: more than one page, and not one chart per page.
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(6);
    await page.emulateMedia({ media: 'screen' });
  });

  it('would catch a report that reached out to the network', async () => {
    const tampered = path.join(OUT_DIR, 'kpi-report-tampered.html');
    writeFileSync(tampered, renderKpiReport(report, 'ja').replace('</body>', '<img src="https://example.invalid/logo.png"></body>'), 'utf8');
    const probe = await openOffline(browser, tampered);
    try {
      expect(probe.leaked).toEqual(['https://example.invalid/logo.png']);
    } finally {
      await probe.context.close();
    }
  });
});
