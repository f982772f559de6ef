import { fiscalPeriodOf, isOfficeDay, nextOfficeDay, previousOfficeDay } from '../calendar/office-calendar';
import { eveningSubmitSchema, morningSubmitSchema, type CheckinRecord } from '../features/checkin/checkin.schema';
import { answersOf } from '../features/checkin/checkin.service';
import { isOwnMember } from '../features/kudos/kudos.service';
import type { ValueKey } from '../features/kudos/kudos.schema';
import type { Person, RoleKey } from '../directory/org.schema';
import { between, chance, clamp, gaussian, pickOne, pickWeighted, randomFor, type Random } from './demo-random';
import { CARRY_OVERS, KUDOS_MESSAGES, LEARNINGS, PRIORITIES, PURPOSES, TROUBLES } from './demo-history.texts';

/**
 * The demo town's everyday practice, one decision at a time: each is a pure function of the person
 * (or 課) and the day, so the same directory and days give the same history on every machine and a
 * later start can add days without changing the ones already written.
 */

/** Someone who checks in: active, in a 課, not 町長・副町長. */
export type Member = Person & { unit: string };

export function membersOf(directory: readonly Person[]): Member[] {
  return directory.filter((p): p is Member => p.active && p.role !== 'executive' && p.unit !== undefined);
}

/** How one person tends to work: fixed for the whole history. */
export interface Traits {
  /** Chance of answering the morning / evening card on a day at work. */
  morning: number;
  evening: number;
  /** Mean overtime minutes per evening. */
  overtime: number;
  condition: number;
  satisfaction: number;
  /** Chance of thanking someone on a day. */
  kudos: number;
  /** Base chance of a day's leave. */
  leave: number;
}

/** Mean overtime minutes an evening, by 役職 and by 課 (総務課 carries the budget and the 議会). */
const ROLE_OVERTIME: Record<RoleKey, number> = { manager: 55, chief: 52, senior: 46, lead: 40, staff: 34, appointee: 8, executive: 0 };
const UNIT_OVERTIME: Readonly<Record<string, number>> = {
  総務課: 1.3,
  建設課: 1.15,
  住民課: 1.05,
  まちづくり推進課: 1.1,
  産業経済課: 1,
  生涯学習課: 0.85,
  農業委員会: 0.7,
};
/** January .. December: the fiscal year's start and end, June's 住民税 and December's budget are the busy months. */
const MONTH_OVERTIME = [1, 1.15, 1.45, 1.35, 0.95, 1.2, 0.9, 0.7, 1.1, 1, 0.95, 1.25];
/** Monday .. Friday: Wednesday is the town hall's 定時退庁日 (leave on time). */
const WEEKDAY_OVERTIME = [1.1, 1, 0.35, 1, 0.9];

export function traitsOf(person: Person): Traits {
  const r = randomFor('traits', person.id);
  const morning = clamp(0.97 - 0.3 * r() ** 2, 0.6, 0.98);
  return {
    morning,
    evening: morning - between(r, 0.02, 0.1),
    overtime: ROLE_OVERTIME[person.role] * (UNIT_OVERTIME[person.unit ?? ''] ?? 1) * between(r, 0.5, 1.5),
    condition: between(r, 3, 4.3),
    satisfaction: between(r, 2.8, 4.2),
    kudos: between(r, 0.01, 0.07),
    leave: between(r, 0.025, 0.05),
  };
}

const weekdayOf = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();

/** The instant `minutes` after midnight of a Tokyo day (Tokyo has no daylight saving). */
export function tokyoAt(day: string, minutes: number): Date {
  return new Date(Date.parse(`${day}T00:00:00+09:00`) + Math.round(minutes) * 60_000);
}

export function overtimeOf(person: Person, traits: Traits, day: string): number {
  const r = randomFor('overtime', person.id, day);
  const mean = traits.overtime * (MONTH_OVERTIME[Number(day.slice(5, 7)) - 1] ?? 1) * (WEEKDAY_OVERTIME[weekdayOf(day) - 1] ?? 1);
  const p = clamp(0.15 + mean / 90, 0.05, 0.85);
  if (!chance(r, p)) return 0;
  return clamp(Math.round(((mean / p) * between(r, 0.5, 1.5)) / 15) * 15, 15, 300);
}

/** Leave: more around weekends, in summer (夏季休暇), Golden Week and the days before the year-end break. */
export function isOnLeave(person: Person, traits: Traits, day: string): boolean {
  const md = day.slice(5);
  const weekday = weekdayOf(day);
  let p = traits.leave + (weekday === 1 || weekday === 5 ? 0.015 : 0);
  if (md >= '07-20' && md <= '08-31') p += 0.04;
  if (md >= '04-30' && md <= '05-02') p += 0.08;
  if (md >= '12-24' && md <= '12-28') p += 0.05;
  return chance(randomFor('leave', person.id, day), p);
}

export interface CheckinPlan {
  record: CheckinRecord;
  /** Who pressed 対応します on a morning's 助けが必要, if anyone did. */
  helpTakenBy?: string;
}

function colleagueOf(r: Random, person: Member, members: readonly Member[]): Member | undefined {
  const group = members.filter((m) => m.id !== person.id && m.unit === person.unit && (person.group === undefined || m.group === person.group));
  const unit = members.filter((m) => m.id !== person.id && m.unit === person.unit);
  const pool = group.length > 0 ? group : unit;
  return pool.length > 0 ? pickOne(r, pool) : undefined;
}

