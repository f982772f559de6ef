import { createHash } from 'node:crypto';
import { nextOfficeDay, previousOfficeDay } from '../../calendar/office-calendar';
import type { Person } from '../../directory/org.schema';
import { effectiveAnswer, type Attendance, type Training, type TrainingPlan } from './training.schema';

/** Per person: how many required trainings of the period they had and attended (the KPI contract's TrainingTally). */
export interface Tally {
  personId: string;
  required: number;
  completed: number;
}

/**
 * The id a training gets when HR's row names none: its start day and a digest of its name, so the
 * same row imported again updates the same training instead of registering a second one.
 */
export function trainingIdFor(name: string, startDay: string): string {
  const digest = createHash('sha256').update(name.normalize('NFKC').trim()).digest('hex').slice(0, 6);
  return `TR-${startDay.replace(/-/g, '')}-${digest}`;
}

/** A training as HR's import row or register card names it, checked: the id is optional, and so is the end day. */
export type TrainingEntry = Pick<TrainingPlan, 'name' | 'kind' | 'units' | 'roles' | 'required'> & { id?: string; start: string; end?: string };

/** The plan an entry describes: without an id, the one `trainingIdFor` gives; without an end day, a one-day training. */
export function trainingPlanOf(entry: TrainingEntry): TrainingPlan {
  return {
    id: entry.id || trainingIdFor(entry.name, entry.start),
    name: entry.name,
    startDay: entry.start,
    endDay: entry.end || entry.start,
    kind: entry.kind,
    units: entry.units,
    roles: entry.roles,
    required: entry.required,
  };
}

/** Who a training is for: active staff (the 町長・副町長 are not staff) of its 課 and 役職, everyone where it names none. */
export function isTargeted(training: Pick<Training, 'units' | 'roles'>, person: Person): boolean {
  if (!person.active || person.role === 'executive') return false;
  if (training.units.length > 0 && !training.units.includes(person.unit ?? '')) return false;
  return training.roles.length === 0 || training.roles.includes(person.role);
}

export function invitees(training: Pick<Training, 'units' | 'roles'>, people: readonly Person[]): Person[] {
  return people.filter((p) => isTargeted(training, p));
}

/** The office day the reminder goes out: `officeDaysBefore` office days before the first day. */
export function reminderDay(startDay: string, officeDaysBefore: number): string {
  let day = startDay;
  for (let i = 0; i < officeDaysBefore; i++) day = previousOfficeDay(day);
  return day;
}

/** The first office day after the training ended: when each invited person is asked whether they attended. */
export function attendanceDay(endDay: string): string {
  return nextOfficeDay(endDay);
}

/**
 * The required trainings a period counts: started within it and over before `today` (one still to
 * come, or under way, cannot have been missed yet).
 */
export function countedTrainings(trainings: readonly Training[], from: string, to: string, today: string): Training[] {
  return trainings.filter((t) => t.required && t.startDay >= from && t.startDay <= to && t.endDay < today);
}

type AttendanceIndex = ReadonlyMap<string, Attendance>;

export function indexAttendance(rows: readonly Attendance[]): AttendanceIndex {
  return new Map(rows.map((a) => [`${a.trainingId}|${a.personId}`, a]));
}

export function attended(index: AttendanceIndex, trainingId: string, personId: string): boolean {
  return effectiveAnswer(index.get(`${trainingId}|${personId}`)) === 'attended';
}

/** One tally for every person the counted trainings were for; nobody without a required training appears. */
export function tallies(counted: readonly Training[], people: readonly Person[], index: AttendanceIndex): Tally[] {
  const out: Tally[] = [];
  for (const person of people) {
    const theirs = counted.filter((t) => isTargeted(t, person));
    if (theirs.length === 0) continue;
    out.push({ personId: person.id, required: theirs.length, completed: theirs.filter((t) => attended(index, t.id, person.id)).length });
  }
  return out;
}

/**
 * 研修受講率: the share of staff with a required training in the period who attended all of theirs;
 * null when nobody had one (no rate, rather than 0% or 100%).
 */
export function completionRate(rows: readonly Pick<Tally, 'required' | 'completed'>[]): number | null {
  const counted = rows.filter((r) => r.required > 0);
  if (counted.length === 0) return null;
  return counted.filter((r) => r.completed >= r.required).length / counted.length;
}

export interface Pending {
  person: Person;
  trainings: Training[];
}

/** Everyone with a counted training they have not attended (no answer, or 受講できなかった), by 課 then id. */
export function pendingOf(counted: readonly Training[], people: readonly Person[], index: AttendanceIndex): Pending[] {
  return people
    .map((person) => ({ person, trainings: counted.filter((t) => isTargeted(t, person) && !attended(index, t.id, person.id)) }))
    .filter((p) => p.trainings.length > 0)
    .sort((a, b) => (a.person.unit ?? '').localeCompare(b.person.unit ?? '') || a.person.id.localeCompare(b.person.id));
}
