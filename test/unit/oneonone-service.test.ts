import type { Person } from '../../src/directory/org.schema';
import type { Meeting, Pair, ScheduleSubmit } from '../../src/features/oneonone/oneonone.schema';
import { byUrgency, checkSchedule, isTwiceOverdue, pairsFromDirectory, viewPair } from '../../src/features/oneonone/oneonone.service';

const person = (id: string, role: Person['role'], managerId?: string, active = true): Person => ({ id, name: id, role, managerId, hr: false, active });
const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('1on1 rules', () => {
  it('pairs every active person with an active, non-executive manager', () => {
    const directory = [
      person('MAY', 'executive'),
      person('M', 'manager', 'MAY'),
      person('C', 'chief', 'M'),
      person('S', 'senior', 'C'),
      person('GONE', 'staff', 'C', false),
      person('ORPHAN', 'staff', 'OLD'),
      person('OLD', 'manager', undefined, false),
    ];
    expect(pairsFromDirectory(directory)).toEqual([
      { managerId: 'M', memberId: 'C', unit: '' },
      { managerId: 'C', memberId: 'S', unit: '' },
    ]);
  });

  it('checks the day and hour against the clock and the office calendar', () => {
    const now = jst('2026-11-20T10:00:00');
    const submit = (date: string, time: string): ScheduleSubmit => ({ verb: 'oneonone.schedule.save', memberId: 'C', date, time, length: '30' });
    expect(checkSchedule(submit('2026-11-24', '07:00'), now, true)).toEqual({ errors: {}, nonOfficeDay: false });
    expect(checkSchedule(submit('2026-11-24', '22:00'), now, true).errors).toEqual({});
    expect(checkSchedule(submit('2026-11-24', '22:01'), now, true).errors).toEqual({ time: 'hours' });
    expect(checkSchedule(submit('2026-11-24', '06:59'), now, true).errors).toEqual({ time: 'hours' });
    expect(checkSchedule(submit('2026-11-19', '10:00'), now, true).errors).toEqual({ date: 'past' });
    expect(checkSchedule(submit('2026-11-20', '09:30'), now, true).errors).toEqual({ time: 'past' });
    expect(checkSchedule(submit('2026-11-24', '10:00'), now, false).errors).toEqual({ form: 'notYours' });
    expect(checkSchedule(submit('2026-11-23', '10:00'), now, true).nonOfficeDay).toBe(true);
    expect(checkSchedule(submit('2026-12-29', '10:00'), now, true).nonOfficeDay).toBe(true);
  });

  it('orders by urgency and flags a pair past twice its cadence', () => {
    const pair = (memberId: string, since: string): Pair => ({ managerId: 'M', memberId, since, cadenceDays: 30 });
    const held: Meeting = {
      tenantId: 't',
      managerId: 'M',
      memberId: 'B',
      meetingId: 'm1',
      unit: '',
      memberRole: 'staff',
      day: '2026-11-10',
      time: '10:00',
      lengthMinutes: 30,
      status: 'held',
      heldDay: '2026-11-10',
      createdAt: '',
      updatedAt: '',
    };
    const booked: Meeting = { ...held, memberId: 'D', meetingId: 'm2', day: '2026-12-30', status: 'scheduled', heldDay: undefined };
    const today = '2026-12-25';
    const views = [
      viewPair(pair('D', '2026-01-01'), person('D', 'staff'), [booked], today),
      viewPair(pair('B', '2026-01-01'), person('B', 'staff'), [held], today),
      viewPair(pair('A', '2026-12-01'), person('A', 'staff'), [], today),
      viewPair(pair('E', '2026-10-01'), person('E', 'staff'), [], today),
    ].sort(byUrgency);
    expect(views.map((v) => [v.member.id, v.status, v.overdueDays])).toEqual([
      ['E', 'overdue', 55],
      ['B', 'overdue', 15],
      ['A', 'onTrack', 0],
      ['D', 'scheduled', 0],
    ]);
    expect(views.map(isTwiceOverdue)).toEqual([true, false, false, false]);
  });
});