/** The person's morning and evening answers of a day at work; none on a day of leave. */
export function checkinsOf(person: Member, traits: Traits, day: string, tenantId: string, members: readonly Member[]): CheckinPlan[] {
  const r = randomFor('checkin', person.id, day);
  const morning = chance(r, traits.morning);
  const evening = chance(r, morning ? traits.evening : traits.evening / 2);
  const priority = pickOne(r, PRIORITIES[person.unit] ?? PRIORITIES['総務課'] ?? []);
  const yesterday = overtimeOf(person, traits, previousOfficeDay(day));
  const overtime = overtimeOf(person, traits, day);
  const out: CheckinPlan[] = [];
  const base = { tenantId, unit: person.unit, day, personId: person.id };
  if (morning) {
    const condition = Math.round(clamp(traits.condition + gaussian(r) * 0.7 - (yesterday >= 120 ? 0.8 : 0), 1, 5));
    const needHelp = chance(r, 0.02 + (condition <= 2 ? 0.08 : 0));
    const submit = morningSubmitSchema.parse({
      verb: 'checkin.submit',
      slot: 'morning',
      day,
      priority,
      purpose: chance(r, 0.5) ? pickOne(r, PURPOSES) : '',
      trouble: needHelp || chance(r, 0.06) ? pickOne(r, TROUBLES) : '',
      needHelp: String(needHelp),
      condition: chance(r, 0.9) ? String(condition) : '',
    });
    const at = tokyoAt(day, 8 * 60 + 20 + between(r, 0, 70)).toISOString();
    const helper = needHelp && chance(r, 0.75) ? colleagueOf(r, person, members) : undefined;
    out.push({ record: { ...base, slot: 'morning', answers: answersOf(submit), createdAt: at, updatedAt: at }, helpTakenBy: helper?.id });
  }
  if (evening) {
    const satisfaction = Math.round(clamp(traits.satisfaction + gaussian(r) * 0.7 - (overtime >= 120 ? 0.7 : 0), 1, 5));
    const submit = eveningSubmitSchema.parse({
      verb: 'checkin.submit',
      slot: 'evening',
      day,
      done: chance(r, 0.7) ? `${priority}を進めた` : `${priority}（完了）`,
      carryOver: chance(r, 0.3) ? pickOne(r, CARRY_OVERS) : '',
      // An empty 時間外 is a day without overtime, as on the real card.
      overtime: overtime > 0 ? String(overtime) : chance(r, 0.5) ? '0' : '',
      satisfaction: chance(r, 0.85) ? String(satisfaction) : '',
      learning: chance(r, 0.2) ? pickOne(r, LEARNINGS) : '',
    });
    const at = tokyoAt(day, 17 * 60 + 15 + overtime + between(r, 0, 25)).toISOString();
    out.push({ record: { ...base, slot: 'evening', answers: answersOf(submit), createdAt: at, updatedAt: at } });
  }
  return out;
}

export interface KudosPlan {
  sender: Member;
  recipients: Member[];
  day: string;
  submitId: string;
  value: ValueKey;
  message: string;
  public: boolean;
  at: string;
}

/** Team support and sharing troubles are thanked most; reform and data less often. */
const VALUE_WEIGHTS: Readonly<Record<ValueKey, number>> = {
  team: 20,
  share: 18,
  residents: 14,
  sincere: 12,
  learn: 10,
  purpose: 8,
  data: 6,
  autonomy: 6,
  reform: 6,
};

/** At most one ありがとう a day from each person: to their own people (a プラス評価), their group, their 課 or anyone. */
export function kudosOf(sender: Member, traits: Traits, day: string, members: readonly Member[]): KudosPlan | undefined {
  const r = randomFor('kudos', sender.id, day);
  if (!chance(r, traits.kudos)) return undefined;
  const others = members.filter((m) => m.id !== sender.id);
  const own = others.filter((m) => isOwnMember(sender, m));
  const group = others.filter((m) => m.unit === sender.unit && m.group !== undefined && m.group === sender.group);
  const unit = others.filter((m) => m.unit === sender.unit);
  const roll = r();
  const pool = own.length > 0 && roll < 0.4 ? own : group.length > 0 && roll < 0.7 ? group : unit.length > 0 && roll < 0.85 ? unit : others;
  const first = pickOne(r, pool);
  const second = chance(r, 0.1) ? pickOne(r, pool) : first;
  const value = pickWeighted(r, VALUE_WEIGHTS);
  return {
    sender,
    recipients: second.id === first.id ? [first] : [first, second],
    day,
    submitId: `demo-${day}-${sender.id}`,
    value,
    message: pickOne(r, KUDOS_MESSAGES[value]),
    public: chance(r, 0.35),
    at: tokyoAt(day, 10 * 60 + between(r, 0, 420)).toISOString(),
  };
}

/** What each feature's demo writer is given: who works here and the office days loaded now (oldest first, all before today). */
export interface DaysLoad {
  tenantId: string;
  members: readonly Member[];
  days: readonly string[];
}

/** The fiscal halves (their first days) the loaded days fall in, oldest first. */
export function halvesOf(days: readonly string[]): string[] {
  return [...new Set(days.map((d) => fiscalPeriodOf(d).start))].sort();
}

/** The `n`th office day (0 = the first) on or after `start`. */
export function nthOfficeDay(start: string, n: number): string {
  let day = isOfficeDay(start) ? start : nextOfficeDay(start);
  for (let i = 0; i < n; i++) day = nextOfficeDay(day);
  return day;
}

/** Office days from..to inclusive. */
export function officeDaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    if (isOfficeDay(day)) out.push(day);
  }
  return out;
}
