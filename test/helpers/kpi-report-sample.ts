import { engagementOf } from '../../src/features/kpi/kpi.engagement';
import type { PeriodReport } from '../../src/features/kpi/kpi.types';
import { sampleSurveyComparison } from './kpi-survey-sample';

/**
 * A hand-made 令和8年度 上期 for the whole town, shaped like what the rollups give: the
 * 農業委員会 (3 people, 2 pairs) has its 1on1 rate suppressed, one month's overtime average and
 * one near-miss category are suppressed, to show how hidden figures read. 有給休暇, 研修 and OJT
 * as their sources would give them (農業委員会 hidden again), and the R8 survey beside the R7 baseline.
 */
export function sampleKpiReport(overrides: Partial<PeriodReport> = {}): PeriodReport {
  return {
    tenantId: 'atsuma',
    period: { id: 'FY2026H1', kind: 'half', from: '2026-04-01', to: '2026-09-30' },
    previousPeriod: { id: 'FY2025H1', kind: 'half', from: '2025-04-01', to: '2025-09-30' },
    scope: { kind: 'town' },
    checkins: { promptsSent: 27840, answeredMorning: 12880, answeredEvening: 12104, rate: 0.8974, averageCondition: 3.84, averageSatisfaction: 3.42 },
    help: { requested: 37, taken: 35 },
    overtime: { totalMinutes: 612300, monthlyAveragePerPerson: 760, previousMonthlyAveragePerPerson: 870, previousMissing: false, changeRatio: -0.1264 },
    oneonones: {
      held: 612,
      pairs: 109,
      pairsHeldWithinCadence: 98,
      completionRate: 0.8991,
      byUnit: [
        { unit: '住民課', pairs: 35, pairsHeldWithinCadence: 33, completionRate: 0.9429 },
        { unit: '総務課', pairs: 19, pairsHeldWithinCadence: 19, completionRate: 1 },
        { unit: '産業経済課', pairs: 17, pairsHeldWithinCadence: 14, completionRate: 0.8235 },
        { unit: '建設課', pairs: 16, pairsHeldWithinCadence: 13, completionRate: 0.8125 },
        { unit: 'まちづくり推進課', pairs: 12, pairsHeldWithinCadence: 11, completionRate: 0.9167 },
        { unit: '生涯学習課', pairs: 8, pairsHeldWithinCadence: 6, completionRate: 0.75 },
        { unit: '農業委員会', pairs: 2, pairsHeldWithinCadence: 2, completionRate: null },
      ],
    },
    nearmisses: {
      total: 46,
      byCategory: { counter: 14, personal: 9, money: 6, documents: 7, system: 5, safety: 3, external: null, other: 2 },
      bySeverity: { '1': 21, '2': 17, '3': 7, '4': 1 },
    },
    kudos: {
      total: 388,
      byValue: { purpose: 41, share: 96, learn: 52, sincere: 48, data: 27, residents: 44, autonomy: 12, team: 58, reform: 10 },
    },
    months: [
      { month: '2026-04', checkinRate: 0.861, overtimeAveragePerPerson: 1020, overtimeTotalMinutes: 118320 },
      { month: '2026-05', checkinRate: 0.884, overtimeAveragePerPerson: 840, overtimeTotalMinutes: 97440 },
      { month: '2026-06', checkinRate: 0.902, overtimeAveragePerPerson: 690, overtimeTotalMinutes: 80040 },
      { month: '2026-07', checkinRate: 0.915, overtimeAveragePerPerson: 720, overtimeTotalMinutes: 83520 },
      { month: '2026-08', checkinRate: 0.897, overtimeAveragePerPerson: null, overtimeTotalMinutes: 75000 },
      { month: '2026-09', checkinRate: 0.924, overtimeAveragePerPerson: 630, overtimeTotalMinutes: 73080 },
    ],
    paidLeave: {
      people: 116,
      grantedDays: 2320,
      takenDays: 1461.5,
      rate: 0.63,
      previousRate: 0.584,
      target: 0.7,
      byUnit: [
        { unit: 'まちづくり推進課', rate: 0.71 },
        { unit: '建設課', rate: 0.55 },
        { unit: '産業経済課', rate: 0.6 },
        { unit: '住民課', rate: 0.66 },
        { unit: '生涯学習課', rate: 0.74 },
        { unit: '総務課', rate: 0.58 },
        { unit: '農業委員会', rate: null },
      ],
    },
    training: {
      people: 116,
      completed: 111,
      rate: 0.9569,
      previousRate: undefined,
      target: 0.95,
      byUnit: [
        { unit: 'まちづくり推進課', rate: 1 },
        { unit: '建設課', rate: 0.9412 },
        { unit: '産業経済課', rate: 0.9444 },
        { unit: '住民課', rate: 0.9444 },
        { unit: '生涯学習課', rate: 1 },
        { unit: '総務課', rate: 0.95 },
        { unit: '農業委員会', rate: null },
      ],
    },
    ojt: { juniors: 24, planned: 18, onTrack: 12, plannedRate: 0.75, onTrackRate: 0.6667, previousPlannedRate: 0.5, previousOnTrackRate: 0.7 },
    engagement: engagementOf(sampleSurveyComparison()),
    ...overrides,
  };
}
