import { rowKeyOf, TOWN, type GroupKey } from './kpi.figures';
import type { OjtTally, PaidLeaveTally, TrainingTally } from './kpi.policy';
import type { PeopleIndex } from './kpi.rollup';
import { suppressMeasure, type Sensitive } from './kpi.suppression';
import { MIN_GROUP_SIZE, type Measured, type Suppressible } from './kpi.types';

/**
 * The policy's per-person KPIs (有給休暇, 研修, OJT) as one group's snapshot of a period: unlike the
 * daily practice they are not summed over days, each period is counted afresh from its features'
 * tallies. A suppressed figure has its flag and nothing else.
 */
export interface LeaveFigures {
  suppressed: boolean;
  /** People granted paid leave in the fiscal year. */
  people: number;
  grantedDays: number;
  takenDays: number;
}

export interface TrainingFigures {
  suppressed: boolean;
  /** People with at least one required training in the period. */
  people: number;
  /** Of them, people who attended every one. */
  completed: number;
}

export interface OjtFigures {
  suppressed: boolean;
  juniors: number;
  planned: number;
  /** Plans on track (a junior without a plan is never on track). */
  onTrack: number;
}

export interface PolicyFigures {
  leave: LeaveFigures;
  training: TrainingFigures;
  ojt: OjtFigures;
}

export interface PolicyTallies {
  paidLeave: readonly PaidLeaveTally[];
  training: readonly TrainingTally[];
  ojt: readonly OjtTally[];
}

export interface PolicyRow {
  key: GroupKey;
  figures: PolicyFigures;
}

export function emptyPolicyFigures(): PolicyFigures {
  return {
    leave: { suppressed: false, people: 0, grantedDays: 0, takenDays: 0 },
    training: { suppressed: false, people: 0, completed: 0 },
    ojt: { suppressed: false, juniors: 0, planned: 0, onTrack: 0 },
  };
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/** part / whole over at least 3 people; null (suppressed, or nothing to measure) otherwise. */
function rateOf(part: number, whole: number, people: number, suppressed: boolean): Suppressible {
  return suppressed || people < MIN_GROUP_SIZE || whole === 0 ? null : round(part / whole);
}

/** 有給休暇取得率: days taken / days granted. */
export const leaveRateOf = (l: LeaveFigures): Suppressible => rateOf(l.takenDays, l.grantedDays, l.people, l.suppressed);
/** 研修受講率: people who attended every required training / people with one. */
export const trainingRateOf = (t: TrainingFigures): Suppressible => rateOf(t.completed, t.people, t.people, t.suppressed);
/** OJT計画作成率: juniors with a plan / juniors. */
export const ojtPlannedRateOf = (o: OjtFigures): Suppressible => rateOf(o.planned, o.juniors, o.juniors, o.suppressed);
/** OJT実施率: plans on track / plans; a rate over fewer than 3 plans would describe those juniors. */
export const ojtOnTrackRateOf = (o: OjtFigures): Suppressible => rateOf(o.onTrack, o.planned, o.planned, o.suppressed);

/** A rate of a snapshot: undefined when there is no snapshot or nobody behind it, null when hidden. */
function measured<T extends { suppressed: boolean }>(figure: T | undefined, rate: (f: T) => Suppressible, size: (f: T) => number): Measured {
  if (!figure) return undefined;
  if (figure.suppressed) return null;
  return rate(figure) ?? (size(figure) > 0 ? null : undefined);
}

export const leaveMeasured = (p: PolicyFigures | undefined): Measured => measured(p?.leave, leaveRateOf, (l) => l.grantedDays);
export const trainingMeasured = (p: PolicyFigures | undefined): Measured => measured(p?.training, trainingRateOf, (t) => t.people);
export const ojtPlannedMeasured = (p: PolicyFigures | undefined): Measured => measured(p?.ojt, ojtPlannedRateOf, (o) => o.juniors);
export const ojtOnTrackMeasured = (p: PolicyFigures | undefined): Measured => measured(p?.ojt, ojtOnTrackRateOf, (o) => o.planned);

const SENSITIVE: readonly Sensitive<PolicyFigures>[] = [
  {
    people: (f) => f.leave.people,
    present: (f) => f.leave.people > 0,
    isSuppressed: (f) => f.leave.suppressed,
    suppress: (f) => Object.assign(f.leave, { suppressed: true, people: 0, grantedDays: 0, takenDays: 0 }),
  },
  {
    people: (f) => f.training.people,
    present: (f) => f.training.people > 0,
    isSuppressed: (f) => f.training.suppressed,
    suppress: (f) => Object.assign(f.training, { suppressed: true, people: 0, completed: 0 }),
  },
  {
    people: (f) => f.ojt.juniors,
    present: (f) => f.ojt.juniors > 0,
    isSuppressed: (f) => f.ojt.suppressed,
    suppress: (f) => Object.assign(f.ojt, { suppressed: true, juniors: 0, planned: 0, onTrack: 0 }),
  },
];

/**
 * The town, each 課 and each 役職 of a period's tallies, by each person's current 課 and 役職 in the
 * directory (someone no longer in it counts under 課 '' and 役職 '', so the town minus the groups
 * still gives nobody back), with every group under 3 people and its complementary siblings suppressed.
 */
export function policyRows(people: PeopleIndex, tallies: PolicyTallies): PolicyRow[] {
  const rows = new Map<string, PolicyRow>();
  const groupsOf = (personId: string): PolicyFigures[] => {
    const person = people.byId.get(personId);
    const keys: GroupKey[] = [TOWN, { level: 'unit', unit: person?.unit ?? '' }, { level: 'role', role: person?.role ?? '' }];
    return keys.map((key) => {
      const rowKey = rowKeyOf(key);
      const row = rows.get(rowKey) ?? { key, figures: emptyPolicyFigures() };
      rows.set(rowKey, row);
      return row.figures;
    });
  };
  rows.set(rowKeyOf(TOWN), { key: TOWN, figures: emptyPolicyFigures() });
  for (const tally of tallies.paidLeave) {
    if (tally.grantedDays <= 0) continue;
    for (const f of groupsOf(tally.personId)) {
      f.leave.people += 1;
      f.leave.grantedDays += tally.grantedDays;
      f.leave.takenDays += tally.takenDays;
    }
  }
  for (const tally of tallies.training) {
    if (tally.required <= 0) continue;
    for (const f of groupsOf(tally.personId)) {
      f.training.people += 1;
      if (tally.completed >= tally.required) f.training.completed += 1;
    }
  }
  for (const tally of tallies.ojt) {
    for (const f of groupsOf(tally.personId)) {
      f.ojt.juniors += 1;
      if (tally.planned) f.ojt.planned += 1;
      if (tally.planned && tally.onTrack) f.ojt.onTrack += 1;
    }
  }
  const out = [...rows.values()];
  for (const measure of SENSITIVE) suppressMeasure(out, measure);
  return out;
}
