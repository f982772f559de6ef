import type { Person } from '../../src/directory/org.schema';
import { checkRecipients, countByValue, isOwnMember, messageOf, valueInText } from '../../src/features/kudos/kudos.service';
import { resolveMentions } from '../../src/directory/mentions';
import { previousMonth } from '../../src/features/kudos/kudos.schedule';

const person = (id: string, extra: Partial<Person> = {}): Person => ({ id, name: `名前${id}`, role: 'staff', hr: false, active: true, ...extra });

describe('kudos rules', () => {
  it('finds the first value named in a message, in either language, or none', () => {
    expect(valueInText('窓口の応援、抱え込まないでくれて助かりました')).toBe('share');
    expect(valueInText('データで改善する姿勢と、チーム志向の動き')).toBe('data');
    expect(valueInText('Thanks, true TEAM SUPPORT today')).toBe('team');
    expect(valueInText('助かりました')).toBeUndefined();
  });

  it('takes the mentions out of the message', () => {
    expect(messageOf('<at>田中 花子</at> <at>佐藤</at>  資料の件 ありがとう')).toBe('資料の件 ありがとう');
    expect(messageOf('<at>田中</at>')).toBe('');
  });

  it('own members: direct reports, and the whole 課 for its 課長; never oneself or another 課', () => {
    const kacho = person('M', { role: 'manager', unit: '建設課' });
    const shusa = person('S', { role: 'senior', unit: '建設課', managerId: 'M' });
    const shunin = person('L', { role: 'lead', unit: '建設課', managerId: 'S' });
    const other = person('H', { unit: '総務課', managerId: 'M2' });
    expect(isOwnMember(kacho, shunin)).toBe(true);
    expect(isOwnMember(shusa, shunin)).toBe(true);
    expect(isOwnMember(shunin, shusa)).toBe(false);
    expect(isOwnMember(kacho, other)).toBe(false);
    expect(isOwnMember(kacho, kacho)).toBe(false);
    expect(isOwnMember(kacho, { ...shunin, active: false })).toBe(false);
  });

  it('refuses oneself first, then unknown names, then nobody, then too many', () => {
    const me = person('A');
    expect(checkRecipients(me, [me, person('B')], ['外部'], 10)).toEqual({ kind: 'self' });
    expect(checkRecipients(me, [person('B')], ['外部'], 10)).toEqual({ kind: 'unknown', names: ['外部'] });
    expect(checkRecipients(me, [], [], 10)).toEqual({ kind: 'none' });
    expect(checkRecipients(me, [person('B'), person('C')], [], 1)).toEqual({ kind: 'tooMany' });
    expect(checkRecipients(me, [person('B')], [], 10)).toBeUndefined();
  });

  it('resolves mentions by object id, case aside; a mention without one is unknown by name', () => {
    const b = person('B', { aadObjectId: '00000000-0000-4000-8000-00000000000B'.toLowerCase() });
    const result = resolveMentions(
      [
        { teamsUserId: '29:b', aadObjectId: '00000000-0000-4000-8000-00000000000B', name: 'B' },
        { teamsUserId: '29:x', name: '外部 花子' },
      ],
      [b],
    );
    expect(result).toEqual({ found: [b], unknownNames: ['外部 花子'] });
  });

  it('counts by value in the policy’s order and names the previous month', () => {
    expect(countByValue([{ value: 'team' }, { value: 'purpose' }, { value: 'team' }])).toEqual([
      { value: 'purpose', count: 1 },
      { value: 'team', count: 2 },
    ]);
    expect(previousMonth('2027-01-04')).toBe('2026-12');
  });
});
