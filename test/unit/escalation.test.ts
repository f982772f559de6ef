import { resolveEscalation } from '../../src/directory/escalation';
import type { Person, RoleKey } from '../../src/directory/org.schema';

function person(id: string, role: RoleKey, managerId?: string, unit = '建設課', group?: string): Person {
  return { id, name: id, role, managerId, unit, group, hr: false, active: true };
}

const town: Person[] = [
  person('MAYOR', 'executive', undefined, undefined),
  person('DEPUTY', 'executive', 'MAYOR', undefined),
  person('M', 'manager', 'DEPUTY'),
  person('C', 'chief', 'M', '建設課', '土木'),
  person('S1', 'senior', 'C', '建設課', '土木'),
  person('S2', 'senior', 'M', '建設課', '建築'),
  person('L1', 'lead', 'S1', '建設課', '土木'),
  person('L2', 'lead', 'S2', '建設課', '建築'),
  person('ST', 'staff', 'L2', '建設課', '建築'),
  person('AP', 'appointee', 'S1', '建設課', '土木'),
  person('ST2', 'staff', 'M', '建設課', '土木'),
  person('OTHER_M', 'manager', 'DEPUTY', '住民課'),
  person('OTHER_L', 'lead', 'OTHER_M', '住民課'),
];

const ids = (p: Person): string[] => resolveEscalation(p, town).map((x) => x.id);
const find = (id: string): Person => town.find((p) => p.id === id) as Person;

describe('escalation table', () => {
  it.each([
    ['M', ['MAYOR', 'DEPUTY']],
    ['C', ['M']],
    ['S1', ['C']],
    ['S2', ['M']],
    ['L1', ['S1']],
    ['L2', ['S2']],
    ['ST', ['L2']],
    ['AP', ['S1']],
    ['ST2', ['L1']],
  ])('routes a question from %s to %j', (id, expected) => {
    expect(ids(find(id))).toEqual(expected);
  });

  it('falls back to the next role when the first does not exist in the unit', () => {
    const noLeads = town.filter((p) => p.role !== 'lead');
    expect(resolveEscalation(find('ST2'), noLeads).map((p) => p.id)).toEqual(['S1']);
  });

  it('never crosses into another unit, and skips inactive people', () => {
    const inactive = town.map((p) => (p.id === 'L2' ? { ...p, active: false } : p));
    expect(resolveEscalation(find('ST'), inactive).map((p) => p.id)).toEqual(['L1']);
    expect(resolveEscalation(find('OTHER_L'), town)).toEqual([]);
  });
});
