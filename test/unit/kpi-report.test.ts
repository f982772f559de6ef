import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KpiReader, PeriodReport, ReportScope } from '../../src/features/kpi/kpi.types';
import { renderKpiReport } from '../../src/features/kpi/report/kpi-report.html';
import { writeKpiReport } from '../../src/features/kpi/report/write-kpi-report';
import { sampleKpiReport } from '../helpers/kpi-report-sample';

/** The `<tr>` of one KPI in the table. */
function rowOf(html: string, key: string): string {
  const match = new RegExp(`<tr data-kpi="${key}">.*?</tr>`).exec(html);
  if (!match) throw new Error(`no row ${key}`);
  return match[0];
}

/** The `<svg>` of one chart. */
function chartOf(html: string, chart: string): string {
  const match = new RegExp(`<svg[^>]*data-chart="${chart}"[^>]*>.*?</svg>`, 's').exec(html);
  if (!match) throw new Error(`no chart ${chart}`);
  return match[0];
}

const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

/** Every figure behind fewer than 3 people, as the rollups would hand them over. */
function allSuppressed(): PeriodReport {
  const base = sampleKpiReport();
  return {
    ...base,
    checkins: { ...base.checkins, rate: null, averageCondition: null, averageSatisfaction: null },
    overtime: { totalMinutes: 300, monthlyAveragePerPerson: null, previousMonthlyAveragePerPerson: null, previousMissing: false, changeRatio: null },
    oneonones: {
      held: 1,
      pairs: 2,
      pairsHeldWithinCadence: 1,
      completionRate: null,
      byUnit: [{ unit: '農業委員会', pairs: 2, pairsHeldWithinCadence: 1, completionRate: null }],
    },
    nearmisses: { total: 2, byCategory: { counter: null, money: null }, bySeverity: { '1': null } },
    kudos: { total: 4, byValue: { share: null } },
    months: base.months.map((m) => ({ ...m, checkinRate: null, overtimeAveragePerPerson: null })),
  };
}

