import type { Person } from '../../src/directory/org.schema';
import { kpiSummaryCardData, renderKpiSummaryCard } from '../../src/features/kpi/report/kpi-summary.card';
import { decideReportScope, scopeRefusalMessage, scopeRequestSchema } from '../../src/features/kpi/report/report-scope';
import { translator } from '../../src/i18n/i18n';
import { cardProblems } from '../helpers/card-validation';
import { sampleKpiReport } from '../helpers/kpi-report-sample';

const person = (id: string, extra: Partial<Person> = {}): Person => ({ id, name: `名前${id}`, role: 'staff', hr: false, active: true, ...extra });
const UNITS = ['住民課', '総務課', '建設課', '農業委員会'];

describe('the レポート summary card', () => {
  it('puts each figure beside its target, judged, for the whole town', () => {
    const data = kpiSummaryCardData(sampleKpiReport(), 'ja');
    expect(data.title).toBe('KPI — 町全体');
    expect(data.period).toBe('令和8年度 上期（2026年4月1日〜2026年9月30日）');
    expect(data.headers).toEqual({ measure: '指標', result: '実績', target: '目標' });
    const [oneonone, overtime] = data.rows;
    expect(oneonone).toMatchObject({ label: '1on1 実施率', value: '89.9%', target: '100%', status: '未達', statusColor: 'Attention' });
    expect(overtime).toMatchObject({ value: '12.7時間', target: '前年同期比 −10%（13.1時間以下）', status: '達成', statusColor: 'Good' });
    expect(data.rows.map((r) => r.label)).toEqual([
      '1on1 実施率',
      '時間外勤務 月平均（1人あたり）',
      'チェックイン回答率',
      '体調の平均（朝）',
      '満足度の平均（夕）',
      'ヒヤリハット件数',
      'ありがとう件数',
      '助けの依頼',
      '有給休暇取得率',
      '研修受講率',
      'OJT計画作成率',
      'OJT実施率（計画どおり）',
      '評価への納得感',
    ]);
    // Figures the policy sets no target for carry no 達成/未達.
    expect(data.rows.find((r) => r.label === 'ありがとう件数')).toMatchObject({ value: '388件', status: '', target: '—' });
    expect(data.units).toContainEqual({ label: '総務課', value: '100%' });
    expect(data.units).toContainEqual({ label: '農業委員会', value: '非表示（3人未満）' });
  });

  it('shows 有給休暇, 研修, OJT and 評価への納得感 beside the policy’s targets', () => {
    const rows = kpiSummaryCardData(sampleKpiReport(), 'ja').rows;
    const row = (label: string) => rows.find((r) => r.label === label);
    // 1,461.5 of 2,320 days: 63%, under 70%; last year 58.4%.
    expect(row('有給休暇取得率')).toMatchObject({
      value: '63%',
      target: '70%以上',
      status: '未達',
      statusColor: 'Attention',
      detail: '取得 1,461.5日 / 付与 2,320日（116人）・前年同期 58.4%',
    });
    // No training figure a year earlier: データなし, not 非表示.
    expect(row('研修受講率')).toMatchObject({
      value: '95.7%',
      target: '全職員の95%以上',
      status: '達成',
      statusColor: 'Good',
      detail: '必修研修をすべて受講 111 / 116人・前年同期 データなし',
    });
    // OJT: up on last year's 50% plans; on track 66.7% is down on 70%.
    expect(row('OJT計画作成率')).toMatchObject({ value: '75%', target: '前年同期より向上', status: '達成' });
    expect(row('OJT実施率（計画どおり）')).toMatchObject({ value: '66.7%', status: '未達', detail: '計画どおり 12 / 計画 18・前年同期 70%' });
    // 47% against the R7 baseline's 38%.
    expect(row('評価への納得感')).toMatchObject({
      value: '47%',
      target: '向上（R7調査 38%）',
      status: '達成',
      detail: 'R8上期調査（2026年9月18日締切）・前回 38%',
    });
  });

  it('shows a 課 its own 評価への納得感, beside the town’s, and データなし where the survey has no figure for it', () => {
    const base = sampleKpiReport();
    const row = (unit: string) => kpiSummaryCardData({ ...base, scope: { kind: 'unit', unit } }, 'ja').rows.find((r) => r.label === '評価への納得感');
    // 総務課 50%; no previous survey, so against the R7 town baseline of 38%.
    expect(row('総務課')).toMatchObject({ value: '50%', status: '達成', detail: 'R8上期調査（2026年9月18日締切）・前回 38%・町全体 47%' });
    expect(row('農業委員会')).toMatchObject({ value: '非表示（3人未満）', status: '判定できません' });
    expect(row('建設課')).toMatchObject({ value: 'データなし', suppressed: true });
  });

  it('leaves those rows out when their sources are not wired', () => {
    const { paidLeave: _l, training: _t, ojt: _o, engagement: _e, ...rest } = sampleKpiReport();
    const labels = kpiSummaryCardData(rest, 'ja').rows.map((r) => r.label);
    expect(labels).toHaveLength(8);
    expect(labels).not.toContain('有給休暇取得率');
    expect(cardProblems(renderKpiSummaryCard(rest, 'en'))).toEqual([]);
  });

  it('says データなし, not 非表示（3人未満）, when there is no overtime a year earlier to compare with', () => {
    const base = sampleKpiReport();
    const overtime = (previousMissing: boolean) =>
      kpiSummaryCardData({ ...base, overtime: { ...base.overtime, previousMonthlyAveragePerPerson: null, previousMissing, changeRatio: null } }, 'ja').rows[1]
        ?.detail;
    expect(overtime(true)).toBe('前年同期 データなし・前年同期比 —');
    expect(overtime(false)).toBe('前年同期 非表示（3人未満）・前年同期比 —');
    const english = kpiSummaryCardData(
      { ...base, overtime: { ...base.overtime, previousMonthlyAveragePerPerson: null, previousMissing: true, changeRatio: null } },
      'en',
    ).rows[1]?.detail;
    expect(english).toBe('Same period last year no data; change —');
  });

  it('shows a suppressed figure as 非表示, not 0, and a unit card has no unit list', () => {
    const base = sampleKpiReport();
    const data = kpiSummaryCardData(
      {
        ...base,
        scope: { kind: 'unit', unit: '農業委員会' },
        oneonones: { ...base.oneonones, completionRate: null },
        checkins: { ...base.checkins, averageSatisfaction: null },
      },
      'ja',
    );
    expect(data.title).toBe('KPI — 農業委員会');
    expect(data.rows[0]).toMatchObject({ value: '非表示（3人未満）', suppressed: true, status: '判定できません', detail: '' });
    expect(data.rows.find((r) => r.label === '満足度の平均（夕）')).toMatchObject({ value: '非表示（3人未満）', suppressed: true });
    expect(data.units).toEqual([]);
  });

  it('binds into a valid Adaptive Card, in English too', () => {
    for (const locale of ['ja', 'en'] as const) {
      const base = sampleKpiReport();
      const card = renderKpiSummaryCard({ ...base, checkins: { ...base.checkins, averageCondition: null } }, locale);
      expect(cardProblems(card)).toEqual([]);
      const text = JSON.stringify(card);
      expect(text).not.toContain('${');
      expect(text).toContain(locale === 'ja' ? '"非表示（3人未満）"' : '"Hidden (fewer than 3 people)"');
      expect(text).toContain('"isSubtle":true');
    }
    const english = JSON.stringify(renderKpiSummaryCard(sampleKpiReport(), 'en'));
    expect(english).toContain('"KPIs — Whole town"');
    expect(english).toContain('"−10% year on year (13.1 h or less)"');
    expect(english).toContain('"Not met"');
  });
});

