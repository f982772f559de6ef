import { skipsSlot, type CheckinRecord, type HalfDay, type Slot } from '../checkin/checkin.public';
import type { KudosRecord } from '../kudos/kudos.public';
import type { NearMiss } from '../nearmiss/nearmiss.public';
import type { Meeting } from '../oneonone/oneonone.public';
import type { Person } from '../../directory/org.schema';
import { emptyFigures, rowKeyOf, TOWN, type Distribution, type Figures, type GroupKey } from './kpi.figures';
import type { PairDay } from './kpi.oneonone';
import { suppressSmallGroups } from './kpi.suppression';

/** The raw facts of one day, read through the features' repositories; nothing here is kept. */
export interface DayFacts {
  day: string;
  /** `morning|<課>` / `evening|<課>` for each unit whose prompt job ran that day (the scheduler's jobruns). */
  prompted: ReadonlySet<string>;
  /** People on leave that day, with the half of a 午前休 / 午後休 (undefined = the whole day). */
  leaves: ReadonlyMap<string, HalfDay | undefined>;
  checkins: readonly CheckinRecord[];
  /** Reports filed that day. */
  nearmisses: readonly Pick<NearMiss, 'unit' | 'category' | 'impact'>[];
  /** Kudos received that day. */
  kudos: readonly Pick<KudosRecord, 'recipientId' | 'unit' | 'value'>[];
  /** 1on1s whose record was saved (held) that day. */
  held: readonly Pick<Meeting, 'unit' | 'memberRole'>[];
  /** Every pair that exists that day. */
  pairs: readonly PairDay[];
}

export interface KpiRow {
  key: GroupKey;
  figures: Figures;
}

export interface PeopleIndex {
  people: readonly Person[];
  byId: ReadonlyMap<string, Person>;
}

export function indexPeople(people: readonly Person[]): PeopleIndex {
  return { people, byId: new Map(people.map((p) => [p.id, p])) };
}

export function promptedKey(slot: Slot, unit: string): string {
  return `${slot}|${unit}`;
}

/**
 * Who a check-in was due from: those the prompt went to or would have (not on leave for that slot: a
 * 午前休 is still asked in the evening, a 午後休 in the morning), and anyone who answered anyway.
 */
function dueBySlot(slot: Slot, people: PeopleIndex, facts: DayFacts): Map<string, string> {
  const due = new Map<string, string>();
  for (const person of people.people) {
    if (!person.active || person.role === 'executive' || !person.unit) continue;
    if (facts.leaves.has(person.id) && skipsSlot(facts.leaves.get(person.id), slot)) continue;
    if (facts.prompted.has(promptedKey(slot, person.unit))) due.set(person.id, person.unit);
  }
  // An answer counts where it was given: the unit it was stored under, even after a transfer.
  for (const record of facts.checkins) if (record.slot === slot) due.set(record.personId, record.unit);
  return due;
}

class Groups {
  private readonly rows = new Map<string, KpiRow>();
  /** The rows of each (unit, role): a day adds tens of thousands of facts, each to the same few rows. */
  private readonly targets = new Map<string, Figures[]>();

  /** The town row, the unit's row and the role's row a fact about one person belongs to. */
  of(unit: string | undefined, role: string | undefined): Figures[] {
    const cacheKey = `${unit === undefined ? '\u0001' : unit}\u0000${role === undefined ? '\u0001' : role}`;
    let found = this.targets.get(cacheKey);
    if (!found) {
      const keys: GroupKey[] = [TOWN];
      if (unit !== undefined) keys.push({ level: 'unit', unit });
      if (role !== undefined) keys.push({ level: 'role', role });
      found = keys.map((key) => this.row(key).figures);
      this.targets.set(cacheKey, found);
    }
    return found;
  }

  row(key: GroupKey): KpiRow {
    const rowKey = rowKeyOf(key);
    let row = this.rows.get(rowKey);
    if (!row) {
      row = { key, figures: emptyFigures(key.level !== 'role') };
      this.rows.set(rowKey, row);
    }
    return row;
  }

  all(): KpiRow[] {
    return [...this.rows.values()];
  }
}

function count(d: Distribution, key: string): void {
  d.total += 1;
  d.counts[key] = (d.counts[key] ?? 0) + 1;
}

/**
 * One day's rows: the town, each 課 and each 役職, with every figure behind fewer than 3 people
 * suppressed. Pure: the same facts give the same rows, which is what makes a re-run an upsert of
 * identical rows.
 */
export function rollupDay(people: PeopleIndex, facts: DayFacts): KpiRow[] {
  const groups = new Groups();
  const roleOf = (personId: string): string => people.byId.get(personId)?.role ?? '';
  groups.row(TOWN);

  for (const person of people.people) {
    if (!person.active) continue;
    for (const f of groups.of(person.unit ?? '', person.role)) f.members += 1;
  }

  for (const slot of ['morning', 'evening'] as const) {
    for (const [personId, unit] of dueBySlot(slot, people, facts)) {
      for (const f of groups.of(unit, roleOf(personId))) {
        if (slot === 'morning') f.promptsMorning += 1;
        else f.promptsEvening += 1;
      }
    }
  }

  for (const record of facts.checkins) {
    const answers = record.answers;
    for (const f of groups.of(record.unit, roleOf(record.personId))) {
      if (record.slot === 'morning') {
        f.answeredMorning += 1;
        if (answers.needHelp === true) f.helpRequested += 1;
        if (answers.needHelp === true && record.helpTakenBy) f.helpTaken += 1;
        if (typeof answers.condition === 'number') {
          f.condition.count += 1;
          f.condition.sum += answers.condition;
        }
      } else {
        f.answeredEvening += 1;
        if (typeof answers.satisfaction === 'number') {
          f.satisfaction.count += 1;
          f.satisfaction.sum += answers.satisfaction;
        }
        // An evening answer with 時間外 left empty is a day without overtime.
        f.overtime.people += 1;
        f.overtime.minutes += typeof answers.overtime === 'number' ? answers.overtime : 0;
        f.overtime.days = 1;
      }
    }
  }

  for (const meeting of facts.held) for (const f of groups.of(meeting.unit, meeting.memberRole)) f.oneonone.held += 1;
  for (const pair of facts.pairs) {
    for (const f of groups.of(pair.unit, pair.role)) {
      f.oneonone.pairs += 1;
      if (pair.late) f.oneonone.pairsLate += 1;
      if (pair.lateNew.month) f.oneonone.lateNewMonth += 1;
      if (pair.lateNew.half) f.oneonone.lateNewHalf += 1;
      if (pair.lateNew.year) f.oneonone.lateNewYear += 1;
    }
  }

  // An anonymous report has no reporter, so no role: near-misses are counted by 課 only.
  for (const report of facts.nearmisses) {
    for (const f of groups.of(report.unit, undefined)) {
      if (!f.nearmiss) continue;
      count(f.nearmiss.byCategory, report.category);
      count(f.nearmiss.byImpact, String(report.impact));
    }
  }

  for (const kudos of facts.kudos) for (const f of groups.of(kudos.unit, roleOf(kudos.recipientId))) count(f.kudos, kudos.value);

  const rows = groups.all();
  suppressSmallGroups(rows);
  return rows;
}
