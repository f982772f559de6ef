import type { OjtTally, PaidLeaveTally, PolicyKpiSources, SurveyComparison, SurveyKpiSource, TrainingTally } from '../../src/features/kpi/kpi.policy';
import type { Period } from '../../src/features/kpi/kpi.types';
import { policySourcesOf } from '../../src/features/kpi/kpi.wiring';
import { r7Baseline, r8Survey } from './kpi-survey-sample';

/**
 * What the paid-leave, training, OJT and survey features would report for the KPI org
 * (test/helpers/kpi-rollup-org.ts), as plain objects: the features' own tests cover how they count.
 * Each call is recorded, so a test sees which periods were asked for.
 */
export interface RecordedSources {
  policy: PolicyKpiSources;
  survey: SurveyKpiSource;
  asked: string[];
}

/** Days taken by 2026-09-30 of 20 granted: 建設課 60.5 / 100, 総務課 20 / 40, 住民課 42 / 60. */
const TAKEN_BY_SEPTEMBER: Record<string, number> = { M: 10, C: 14, L: 16, X: 12, Y: 8.5, M2: 5, H: 15, M3: 10, J: 14, K: 18 };

/** A class, as the paid-leave feature's source is: policySourcesOf must keep its `this`. */
class LeaveSource {
  constructor(
    private readonly granted: number,
    private readonly record: (what: string, period: Period) => void,
  ) {}

  async paidLeave(_tenantId: string, period: Period): Promise<PaidLeaveTally[]> {
    this.record('paidLeave', period);
    // A fiscal year's leave taken up to the period's last day: October adds 2 days for everyone.
    const extra = period.to >= '2026-10-31' ? 2 : 0;
    return Object.entries(TAKEN_BY_SEPTEMBER).map(([personId, taken]) => ({ personId, grantedDays: this.granted, takenDays: taken + extra }));
  }
}

export function kpiPolicySources(): RecordedSources {
  const asked: string[] = [];
  const record = (what: string, period: Period): void => void asked.push(`${what} ${period.id}`);
  return {
    asked,
    policy: policySourcesOf({
      paidLeave: new LeaveSource(20, record),
      training: {
        training: async (_tenantId, period): Promise<TrainingTally[]> => {
          record('training', period);
          return Object.keys(TAKEN_BY_SEPTEMBER).map((personId) => ({ personId, required: 2, completed: personId === 'X' ? 1 : 2 }));
        },
      },
      ojt: {
        ojt: async (_tenantId, period): Promise<OjtTally[]> => {
          record('ojt', period);
          return ['L', 'X', 'Y', 'H', 'J', 'K'].map((personId) => ({ personId, planned: personId !== 'H', onTrack: ['L', 'X', 'K'].includes(personId) }));
        },
      },
    }),
    survey: {
      comparison: async (_tenantId, period): Promise<SurveyComparison> => {
        record('survey', period);
        const r8 = r8Survey();
        const closed = period.from <= r8.closedOn && r8.closedOn <= period.to;
        return closed ? { current: r8, baseline: r7Baseline() } : { previous: r8.closedOn < period.from ? r8 : undefined, baseline: r7Baseline() };
      },
    },
  };
}