describe('who sees which レポート', () => {
  it('HR sees the whole town, or any unit they name', () => {
    const hr = person('H', { unit: '総務課', role: 'senior', hr: true });
    expect(decideReportScope(hr, undefined, UNITS)).toEqual({ allowed: true, scope: { kind: 'town' } });
    expect(decideReportScope(hr, { kind: 'town' }, UNITS)).toEqual({ allowed: true, scope: { kind: 'town' } });
    expect(decideReportScope(hr, { kind: 'unit', unit: '建設課' }, UNITS)).toEqual({ allowed: true, scope: { kind: 'unit', unit: '建設課' } });
    expect(decideReportScope(hr, { kind: 'unit', unit: '建設部' }, UNITS)).toEqual({
      allowed: false,
      refusal: { reason: 'unknownUnit', unit: '建設部', units: UNITS },
    });
  });

  it('a 課長 sees their own unit only', () => {
    const kacho = person('M', { unit: '建設課', role: 'manager' });
    expect(decideReportScope(kacho, undefined, UNITS)).toEqual({ allowed: true, scope: { kind: 'unit', unit: '建設課' } });
    expect(decideReportScope(kacho, { kind: 'unit', unit: '建設課' }, UNITS)).toEqual({ allowed: true, scope: { kind: 'unit', unit: '建設課' } });
    expect(decideReportScope(kacho, { kind: 'unit', unit: '住民課' }, UNITS)).toEqual({ allowed: false, refusal: { reason: 'ownUnitOnly', unit: '建設課' } });
    expect(decideReportScope(kacho, { kind: 'town' }, UNITS)).toEqual({ allowed: false, refusal: { reason: 'ownUnitOnly', unit: '建設課' } });
    expect(decideReportScope(person('X', { role: 'manager' }), undefined, UNITS)).toEqual({ allowed: false, refusal: { reason: 'noUnit' } });
  });

  it('a 課長 who is also HR sees what HR sees', () => {
    const both = person('B', { unit: '総務課', role: 'manager', hr: true });
    expect(decideReportScope(both, undefined, UNITS)).toEqual({ allowed: true, scope: { kind: 'town' } });
    expect(decideReportScope(both, { kind: 'unit', unit: '住民課' }, UNITS)).toEqual({ allowed: true, scope: { kind: 'unit', unit: '住民課' } });
  });

  it('anyone else is refused: group leads, staff, the mayor, people who have left', () => {
    for (const role of ['chief', 'senior', 'lead', 'staff', 'appointee', 'executive'] as const) {
      expect(decideReportScope(person(role, { unit: '住民課', role }), undefined, UNITS)).toEqual({ allowed: false, refusal: { reason: 'notAllowed' } });
    }
    expect(decideReportScope(person('L', { unit: '総務課', hr: true, active: false }), undefined, UNITS)).toEqual({
      allowed: false,
      refusal: { reason: 'notAllowed' },
    });
    expect(decideReportScope(person('K', { unit: '建設課', role: 'manager', active: false }), undefined, UNITS)).toEqual({
      allowed: false,
      refusal: { reason: 'notAllowed' },
    });
  });

  it('reads what follows レポート: nothing, the town, or a unit name', () => {
    expect(scopeRequestSchema.parse('')).toBeUndefined();
    expect(scopeRequestSchema.parse('  ')).toBeUndefined();
    expect(scopeRequestSchema.parse(' 町全体 ')).toEqual({ kind: 'town' });
    expect(scopeRequestSchema.parse('TOWN')).toEqual({ kind: 'town' });
    expect(scopeRequestSchema.parse('　住民課　')).toEqual({ kind: 'unit', unit: '住民課' });
    expect(scopeRequestSchema.safeParse('課'.repeat(201)).success).toBe(false);
  });

  it('answers a refusal in the person’s language', () => {
    const ja = translator('ja');
    const en = translator('en');
    expect(scopeRefusalMessage({ reason: 'notAllowed' }, ja)).toBe('KPI レポートは課長と総務課 人事担当の方が見られます。');
    expect(scopeRefusalMessage({ reason: 'notAllowed' }, en)).toBe('The KPI report is for managers (課長) and HR.');
    expect(scopeRefusalMessage({ reason: 'ownUnitOnly', unit: '建設課' }, ja)).toContain('ご自身の課（建設課）');
    expect(scopeRefusalMessage({ reason: 'unknownUnit', unit: '建設部', units: ['住民課', '建設課'] }, ja)).toBe(
      '「建設部」という課は見つかりませんでした。課: 住民課、建設課',
    );
    expect(scopeRefusalMessage({ reason: 'unknownUnit', unit: 'x', units: ['住民課', '建設課'] }, en)).toBe('No unit named “x”. Units: 住民課, 建設課');
    expect(scopeRefusalMessage({ reason: 'noUnit' }, ja)).toContain('総務課 人事担当');
  });
});
