import { leaveRateOf, ojtOnTrackRateOf, ojtPlannedRateOf, trainingRateOf, type PolicyFigures } from './kpi.policy-figures';
import type { Suppressible } from './kpi.types';

/**
 * The kpiperiods columns of the 有給休暇 / 研修 / OJT snapshot (docs/storage.md). Days and rates are
 * always Edm.Double (half days exist), people Edm.Int32; a suppressed figure keeps only its flag.
 */
const double = (n: number): { value: string; type: 'Double' } => ({ value: String(n), type: 'Double' });

function rates(out: Record<string, unknown>, values: Record<string, Suppressible>): void {
  for (const [name, value] of Object.entries(values)) if (value !== null) out[name] = double(value);
}

export function policyColumns(p: PolicyFigures): Record<string, unknown> {
  const out: Record<string, unknown> = { leaveSuppressed: p.leave.suppressed, trainingSuppressed: p.training.suppressed, ojtSuppressed: p.ojt.suppressed };
  if (!p.leave.suppressed) {
    Object.assign(out, { leavePeople: p.leave.people, leaveGrantedDays: double(p.leave.grantedDays), leaveTakenDays: double(p.leave.takenDays) });
    rates(out, { leaveRate: leaveRateOf(p.leave) });
  }
  if (!p.training.suppressed) {
    Object.assign(out, { trainingPeople: p.training.people, trainingCompleted: p.training.completed });
    rates(out, { trainingRate: trainingRateOf(p.training) });
  }
  if (!p.ojt.suppressed) {
    Object.assign(out, { ojtJuniors: p.ojt.juniors, ojtPlanned: p.ojt.planned, ojtOnTrack: p.ojt.onTrack });
    rates(out, { ojtPlannedRate: ojtPlannedRateOf(p.ojt), ojtOnTrackRate: ojtOnTrackRateOf(p.ojt) });
  }
  return out;
}

/** The columns policyColumns reads back; derived rates are ignored. */
export const POLICY_COLUMNS = [
  'leaveSuppressed',
  'leavePeople',
  'leaveGrantedDays',
  'leaveTakenDays',
  'trainingSuppressed',
  'trainingPeople',
  'trainingCompleted',
  'ojtSuppressed',
  'ojtJuniors',
  'ojtPlanned',
  'ojtOnTrack',
] as const;

const num = (e: Record<string, unknown>, name: string): number => (typeof e[name] === 'number' ? (e[name] as number) : 0);

/** The snapshot of a stored row; undefined for a row written while the sources were not wired. */
export function readPolicy(e: Record<string, unknown>): PolicyFigures | undefined {
  if (typeof e.leaveSuppressed !== 'boolean') return undefined;
  return {
    leave: { suppressed: e.leaveSuppressed, people: num(e, 'leavePeople'), grantedDays: num(e, 'leaveGrantedDays'), takenDays: num(e, 'leaveTakenDays') },
    training: { suppressed: e.trainingSuppressed === true, people: num(e, 'trainingPeople'), completed: num(e, 'trainingCompleted') },
    ojt: { suppressed: e.ojtSuppressed === true, juniors: num(e, 'ojtJuniors'), planned: num(e, 'ojtPlanned'), onTrack: num(e, 'ojtOnTrack') },
  };
}
