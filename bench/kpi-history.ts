import { isOfficeDay } from '../src/calendar/office-calendar';
import type { CheckinRecord } from '../src/features/checkin/checkin.schema';
import { VALUE_KEYS, type ValueKey } from '../src/features/kudos/kudos.schema';
import { CATEGORIES, type Category } from '../src/features/nearmiss/nearmiss.schema';
import type { OrgDirectory, Person, RoleKey } from '../src/directory/org.schema';
import { pairsFromDirectory } from '../src/features/oneonone/oneonone.service';

/**
 * A deterministic synthetic town and its daily practice, at any size. The same generator feeds the
 * half-year of history (straight into the rollup) and the raw rows the nightly job reads.
 */

/** mulberry32: a small seeded generator, so every run builds the same history. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 課 of a large city: a 課長, a 主幹, and groups of 13 (主査 leading 3 主任, 6 主事, 3 会計年度). */
const GROUP: RoleKey[] = ['senior', 'lead', 'lead', 'lead', 'staff', 'staff', 'staff', 'staff', 'staff', 'staff', 'appointee', 'appointee', 'appointee'];
const GROUPS_PER_UNIT = 5;

/** `size` people in 課 of 67 under two executives. */
export function syntheticTown(size: number): OrgDirectory {
  const people: Person[] = [
    { id: 'E0001', name: '町長', role: 'executive', hr: false, active: true },
    { id: 'E0002', name: '副町長', role: 'executive', managerId: 'E0001', hr: false, active: true },
  ];
  const units: { name: string }[] = [];
  let n = 0;
  const add = (unit: string, role: RoleKey, managerId: string, group?: string): string => {
    n += 1;
    const id = `P${String(n).padStart(5, '0')}`;
    people.push({ id, name: `職員 ${n}`, unit, group, role, managerId, hr: unit === '第001課', active: true });
    return id;
  };
  for (let u = 1; people.length < size; u++) {
    const unit = `第${String(u).padStart(3, '0')}課`;
    units.push({ name: unit });
    const head = add(unit, 'manager', 'E0002');
    add(unit, 'chief', head);
    for (let g = 1; g <= GROUPS_PER_UNIT && people.length < size; g++) {
      let leader = head;
      for (const role of GROUP) {
        if (people.length >= size) break;
        const id = add(unit, role, leader, `${unit}${g}係`);
        if (role === 'senior') leader = id;
      }
    }
  }
  return { units, people };
}

export interface SyntheticDay {
  day: string;
  office: boolean;
  leaves: Set<string>;
  checkins: CheckinRecord[];
  nearmisses: { unit: string; category: Category; impact: number }[];
  kudos: { recipientId: string; senderId: string; unit: string; value: ValueKey; submitId: string }[];
}

const ANSWER_RATE = 0.85;
const LEAVE_RATE = 0.03;
const HELP_RATE = 0.02;
const KUDOS_PER_PERSON_DAY = 0.05;
const NEARMISS_PER_PERSON_DAY = 0.002;

/** One day of the town's practice: check-ins on office days (85% answer), leave, 助けが必要, near-misses, kudos. */
export function syntheticDay(tenantId: string, people: readonly Person[], day: string, seed: number): SyntheticDay {
  const random = seeded(seed);
  const office = isOfficeDay(day);
  const staff = people.filter((p) => p.active && p.unit && p.role !== 'executive');
  const out: SyntheticDay = { day, office, leaves: new Set(), checkins: [], nearmisses: [], kudos: [] };
  if (!office) return out;
  const at = `${day}T09:00:00.000Z`;
  for (const person of staff) {
    if (random() < LEAVE_RATE) {
      out.leaves.add(person.id);
      continue;
    }
    const unit = person.unit as string;
    const base = { tenantId, unit, day, personId: person.id, createdAt: at, updatedAt: at };
    if (random() < ANSWER_RATE) {
      const needHelp = random() < HELP_RATE;
      out.checkins.push({
        ...base,
        slot: 'morning',
        answers: { priority: '業務', condition: 1 + Math.floor(random() * 5), needHelp },
        helpTakenBy: needHelp && random() < 0.8 ? person.managerId : undefined,
      });
    }
    if (random() < ANSWER_RATE) {
      const overtime = random() < 0.4 ? Math.floor(random() * 180) : undefined;
      out.checkins.push({ ...base, slot: 'evening', answers: { done: '業務', satisfaction: 1 + Math.floor(random() * 5), overtime } });
    }
    if (random() < NEARMISS_PER_PERSON_DAY)
      out.nearmisses.push({ unit, category: CATEGORIES[Math.floor(random() * CATEGORIES.length)] as Category, impact: 1 + Math.floor(random() * 4) });
    if (random() < KUDOS_PER_PERSON_DAY) {
      const recipient = staff[Math.floor(random() * staff.length)] as Person;
      if (recipient.id !== person.id) {
        out.kudos.push({
          recipientId: recipient.id,
          senderId: person.id,
          unit: recipient.unit as string,
          value: VALUE_KEYS[Math.floor(random() * VALUE_KEYS.length)] as ValueKey,
          submitId: `s${seed}-${person.id}`,
        });
      }
    }
  }
  return out;
}

export interface SyntheticPair {
  managerId: string;
  memberId: string;
  unit: string;
  role: string;
  since: string;
  /** Days their 1on1s were held: every 20–45 days from the start. */
  held: string[];
}

/** Every pair of the directory from `since`, meeting every 20–45 days up to `until`. */
export function syntheticPairs(directory: readonly Person[], since: string, until: string, seed: number): SyntheticPair[] {
  const random = seeded(seed);
  const byId = new Map(directory.map((p) => [p.id, p]));
  const day0 = Date.parse(`${since}T00:00:00Z`);
  const end = Date.parse(`${until}T00:00:00Z`);
  return pairsFromDirectory(directory).map((pair) => {
    const held: string[] = [];
    for (let at = day0 + (20 + Math.floor(random() * 26)) * 86_400_000; at <= end; at += (20 + Math.floor(random() * 26)) * 86_400_000) {
      held.push(new Date(at).toISOString().slice(0, 10));
    }
    const member = byId.get(pair.memberId);
    return { ...pair, role: member?.role ?? '', since, held };
  });
}
