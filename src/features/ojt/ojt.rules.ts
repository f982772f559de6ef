import { DateTime } from 'luxon';
import type { Person, RoleKey } from '../../directory/org.schema';
import type { Assignment, Plan, PlanStep, Progress } from './ojt.schema';

const MENTOR_ROLES: readonly RoleKey[] = ['senior', 'lead'];
const JUNIOR_ROLES: readonly RoleKey[] = ['staff', 'appointee'];

export type AssignProblem = 'notManager' | 'notInUnit' | 'mentorRole' | 'juniorRole' | 'same';

/**
 * Who may make whom a junior: the 課長 of the 課, a 主査 or 主任 of that 課 as mentor, and as junior a
 * 主事 or 会計年度任用職員 of it (or a 主任, when the mentor is a 主査): the policy's マンツーマン指導.
 */
export function assignProblem(manager: Person, mentor: Person, junior: Person): AssignProblem | undefined {
  if (manager.role !== 'manager' || !manager.unit) return 'notManager';
  if (mentor.id === junior.id) return 'same';
  if (!mentor.active || !junior.active || mentor.unit !== manager.unit || junior.unit !== manager.unit) return 'notInUnit';
  if (!MENTOR_ROLES.includes(mentor.role)) return 'mentorRole';
  if (!(JUNIOR_ROLES.includes(junior.role) || (mentor.role === 'senior' && junior.role === 'lead'))) return 'juniorRole';
  return undefined;
}

/** In force on `day`: begun by then and not yet ended. */
export function inForceOn(assignment: Pick<Assignment, 'since' | 'endedOn'>, day: string): boolean {
  return assignment.since <= day && (!assignment.endedOn || assignment.endedOn > day);
}

/** Steps keep their 完了 across a re-saved plan when their text is unchanged. */
export function keepDone(previous: readonly PlanStep[], next: readonly PlanStep[]): PlanStep[] {
  return next.map((step) => {
    const before = previous.find((p) => p.text === step.text && p.doneOn);
    return before?.doneOn ? { ...step, doneOn: before.doneOn } : { ...step };
  });
}

/** The plan's steps after a progress record: those ticked are done (since the day first ticked), the rest not. */
export function markSteps(steps: readonly PlanStep[], doneSteps: readonly number[], day: string): PlanStep[] {
  return steps.map((step, i) => {
    const { doneOn, ...rest } = step;
    return doneSteps.includes(i + 1) ? { ...rest, doneOn: doneOn ?? day } : rest;
  });
}

/** The first step not yet done, by due date: what the 1on1 and the progress card point at. */
export function nextStep(steps: readonly PlanStep[]): PlanStep | undefined {
  return [...steps].filter((s) => !s.doneOn).sort((a, b) => a.due.localeCompare(b.due))[0];
}

/** The newest progress record made on or before `asOf`. */
export function lastProgress(progress: readonly Progress[], asOf: string): Progress | undefined {
  return [...progress].filter((p) => p.recordedOn <= asOf).sort((a, b) => b.recordedOn.localeCompare(a.recordedOn) || b.month.localeCompare(a.month))[0];
}

/**
 * On track on `asOf`: the plan existed then, every step due on or before `asOf` was done by then,
 * and the pair looked at it within the month up to `asOf`: a progress record, or the plan itself
 * saved (a plan made last week has had no monthly card yet and is not behind for it).
 */
export function isOnTrack(plan: Pick<Plan, 'createdOn' | 'savedOn' | 'steps'>, progress: readonly Progress[], asOf: string): boolean {
  if (plan.createdOn > asOf) return false;
  const overdue = plan.steps.some((s) => s.due <= asOf && !(s.doneOn && s.doneOn <= asOf));
  if (overdue) return false;
  const monthBefore = DateTime.fromISO(asOf).minus({ months: 1 }).toISODate() as string;
  const lastLook = [plan.savedOn <= asOf ? plan.savedOn : '', lastProgress(progress, asOf)?.recordedOn ?? ''].sort().at(-1) ?? '';
  return lastLook !== '' && lastLook >= monthBefore;
}

export interface OjtRates {
  /** Juniors with a mentor assigned. */
  assigned: number;
  planned: number;
  onTrack: number;
  /** Juniors with a plan / juniors assigned; null with nobody assigned. */
  planRate: number | null;
  /** Plans on track / plans; null with no plan. */
  onTrackRate: number | null;
}

export function ojtRates(tallies: readonly { planned: boolean; onTrack: boolean }[]): OjtRates {
  const assigned = tallies.length;
  const planned = tallies.filter((t) => t.planned).length;
  const onTrack = tallies.filter((t) => t.planned && t.onTrack).length;
  return { assigned, planned, onTrack, planRate: assigned > 0 ? planned / assigned : null, onTrackRate: planned > 0 ? onTrack / planned : null };
}