describe('KPI report (HTML)', () => {
  it('names the period with its dates, the comparison period and the scope', () => {
    const html = renderKpiReport(sampleKpiReport(), 'ja');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="ja">/);
    expect(html).toContain('<h1>KPI レポート</h1>');
    expect(html).toContain('令和8年度 上期（2026年4月1日〜2026年9月30日）');
    expect(html).toContain('令和7年度 上期（2025年4月1日〜2025年9月30日）');
    expect(html).toContain('<dd>町全体</dd>');
    expect(html).toContain('<title>KPI レポート 町全体 令和8年度 上期</title>');
  });

  it('names months, years and second halves the way HR does', () => {
    const month = renderKpiReport(sampleKpiReport({ period: { id: '2026-05', kind: 'month', from: '2026-05-01', to: '2026-05-31' } }), 'ja');
    expect(month).toContain('2026年5月（2026年5月1日〜2026年5月31日）');
    const year = renderKpiReport(sampleKpiReport({ period: { id: 'FY2026', kind: 'year', from: '2026-04-01', to: '2027-03-31' } }), 'ja');
    expect(year).toContain('令和8年度（2026年4月1日〜2027年3月31日）');
    const second = renderKpiReport(sampleKpiReport({ period: { id: 'FY2026H2', kind: 'half', from: '2026-10-01', to: '2027-03-31' } }), 'ja');
    expect(second).toContain('令和8年度 下期（2026年10月1日〜2027年3月31日）');
    const english = renderKpiReport(sampleKpiReport(), 'en');
    expect(english).toContain('FY2026 first half (1 Apr 2026 – 30 Sept 2026)');
  });

  it('shows each KPI beside its target, judged against it', () => {
    const html = renderKpiReport(sampleKpiReport(), 'ja');
    const oneonone = rowOf(html, 'oneonone');
    expect(oneonone).toContain('1on1 実施率');
    expect(oneonone).toContain('<td class="value">89.9%</td><td class="target">100%</td>');
    expect(oneonone).toContain('未達');
    expect(oneonone).toContain('期限内に実施したペア 98 / 109・実施 612回');
    const overtime = rowOf(html, 'overtime');
    // 760 minutes a month = 12.7 h; last year 870 min = 14.5 h, the target 90% of it = 13.1 h.
    expect(overtime).toContain('<td class="value">12.7時間</td><td class="target">前年同期比 −10%（13.1時間以下）</td>');
    expect(overtime).toContain('達成');
    expect(overtime).toContain('前年同期 14.5時間・前年同期比 −12.6%');
    expect(rowOf(html, 'checkin')).toContain('<td class="value">89.7%</td>');
    expect(rowOf(html, 'checkin')).toContain('回答 朝 12,880・夕 12,104 / お知らせ 27,840');
    expect(rowOf(html, 'condition')).toContain('3.8 / 5');
    expect(rowOf(html, 'satisfaction')).toContain('3.4 / 5');
    expect(rowOf(html, 'nearmiss')).toContain('46件');
    expect(rowOf(html, 'kudos')).toContain('388件');
    expect(rowOf(html, 'help')).toContain('依頼 37・対応あり 35');
  });

  it('judges a target on the figure as printed, so 100% never sits beside 未達', () => {
    const base = sampleKpiReport();
    const almost = renderKpiReport(
      { ...base, oneonones: { ...base.oneonones, completionRate: 0.9996 }, overtime: { ...base.overtime, changeRatio: -0.0996 } },
      'ja',
    );
    expect(rowOf(almost, 'oneonone')).toMatch(/100%.*達成/);
    expect(rowOf(almost, 'overtime')).toContain('・前年同期比 −10%</td>');
    expect(rowOf(almost, 'overtime')).toContain('status-met');
    const short = renderKpiReport(
      { ...base, oneonones: { ...base.oneonones, completionRate: 0.9994 }, overtime: { ...base.overtime, changeRatio: -0.0994 } },
      'ja',
    );
    expect(rowOf(short, 'oneonone')).toContain('99.9%');
    expect(rowOf(short, 'oneonone')).toContain('status-notMet');
    expect(rowOf(short, 'overtime')).toContain('前年同期比 −9.9%');
    expect(rowOf(short, 'overtime')).toContain('status-notMet');
  });

  it('shows a suppressed figure as 非表示（3人未満）, never as 0, and cannot judge it', () => {
    const html = renderKpiReport(allSuppressed(), 'ja');
    for (const key of ['oneonone', 'overtime', 'checkin', 'condition', 'satisfaction']) {
      const row = rowOf(html, key);
      expect(row).toContain('<td class="value suppressed">非表示（3人未満）</td>');
      expect(row).not.toMatch(/>0(\.0)?(%|時間| \/ 5)</);
    }
    expect(rowOf(html, 'oneonone')).toContain('判定できません');
    expect(rowOf(html, 'overtime')).toContain('判定できません');
    // 1 of 2 pairs would give the hidden rate back: the pair counts are hidden with it.
    expect(rowOf(html, 'oneonone')).not.toContain('1 / 2');
    expect(rowOf(html, 'overtime')).toContain('前年同期 非表示（3人未満）');
    for (const chart of ['checkin-rate-by-month', 'overtime-by-month', 'nearmiss-by-category', 'kudos-by-value', 'oneonone-by-unit']) {
      const svg = chartOf(html, chart);
      expect(count(svg, /class="bar"/) + count(svg, /class="point"/)).toBe(0);
      expect(svg).toContain('>非表示（3人未満）</text>');
    }
    expect(html).toContain('<td class="suppressed">非表示（3人未満）</td>');
    const english = renderKpiReport(allSuppressed(), 'en');
    expect(rowOf(english, 'oneonone')).toContain('Hidden (fewer than 3 people)');
  });

  it('escapes every name it prints: a unit called <script> stays text', () => {
    const base = sampleKpiReport();
    const evil = '<script>alert("x")</script>';
    const html = renderKpiReport(
      {
        ...base,
        scope: { kind: 'unit', unit: evil },
        oneonones: { ...base.oneonones, byUnit: [{ unit: evil, pairs: 5, pairsHeldWithinCadence: 5, completionRate: 1 }] },
        nearmisses: { ...base.nearmisses, byCategory: { '"><img src=x onerror=alert(1)>': 2 } },
      },
      'ja',
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(chartOf(html, 'oneonone-by-unit')).toContain('>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</text>');
  });

  it('formats numbers as people read them, in either language', () => {
    const base = sampleKpiReport();
    const big = { ...base, kudos: { total: 1234, byValue: { share: 1234 } }, overtime: { ...base.overtime, monthlyAveragePerPerson: 750 } };
    const ja = renderKpiReport(big, 'ja');
    expect(rowOf(ja, 'kudos')).toContain('1,234件');
    expect(rowOf(ja, 'overtime')).toContain('12.5時間');
    const en = renderKpiReport(big, 'en');
    expect(en).toContain('<html lang="en">');
    expect(rowOf(en, 'kudos')).toContain('<td class="value">1,234</td>');
    expect(rowOf(en, 'overtime')).toContain('12.5 h');
    expect(rowOf(en, 'overtime')).toContain('−10% year on year');
    expect(rowOf(en, 'oneonone')).toContain('Not met');
  });

  it('draws one bar or point per figure, labelled as the near-miss and kudos features label them', () => {
    const html = renderKpiReport(sampleKpiReport(), 'ja');
    const checkin = chartOf(html, 'checkin-rate-by-month');
    expect(count(checkin, /class="point"/)).toBe(6);
    expect(count(checkin, /class="line"/)).toBe(1);
    const overtime = chartOf(html, 'overtime-by-month');
    expect(count(overtime, /class="bar"/)).toBe(5);
    expect(overtime).toContain('目標 13.1時間（前年同期 −10%）');
    const nearmiss = chartOf(html, 'nearmiss-by-category');
    expect(count(nearmiss, /class="bar"/)).toBe(7);
    expect([...nearmiss.matchAll(/class="ylabel"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual([
      '窓口対応',
      '個人情報',
      '金銭・会計',
      '文書・公印',
      'システム・データ',
      '安全・施設',
      '対外調整',
      'その他',
    ]);
    const kudos = chartOf(html, 'kudos-by-value');
    expect(count(kudos, /class="bar"/)).toBe(9);
    expect(kudos).toContain('>抱え込まない</text>');
    expect(kudos).toContain('>96件</text>');
    const units = chartOf(html, 'oneonone-by-unit');
    expect(count(units, /class="bar"/)).toBe(6);
    expect(count(units, /class="target"/)).toBe(1);
    expect(units).toContain('目標 100%');
    expect(html).toContain('<th scope="row">4 極めて重大</th><td class="value">1件</td>');
  });

  it('orders a distribution as its feature does and invents no missing key as 0', () => {
    const base = sampleKpiReport();
    const html = renderKpiReport({ ...base, kudos: { total: 5, byValue: { team: 3, purpose: 2 } } }, 'ja');
    const kudos = chartOf(html, 'kudos-by-value');
    expect([...kudos.matchAll(/class="ylabel"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['目的を言葉に', 'チーム志向']);
    expect(count(kudos, /class="bar"/)).toBe(2);
  });

  it('gives every chart a title and a description of its figures', () => {
    const html = renderKpiReport(sampleKpiReport(), 'ja');
    const overtime = chartOf(html, 'overtime-by-month');
    expect(overtime).toContain('role="img"');
    expect(overtime).toContain('<title id="chart-overtime-by-month-title">時間外勤務 1人あたり月平均（月別）</title>');
    expect(overtime).toContain('4月 17.0時間 / 5月 14.0時間 / 6月 11.5時間 / 7月 12.0時間 / 8月 非表示（3人未満） / 9月 10.5時間');
  });

  it('needs nothing from the network and prints on A4 without splitting a chart', () => {
    const html = renderKpiReport(sampleKpiReport(), 'ja');
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:|<link|<script|<img|url\(|@import|src=/i);
    expect(html).toContain('@page { size: A4;');
    expect(html).toMatch(/figure\.chart \{[^}]*break-inside: avoid/);
  });

  it('says so when a period has no months yet', () => {
    const html = renderKpiReport(sampleKpiReport({ months: [] }), 'ja');
    expect(chartOf(html, 'checkin-rate-by-month')).toContain('この期間のデータはありません');
  });
});

describe('有給休暇, 研修, OJT and the staff survey in the HTML report', () => {
  const html = renderKpiReport(sampleKpiReport(), 'ja');

  it('puts the three rates and 評価への納得感 in the table, judged against the policy’s targets', () => {
    expect(rowOf(html, 'paidLeave')).toContain('<td class="value">63%</td><td class="target">70%以上</td>');
    expect(rowOf(html, 'paidLeave')).toContain('未達');
    expect(rowOf(html, 'training')).toContain('<td class="value">95.7%</td><td class="target">全職員の95%以上</td>');
    expect(rowOf(html, 'training')).toContain('前年同期 データなし');
    expect(rowOf(html, 'ojtPlanned')).toContain('計画あり 18 / 対象 24人・前年同期 50%');
    expect(rowOf(html, 'engagement')).toContain('<td class="value">47%</td><td class="target">向上（R7調査 38%）</td>');
  });

  it('charts 有給休暇 and 研修 by 課 with the target line, and the OJT rates beside last year', () => {
    const leave = chartOf(html, 'paid-leave-by-unit');
    // Seven 課, 農業委員会 hidden.
    expect(count(leave, /class="bar"/)).toBe(6);
    expect(leave).toContain('目標 70%');
    expect(leave).toContain('農業委員会 非表示（3人未満）');
    expect(count(chartOf(html, 'training-by-unit'), /class="target"/)).toBe(1);
    const ojt = chartOf(html, 'ojt-rates');
    expect(ojt).toContain('計画作成率 今期 75% / 計画作成率 前年同期 50% / 実施率 今期 66.7% / 実施率 前年同期 70%');
  });

  it('draws the survey’s categories by role group, this survey against the R7 baseline', () => {
    const survey = chartOf(html, 'survey-by-role-group');
    expect(survey).toContain('role="img"');
    for (const label of ['ビジョン・方向性', '業務負荷・配分', '評価・フィードバック', '職場の心理的安全性']) expect(survey).toContain(`>${label}</text>`);
    for (const group of ['全体', '主任・主事', '主幹・主査', '会計年度', '管理職']) expect(survey).toContain(`>${group}</text>`);
    // Legend and bars of both series: 7 categories × 5 groups, less the 管理職 hidden this time.
    expect(survey).toContain('>今回 R8上期調査</text>');
    expect(survey).toContain('>基準 R7調査</text>');
    expect(count(survey, /class="bar series-current"/)).toBe(1 + 7 * 4);
    expect(count(survey, /class="bar series-baseline"/)).toBe(1 + 7 * 5);
    expect(count(survey, /class="bar series-previous"/)).toBe(0);
    // R7 評価・フィードバック: 全体 2.2, 主幹・主査 2.1, 管理職 2.6, in words for a screen reader.
    expect(survey).toContain('評価・フィードバック 全体: 今回 R8上期調査 2.6, 基準 R7調査 2.2');
    expect(survey).toContain('評価・フィードバック 主幹・主査: 今回 R8上期調査 2.5, 基準 R7調査 2.1');
    expect(survey).toContain('評価・フィードバック 管理職: 今回 R8上期調査 非表示, 基準 R7調査 2.6');
    expect(survey).toContain('data-value="2.2"');
    expect(survey).toContain('data-value="3.0"');
  });

  it('adds the previous survey as a third series when there is one, and a 課’s own column on its report', () => {
    const base = sampleKpiReport();
    const engagement = base.engagement!;
    const previous = { ...engagement.baseline!, surveyId: 'r7-h2', title: { ja: 'R7下期調査', en: 'FY2025 H2' } };
    const unit = renderKpiReport({ ...base, scope: { kind: 'unit', unit: '総務課' }, engagement: { ...engagement, previous } }, 'ja');
    const survey = chartOf(unit, 'survey-by-role-group');
    expect(survey).toContain('>前回 R7下期調査</text>');
    expect(count(survey, /class="bar series-previous"/)).toBe(1 + 7 * 5);
    expect(survey).toContain('評価・フィードバック 総務課: 今回 R8上期調査 2.7, 前回 R7下期調査 データなし, 基準 R7調査 データなし');
  });

  it('lists the agreement items, 評価に納得 marked as the policy’s KPI', () => {
    const table = /<table class="agreement".*?<\/table>/s.exec(html)?.[0] ?? '';
    expect(table).toContain('<th scope="col">今回 R8上期調査</th><th scope="col">基準 R7調査</th>');
    expect(table).toContain(
      '<tr data-item="evaluationAgreed" class="highlight"><th scope="row">評価に納得（方針の KPI）</th><td class="value">47%</td><td class="value">38%</td></tr>',
    );
    expect(table).toContain('<th scope="row">回答数</th><td class="value">71</td><td class="value">58</td>');
  });

  it('leaves the sections out when the sources are not wired', () => {
    const { paidLeave: _l, training: _t, ojt: _o, engagement: _e, ...rest } = sampleKpiReport();
    const without = renderKpiReport(rest, 'ja');
    for (const gone of ['data-section="policy"', 'data-section="survey"', 'data-kpi="paidLeave"', 'data-kpi="engagement"', 'survey-by-role-group'])
      expect(without).not.toContain(gone);
    expect(without).toContain('data-kpi="oneonone"');
  });
});

describe('writeKpiReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kpi-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the period from the reader and writes the report, folders included', async () => {
    const asked: [string, string, ReportScope][] = [];
    const reader: KpiReader = {
      periodReport: async (tenantId, periodId, scope) => {
        asked.push([tenantId, periodId, scope]);
        return sampleKpiReport({ scope });
      },
    };
    const out = path.join(dir, 'reports', 'fy2026h1.html');
    const written = await writeKpiReport(reader, 'atsuma', 'FY2026H1', { kind: 'unit', unit: '建設課' }, 'ja', out);
    expect(written).toBe(path.resolve(out));
    expect(asked).toEqual([['atsuma', 'FY2026H1', { kind: 'unit', unit: '建設課' }]]);
    const html = await readFile(out, 'utf8');
    expect(html).toBe(renderKpiReport(sampleKpiReport({ scope: { kind: 'unit', unit: '建設課' } }), 'ja'));
    expect(html).toContain('<dd>建設課</dd>');
  });
});
