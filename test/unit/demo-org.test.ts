import { buildDemoOrg, demoOrgCsv, DEMO_MANAGER_AAD_OBJECT_ID, DEMO_MANAGER_ID, DEMO_STAFF_AAD_OBJECT_ID, DEMO_STAFF_ID } from '../../src/directory/demo-org';
import { parseOrgCsv } from '../../src/directory/org-csv';
import { personSchema, type Person } from '../../src/directory/org.schema';

// Copied from DOMAIN.md on purpose: the demo must match the brief, not its own constants.
const HEAD_COUNTS: Array<[string, number]> = [
  ['住民課', 36],
  ['総務課', 20],
  ['産業経済課', 18],
  ['建設課', 17],
  ['まちづくり推進課', 13],
  ['生涯学習課', 9],
  ['農業委員会', 3],
];

const org = buildDemoOrg();
const byId = new Map(org.people.map((p) => [p.id, p]));

function get(id: string | undefined): Person {
  const person = id === undefined ? undefined : byId.get(id);
  if (!person) throw new Error(`no person ${String(id)}`);
  return person;
}

function chain(id: string): string[] {
  const ids = [id];
  let current = get(id);
  while (current.managerId !== undefined) {
    if (ids.includes(current.managerId)) throw new Error(`cycle at ${current.managerId}`);
    ids.push(current.managerId);
    current = get(current.managerId);
  }
  return ids;
}

describe('buildDemoOrg', () => {
  it('has the seven units of DOMAIN.md in order with their head-counts, plus two executives', () => {
    expect(org.units.map((u) => u.name)).toEqual(HEAD_COUNTS.map(([name]) => name));
    for (const [unit, count] of HEAD_COUNTS) {
      expect([unit, org.people.filter((p) => p.unit === unit).length]).toEqual([unit, count]);
    }
    const executives = org.people.filter((p) => p.role === 'executive');
    expect(executives).toHaveLength(2);
    expect(executives.every((p) => p.unit === undefined)).toBe(true);
    expect(org.people).toHaveLength(118);
  });

  it('is deterministic', () => {
    expect(buildDemoOrg()).toEqual(org);
  });

  it('passes personSchema for every person, with unique ids, names, emails and AAD ids', () => {
    for (const person of org.people) expect(personSchema.parse(person)).toEqual(person);
    for (const key of ['id', 'name', 'email', 'aadObjectId'] as const) {
      const values = org.people.map((p) => p[key]);
      expect(new Set(values).size).toBe(values.length);
    }
    expect(org.people.every((p) => /^A\d{4}$/.test(p.id))).toBe(true);
    expect(org.people.every((p) => p.email === `${p.id.toLowerCase()}@town.atsuma.example.jp`)).toBe(true);
  });

  it('gives each unit exactly one 課長, who reports to the 副町長, who reports to the 町長', () => {
    for (const [unit] of HEAD_COUNTS) {
      const managers = org.people.filter((p) => p.unit === unit && p.role === 'manager');
      expect([unit, managers.length]).toEqual([unit, 1]);
      const deputy = get(managers[0]?.managerId);
      expect(deputy.role).toBe('executive');
      const mayor = get(deputy.managerId);
      expect(mayor.role).toBe('executive');
      expect(mayor.managerId).toBeUndefined();
    }
  });

  it('leads each group with a 主幹 or 主査 who reports to the 課長; members report to the leader', () => {
    const groups = new Map<string, Person[]>();
    for (const p of org.people) {
      if (p.group) groups.set(`${p.unit}/${p.group}`, [...(groups.get(`${p.unit}/${p.group}`) ?? []), p]);
    }
    expect(groups.size).toBeGreaterThanOrEqual(15);
    for (const [key, members] of groups) {
      const leaders = members.filter((p) => !members.some((m) => m.id === p.managerId));
      expect([key, leaders.length]).toEqual([key, 1]);
      const leader = leaders[0] as Person;
      expect(['chief', 'senior']).toContain(leader.role);
      expect(get(leader.managerId).role).toBe('manager');
      expect(get(leader.managerId).unit).toBe(leader.unit);
      for (const m of members) if (m !== leader) expect(m.managerId).toBe(leader.id);
    }
    expect([...groups.keys()]).toEqual(expect.arrayContaining(['住民課/住民グループ', '住民課/税務グループ', '総務課/総務人事グループ']));
  });

  it('keeps 農業委員会 flat: a manager, one 主査 or 主任 and one 主事', () => {
    const committee = org.people.filter((p) => p.unit === '農業委員会');
    expect(committee.every((p) => p.group === undefined)).toBe(true);
    expect(committee.map((p) => p.role).sort()).toEqual(['manager', 'senior', 'staff']);
  });

  it('has a realistic role mix with 15–20% fiscal-year appointees', () => {
    const staff = org.people.filter((p) => p.role !== 'executive');
    const appointees = staff.filter((p) => p.role === 'appointee').length;
    expect(appointees / staff.length).toBeGreaterThanOrEqual(0.15);
    expect(appointees / staff.length).toBeLessThanOrEqual(0.2);
    for (const role of ['chief', 'senior', 'lead', 'staff'] as const) {
      expect(staff.some((p) => p.role === role)).toBe(true);
    }
  });

  it('marks exactly the 総務人事グループ as HR', () => {
    const hr = org.people.filter((p) => p.hr);
    expect(hr.length).toBeGreaterThan(0);
    expect(hr.every((p) => p.unit === '総務課' && p.group === '総務人事グループ')).toBe(true);
    expect(org.people.filter((p) => p.group === '総務人事グループ').every((p) => p.hr)).toBe(true);
  });

  it('reaches an executive from everyone without cycles', () => {
    for (const person of org.people) {
      const ids = chain(person.id);
      expect(get(ids[ids.length - 1]).role).toBe('executive');
    }
  });

  it('pins the emulator users', () => {
    const staff = get(DEMO_STAFF_ID);
    expect(staff).toMatchObject({ role: 'staff', unit: '住民課', aadObjectId: DEMO_STAFF_AAD_OBJECT_ID });
    const manager = get(DEMO_MANAGER_ID);
    expect(manager).toMatchObject({ role: 'manager', unit: '住民課', aadObjectId: DEMO_MANAGER_AAD_OBJECT_ID });
    expect(chain(DEMO_STAFF_ID)).toContain(DEMO_MANAGER_ID);
    expect(personSchema.safeParse(staff).success).toBe(true);
    expect(personSchema.safeParse(manager).success).toBe(true);
  });

  it('round-trips through its CSV', () => {
    const parsed = parseOrgCsv(demoOrgCsv());
    expect(parsed).toEqual({ ok: true, directory: org });
  });
});
