import { createHash } from 'node:crypto';
import { personSchema, type OrgDirectory, type Person, type RoleKey } from '../src/directory/org.schema';

/** People per unit: a 課長 and nine groups of eleven (a 主査, two 主任, eight 主事). */
const UNIT_SIZE = 100;
const GROUPS = 9;
const GROUP_ROLES: RoleKey[] = ['senior', 'lead', 'lead', ...Array<RoleKey>(8).fill('staff')];

/** Shaped as a v4 UUID so the directory schema accepts it; stable per id, so runs compare. */
export function benchAadObjectId(id: string): string {
  const h = createHash('sha256').update(`hibi-bench:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A town of `count` people (rounded up to whole units of 100) shaped like a real one: 課長 at the top
 * of each unit, groups under a 主査. Names are plain numbers: the benchmarks measure work, not words.
 */
export function syntheticDirectory(count: number): OrgDirectory {
  const units = Math.ceil(count / UNIT_SIZE);
  const people: Person[] = [];
  const unitNames: string[] = [];
  for (let u = 1; u <= units; u++) {
    const unit = `第${u}課`;
    unitNames.push(unit);
    const head = `U${u}M`;
    people.push(person(head, unit, undefined, 'manager', undefined));
    for (let g = 1; g <= GROUPS; g++) {
      const group = `第${g}係`;
      const leader = `U${u}G${g}S`;
      GROUP_ROLES.forEach((role, i) => people.push(person(i === 0 ? leader : `U${u}G${g}P${i}`, unit, group, role, i === 0 ? head : leader)));
    }
  }
  return { units: unitNames.map((name) => ({ name })), people };
}

function person(id: string, unit: string, group: string | undefined, role: RoleKey, managerId: string | undefined): Person {
  return personSchema.parse({ id, name: `職員 ${id}`, unit, group, role, managerId, aadObjectId: benchAadObjectId(id) });
}
