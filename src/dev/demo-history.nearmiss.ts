import { CAUSES, type Category, type Cause, type NearMiss, type Status } from '../features/nearmiss/nearmiss.schema';
import { routeReport, toHour } from '../features/nearmiss/nearmiss.service';
import type { Person } from '../directory/org.schema';
import { dayNumber } from '../features/kpi/kpi.period';
import { between, chance, hexOf, pickOne, pickWeighted, randomFor } from './demo-random';
import type { Member } from './demo-history.plan';
import { tokyoAt } from './demo-history.plan';
import { COUNTERMEASURES, NEARMISS_ACCOUNTS } from './demo-history.texts';

/** A report as filed; its number is drawn when it is written, as the report card does. */
export interface NearMissPlan {
  /** The card's id: what makes a second load file nothing. Derived from the 課 and day, never from the reporter. */
  formId: string;
  report: Omit<NearMiss, 'tenantId' | 'id' | 'fiscalYear' | 'seq'>;
}

/** Reports per person and office day: about 0.7 a day town-wide, the healthy reporting the policy asks for. */
const RATE = 0.006;

const DEFAULT_CATEGORIES: Readonly<Partial<Record<Category, number>>> = { documents: 3, system: 3, external: 2, other: 1 };
const CATEGORIES_BY_UNIT: Readonly<Record<string, Partial<Record<Category, number>>>> = {
  住民課: { counter: 5, personal: 4, documents: 3, money: 2, system: 2 },
  総務課: { money: 3, system: 3, documents: 3, personal: 1 },
  産業経済課: { external: 3, money: 3, documents: 2, safety: 1 },
  建設課: { safety: 4, external: 3, documents: 2, money: 1 },
};
const IMPACTS = { '1': 50, '2': 32, '3': 14, '4': 4 } as const;
const CAUSE_WEIGHTS: Readonly<Record<Cause, number>> = { check: 5, procedure: 3, communication: 3, knowledge: 2, time: 2, system: 1, other: 1 };

/** Shaped as a v4 UUID, as a real card's form id is. */
function formIdOf(unit: string, day: string): string {
  const h = hexOf(randomFor('nearmiss-form', unit, day), 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * How far a report has got by `today`: recent ones wait for their 課長, most older ones have a
 * countermeasure, and those of a past month were carried by its digest (共有済). A few stall.
 */
function statusOf(random: () => number, day: string, today: string): Status {
  const age = dayNumber(today) - dayNumber(day);
  const roll = random();
  if (age <= 2) return roll < 0.6 ? 'received' : 'acknowledged';
  if (age <= 12) return roll < 0.1 ? 'received' : roll < 0.55 ? 'acknowledged' : 'decided';
  if (roll < 0.05) return 'received';
  if (roll < 0.15) return 'acknowledged';
  return day.slice(0, 7) < today.slice(0, 7) ? 'shared' : 'decided';
}

/** A 課's report of an office day, if it files one; `today` decides how far it has been handled. */
export function nearmissOf(unit: string, day: string, today: string, members: readonly Member[], directory: readonly Person[]): NearMissPlan | undefined {
  const people = members.filter((m) => m.unit === unit);
  const r = randomFor('nearmiss', unit, day);
  if (people.length === 0 || !chance(r, people.length * RATE)) return undefined;
  const reporter = pickOne(r, people.filter((p) => p.role !== 'manager').length > 0 ? people.filter((p) => p.role !== 'manager') : people);
  const category = pickWeighted(r, (CATEGORIES_BY_UNIT[unit] ?? DEFAULT_CATEGORIES) as Record<Category, number>);
  const impact = Number(pickWeighted(r, IMPACTS));
  const anonymous = chance(r, 0.25);
  const cause = pickWeighted(r, CAUSE_WEIGHTS);
  const [what, consequence, idea] = pickOne(r, NEARMISS_ACCOUNTS[category]);
  const occurred = tokyoAt(day, 9 * 60 + between(r, 0, 450));
  const filed = new Date(Math.min(occurred.getTime() + between(r, 20, 120) * 60_000, tokyoAt(day, 17 * 60 + 45).getTime()));
  const recipients = routeReport({ category, impact, anonymous }, reporter, directory);
  const status = statusOf(r, day, today);
  const handler = recipients[0]?.id;
  const handledAt = tokyoAt(day, 17 * 60 + 30).toISOString();
  const createdAt = anonymous ? toHour(filed) : filed.toISOString();
  return {
    formId: formIdOf(unit, day),
    report: {
      day,
      unit,
      anonymous,
      // Anonymous: no reporter, and both times cut to the hour, exactly as the report card stores them.
      reporterId: anonymous ? undefined : reporter.id,
      occurredAt: anonymous ? toHour(occurred) : occurred.toISOString(),
      category,
      impact,
      what,
      consequence,
      cause: CAUSES.includes(cause) ? cause : undefined,
      idea: chance(r, 0.7) ? idea : undefined,
      recipientIds: recipients.map((p) => p.id),
      status,
      acknowledgedBy: status === 'received' ? undefined : handler,
      countermeasure: status === 'decided' || status === 'shared' ? COUNTERMEASURES[cause] : undefined,
      countermeasureOwner: status === 'decided' || status === 'shared' ? (reporter.group ?? unit) : undefined,
      decidedBy: status === 'decided' || status === 'shared' ? handler : undefined,
      createdAt,
      updatedAt: status === 'received' ? createdAt : handledAt,
    },
  };
}
