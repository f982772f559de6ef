import { parse } from 'csv-parse/sync';
import { kpiCsv, type ExportSection } from '../../src/features/kpi/kpi.csv';
import type { DecodedRow } from '../../src/features/kpi/kpi.entity';
import { emptyFigures, type GroupKey } from '../../src/features/kpi/kpi.figures';
import { emptyPolicyFigures, type PolicyFigures } from '../../src/features/kpi/kpi.policy-figures';
import { translator } from '../../src/i18n/i18n';
import { r8Survey } from '../helpers/kpi-survey-sample';

const H1 = { id: 'FY2026H1', kind: 'half', from: '2026-04-01', to: '2026-09-30' } as const;

function row(key: GroupKey, policy?: (p: PolicyFigures) => void): DecodedRow {
  const figures = emptyPolicyFigures();
  policy?.(figures);
  return {
    key,
    figures: emptyFigures(key.level !== 'role'),
    days: 183,
    lastDay: '2026-09-30',
    overtimeMonthlyAverage: null,
    policy: policy ? figures : undefined,
  };
}

const ROWS: DecodedRow[] = [
  row({ level: 'town' }, (p) => {
    Object.assign(p.leave, { people: 116, grantedDays: 2320, takenDays: 1461.5 });
    Object.assign(p.training, { people: 116, completed: 111 });
    Object.assign(p.ojt, { juniors: 24, planned: 18, onTrack: 12 });
  }),
  row({ level: 'unit', unit: '総務課' }, (p) => {
    Object.assign(p.leave, { people: 20, grantedDays: 400, takenDays: 232 });
    Object.assign(p.training, { people: 20, completed: 19 });
    // Two plans: the on-track rate would describe two juniors.
    Object.assign(p.ojt, { juniors: 4, planned: 2, onTrack: 1 });
  }),
  row({ level: 'unit', unit: '農業委員会' }, (p) => {
    p.leave.suppressed = true;
    p.training.suppressed = true;
    p.ojt.suppressed = true;
  }),
  row({ level: 'role', role: 'staff' }),
];

const read = (csv: string): Record<string, string>[] => parse(csv, { bom: true, columns: true }) as Record<string, string>[];

describe('the KPI CSV: 有給休暇, 研修, OJT and the staff survey', () => {
  it('adds the snapshot’s columns with Japanese headers, 非表示 for a hidden group and empty where there is none', () => {
    const records = read(kpiCsv([{ period: H1, rows: ROWS }], translator('ja')));
    const [town, soumu, nogyo, staff] = records;
    expect(town).toMatchObject({
      '有給 対象人数': '116',
      '有給 付与日数': '2320',
      '有給 取得日数': '1461.5',
      '有給休暇取得率(%)': '63.0',
      '研修 対象人数': '116',
      '研修 修了人数': '111',
      '研修受講率(%)': '95.7',
      'OJT 対象者数': '24',
      'OJT 計画作成数': '18',
      'OJT計画作成率(%)': '75.0',
      'OJT 計画どおり数': '12',
      'OJT実施率(%)': '66.7',
    });
    expect(soumu).toMatchObject({
      '有給休暇取得率(%)': '58.0',
      '研修受講率(%)': '95.0',
      'OJT計画作成率(%)': '50.0',
      'OJT 計画どおり数': '1',
      'OJT実施率(%)': '非表示',
    });
    expect(nogyo).toMatchObject({ '有給 対象人数': '非表示', '有給 取得日数': '非表示', '研修 修了人数': '非表示', 'OJT計画作成率(%)': '非表示' });
    // A row rolled up without the sources.
    expect(staff).toMatchObject({ 役職: '主事', '有給 対象人数': '', '有給休暇取得率(%)': '', 'OJT実施率(%)': '' });
    expect(Object.keys(town!).some((h) => h.startsWith('アンケート'))).toBe(false);
  });

  it('has English headers for an English export', () => {
    const header = Object.keys(read(kpiCsv([{ period: H1, rows: ROWS }], translator('en'), 'en'))[0]!);
    expect(header).toEqual(
      expect.arrayContaining(['Paid leave granted (days)', 'Paid leave taken (%)', 'Training attendance (%)', 'OJT plan rate (%)', 'OJT on-track rate (%)']),
    );
  });

  it('adds the survey closed in the period: the town and each 課 on their lines, the role groups on lines of their own', () => {
    const sections: ExportSection[] = [
      { period: H1, rows: ROWS, survey: r8Survey() },
      { period: { id: '2026-08', kind: 'month', from: '2026-08-01', to: '2026-08-31' }, rows: ROWS },
    ];
    const records = read(kpiCsv(sections, translator('ja')));
    const header = Object.keys(records[0]!);
    expect(header.slice(-13)).toEqual([
      'アンケート 調査名',
      'アンケート 回答数',
      'アンケート ビジョン・方向性 平均(1-4)',
      'アンケート 業務負荷・配分 平均(1-4)',
      'アンケート 上司との関係性 平均(1-4)',
      'アンケート 評価・フィードバック 平均(1-4)',
      'アンケート 成長・研修機会 平均(1-4)',
      'アンケート DX・デジタル環境 平均(1-4)',
      'アンケート 職場の心理的安全性 平均(1-4)',
      'アンケート 業務量過多を実感(%)',
      'アンケート 上司は意見を聞く(%)',
      'アンケート 評価に納得(%)',
      'アンケート DX効果を実感(%)',
    ]);
    const [town, soumu, nogyo, staff] = records;
    expect(town).toMatchObject({
      'アンケート 調査名': 'R8上期調査',
      'アンケート 回答数': '71',
      'アンケート 評価・フィードバック 平均(1-4)': '2.60',
      'アンケート 評価に納得(%)': '47.0',
    });
    expect(soumu).toMatchObject({ 'アンケート 回答数': '12', 'アンケート DX・デジタル環境 平均(1-4)': '2.90' });
    expect(nogyo).toMatchObject({ 'アンケート 回答数': '非表示', 'アンケート 評価に納得(%)': '非表示' });
    expect(staff!['アンケート 回答数']).toBe('');
    const groups = records.filter((r) => r['集計単位'] === '職層');
    expect(groups.map((r) => r['役職'])).toEqual(['主任・主事', '主幹・主査', '会計年度', '管理職']);
    expect(groups[0]).toMatchObject({
      期間: 'FY2026H1',
      期間名: '令和8年度 上期',
      在籍人数: '',
      'アンケート 回答数': '25',
      'アンケート 評価に納得(%)': '44.0',
    });
    expect(groups[3]).toMatchObject({ 'アンケート 回答数': '非表示', 'アンケート 評価・フィードバック 平均(1-4)': '非表示' });
    // August had no survey: its lines have the columns, empty.
    const august = records.filter((r) => r['期間'] === '2026-08');
    expect(august).toHaveLength(4);
    expect(august.every((r) => r['アンケート 調査名'] === '')).toBe(true);
  });
});
