import type { SurveyComparison, SurveyGroupFigures, SurveySummary } from '../../src/features/kpi/kpi.policy';

const CATEGORIES = [
  { key: 'vision', label: { ja: 'ビジョン・方向性', en: 'Vision and direction' } },
  { key: 'workload', label: { ja: '業務負荷・配分', en: 'Workload' } },
  { key: 'boss', label: { ja: '上司との関係性', en: 'Relationship with the boss' } },
  { key: 'evaluation', label: { ja: '評価・フィードバック', en: 'Evaluation and feedback' } },
  { key: 'growth', label: { ja: '成長・研修機会', en: 'Growth and training' } },
  { key: 'dx', label: { ja: 'DX・デジタル環境', en: 'DX and digital tools' } },
  { key: 'safety', label: { ja: '職場の心理的安全性', en: 'Psychological safety' } },
] as const;

const AGREEMENTS = [
  { key: 'overloaded', label: { ja: '業務量過多を実感', en: 'Feel overloaded' } },
  { key: 'bossListens', label: { ja: '上司は意見を聞く', en: 'The boss listens' } },
  { key: 'evaluationAgreed', label: { ja: '評価に納得', en: 'Satisfied with evaluation' } },
  { key: 'dxEffect', label: { ja: 'DX効果を実感', en: 'Feel the effect of DX' } },
] as const;

/** Scores in CATEGORIES order, shares in AGREEMENTS order. */
function group(answers: number | null, scores: readonly (number | null)[], shares: readonly (number | null)[]): SurveyGroupFigures {
  return {
    answers,
    categories: Object.fromEntries(CATEGORIES.map((c, i) => [c.key, scores[i] ?? null])),
    agreement: Object.fromEntries(AGREEMENTS.map((a, i) => [a.key, shares[i] ?? null])),
  };
}

/** The R7 survey as the policy's appendix gives it (58 answers; no 課 breakdown, role groups have no agreement shares). */
export function r7Baseline(): SurveySummary {
  return {
    surveyId: 'r7-baseline',
    title: { ja: 'R7調査', en: 'FY2025 survey' },
    closedOn: '2025-11-30',
    categories: CATEGORIES,
    agreements: AGREEMENTS,
    town: group(58, [2.5, 2.3, 2.7, 2.2, 2.4, 2.2, 2.6], [0.68, 0.72, 0.38, 0.28]),
    byRoleGroup: {
      'lead-staff': { ...group(20, [2.5, 2.2, 2.7, 2.2, 2.3, 2.3, 2.5], []), agreement: {} },
      'chief-senior': { ...group(17, [2.4, 2.3, 2.6, 2.1, 2.4, 2.1, 2.5], []), agreement: {} },
      appointee: { ...group(17, [2.6, 2.4, 2.8, 2.4, 2.5, 2.2, 2.7], []), agreement: {} },
      manager: { ...group(3, [2.8, 2.5, 3.0, 2.6, 2.7, 2.4, 2.9], []), agreement: {} },
    },
    byUnit: {},
  };
}

/** An R8 survey closed in 令和8年度 上期: 管理職 answered by 2 only, so hidden; 総務課 shown, 農業委員会 hidden. */
export function r8Survey(): SurveySummary {
  return {
    surveyId: 'r8-h1',
    title: { ja: 'R8上期調査', en: 'FY2026 H1 survey' },
    closedOn: '2026-09-18',
    categories: CATEGORIES,
    agreements: AGREEMENTS,
    town: group(71, [2.7, 2.4, 2.9, 2.6, 2.6, 2.5, 2.8], [0.61, 0.79, 0.47, 0.41]),
    byRoleGroup: {
      'lead-staff': group(25, [2.7, 2.3, 2.9, 2.5, 2.6, 2.6, 2.8], [0.64, 0.8, 0.44, 0.4]),
      'chief-senior': group(21, [2.6, 2.4, 2.8, 2.5, 2.5, 2.4, 2.7], [0.67, 0.76, 0.43, 0.38]),
      appointee: group(23, [2.8, 2.6, 3.0, 2.8, 2.7, 2.5, 2.9], [0.52, 0.83, 0.57, 0.43]),
      manager: group(null, [null, null, null, null, null, null, null], [null, null, null, null]),
    },
    byUnit: {
      総務課: group(12, [2.9, 2.2, 3.0, 2.7, 2.8, 2.9, 3.0], [0.75, 0.83, 0.5, 0.58]),
      農業委員会: group(null, [null, null, null, null, null, null, null], [null, null, null, null]),
    },
  };
}

export function sampleSurveyComparison(): SurveyComparison {
  return { current: r8Survey(), baseline: r7Baseline() };
}
