import { addDays, isOfficeDay, type IsoDay } from '../../calendar/office-calendar';
import { resolveEscalation } from '../../directory/escalation';
import type { Person } from '../../directory/org.schema';
import type { Translate } from '../../i18n/i18n';
import { dayField, fieldErrors, outsideFields, typedValues, type FieldMessages, type FormState } from '../../shared/card-form';
import { checkinSubmitSchema, type CheckinRecord, type EveningAnswers, type MorningAnswers, type Slot } from './checkin.schema';

export const FIELDS: Record<Slot, readonly string[]> = {
  morning: ['priority', 'purpose', 'trouble', 'needHelp', 'condition'],
  evening: ['done', 'carryOver', 'overtime', 'satisfaction', 'learning'],
};

export type SubmitReading =
  { ok: true; answers: MorningAnswers | EveningAnswers } | ({ ok: false; slot: Slot; day?: string } & FormState) | { ok: false; slot: undefined };

/** The check-in's own kinds; `required`, `max:<n>` read as every card form words them. */
const FIELD_MESSAGES: FieldMessages = { scale: 'checkin.error.scale', overtime: 'checkin.error.overtime' };

/** Reads a card submit; on any problem returns the typed values and one message per field. */
export function readSubmit(raw: unknown, t: Translate): SubmitReading {
  const parsed = checkinSubmitSchema.safeParse(raw);
  if (parsed.success) return { ok: true, answers: parsed.data };
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const slot = record.slot === 'morning' || record.slot === 'evening' ? record.slot : undefined;
  const day = dayField.safeParse(record.day).success ? (record.day as string) : undefined;
  if (!slot || !day) return { ok: false, slot: undefined };
  if (outsideFields(parsed.error.issues, FIELDS[slot])) return { ok: false, slot: undefined };
  const values = typedValues(record, FIELDS[slot]);
  return { ok: false, slot, day, values, errors: fieldErrors(parsed.error.issues, values, t, FIELD_MESSAGES) };
}

/** Stored answers: the card's fields only, never the verb or routing data. */
export function answersOf(answers: MorningAnswers | EveningAnswers): CheckinRecord['answers'] {
  const { verb: _verb, slot: _slot, day: _day, ...rest } = answers;
  return rest;
}

/** The escalation target for the person's role and their own manager, each once. */
export function helpRecipients(person: Person, directory: readonly Person[]): Person[] {
  const targets = resolveEscalation(person, directory);
  const manager = directory.find((p) => p.id === person.managerId && p.active);
  const all = manager && manager.role !== 'executive' ? [...targets, manager] : targets;
  return all.filter((p, i) => all.findIndex((q) => q.id === p.id) === i);
}

export interface UnitSummary {
  unit: string;
  day: string;
  slot: Slot;
  members: number;
  answered: Person[];
  notAnswered: Person[];
  onLeave: Person[];
  troubles: { person: Person; text: string; needHelp: boolean; takenBy?: Person }[];
  /** Only when at least 3 answered: an average over fewer people would point at someone. */
  averageScore?: number;
}

/** Whom the check-in asks, and whose answers a unit's summary counts: active staff of a unit, executives aside. */
export function checksIn(person: Person): person is Person & { unit: string } {
  return person.active && Boolean(person.unit) && person.role !== 'executive';
}

/** The unit's stand-up at window close: who answered, who is on leave, what troubles were shared. */
export function summariseUnit(
  unit: string,
  day: string,
  slot: Slot,
  directory: readonly Person[],
  records: readonly CheckinRecord[],
  leaves: ReadonlySet<string>,
): UnitSummary {
  const members = directory.filter((p) => checksIn(p) && p.unit === unit);
  const byId = new Map(directory.map((p) => [p.id, p]));
  const bySlot = new Map(records.filter((r) => r.slot === slot).map((r) => [r.personId, r]));
  const onLeave = members.filter((p) => leaves.has(p.id) && !bySlot.has(p.id));
  const answered = members.filter((p) => bySlot.has(p.id));
  const notAnswered = members.filter((p) => !bySlot.has(p.id) && !leaves.has(p.id));
  const scoreField = slot === 'morning' ? 'condition' : 'satisfaction';
  const scores = answered.map((p) => bySlot.get(p.id)?.answers[scoreField]).filter((v): v is number => typeof v === 'number');
  const troubles = answered.flatMap((person) => {
    const record = bySlot.get(person.id);
    const text = record?.answers.trouble;
    const needHelp = record?.answers.needHelp === true;
    if (!record || (typeof text !== 'string' && !needHelp)) return [];
    return [{ person, text: typeof text === 'string' ? text : '', needHelp, takenBy: record.helpTakenBy ? byId.get(record.helpTakenBy) : undefined }];
  });
  return {
    unit,
    day,
    slot,
    members: members.length,
    answered,
    notAnswered,
    onLeave,
    troubles,
    averageScore: scores.length >= 3 ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : undefined,
  };
}

/** How far back a card may still be answered: a late evening answer, or a day away from the desk. */
export const CHECKIN_DAYS_BACK = 7;

/**
 * Why a check-in for `day` cannot be recorded on `today`, if it cannot: only office days are prompted
 * and counted in the KPIs, so a card's day must be one of them, already begun, and recent.
 */
export function checkinDayProblem(day: IsoDay, today: IsoDay): 'notOffice' | 'future' | 'tooOld' | undefined {
  if (day > today) return 'future';
  if (!isOfficeDay(day)) return 'notOffice';
  if (day < addDays(today, -CHECKIN_DAYS_BACK)) return 'tooOld';
  return undefined;
}
