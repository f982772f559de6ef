import { readLeaveRequest, skipsSlot } from '../../src/features/checkin/leave';
import type { PaidLeaveGrant } from '../../src/features/paidleave/paidleave.schema';
import { paidLeaveRate, takenDaysOf, tallyPaidLeave } from '../../src/features/paidleave/paidleave.tally';

const TODAY = '2026-11-25';

describe('半休: a half day off as people type it', () => {
  it('reads 午前休 / 午後休 in the command word or after it, in Japanese and English', () => {
    const read = (message: string, args: string) => readLeaveRequest(message, args, TODAY);
    expect(read('午前休', '')).toEqual({ ok: true, day: TODAY, half: 'am' });
    expect(read('午後休 11/26', '11/26')).toEqual({ ok: true, day: '2026-11-26', half: 'pm' });
    expect(read('午前半休 11/26', '11/26')).toEqual({ ok: true, day: '2026-11-26', half: 'am' });
    expect(read('半休 11/26 午後', '11/26 午後')).toEqual({ ok: true, day: '2026-11-26', half: 'pm' });
    expect(read('休み 明日の午前', '明日の午前')).toEqual({ ok: true, day: '2026-11-26', half: 'am' });
    expect(read('休暇 11/26午後', '11/26午後')).toEqual({ ok: true, day: '2026-11-26', half: 'pm' });
    expect(read('休み １１／２６　ＡＭ', '１１／２６　ＡＭ')).toEqual({ ok: true, day: '2026-11-26', half: 'am' });
    expect(read('leave am 11/26', 'am 11/26')).toEqual({ ok: true, day: '2026-11-26', half: 'am' });
    expect(read('leave tomorrow afternoon', 'tomorrow afternoon')).toEqual({ ok: true, day: '2026-11-26', half: 'pm' });
  });

  it('keeps a whole day a whole day, and today the default', () => {
    expect(readLeaveRequest('休み', '', TODAY)).toEqual({ ok: true, day: TODAY });
    expect(readLeaveRequest('leave today', 'today', TODAY)).toEqual({ ok: true, day: TODAY });
    expect(readLeaveRequest('休暇 11/26', '11/26', TODAY)).toEqual({ ok: true, day: '2026-11-26' });
  });

  it('asks which half rather than guessing, and refuses a past or unreadable day as a whole day is', () => {
    expect(readLeaveRequest('半休 11/26', '11/26', TODAY)).toEqual({ ok: false, reason: 'whichHalf' });
    expect(readLeaveRequest('leave half day', 'half day', TODAY)).toEqual({ ok: false, reason: 'whichHalf' });
    expect(readLeaveRequest('休み 11/26 午前 午後', '11/26 午前 午後', TODAY)).toEqual({ ok: false, reason: 'whichHalf' });
    expect(readLeaveRequest('午前休 2026-11-01', '2026-11-01', TODAY)).toEqual({ ok: false, reason: 'past', day: '2026-11-01' });
    expect(readLeaveRequest('午後休 来週', '来週', TODAY)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('skips the check-in of its half only; a whole day skips both', () => {
    expect([skipsSlot('am', 'morning'), skipsSlot('am', 'evening')]).toEqual([true, false]);
    expect([skipsSlot('pm', 'morning'), skipsSlot('pm', 'evening')]).toEqual([false, true]);
    expect([skipsSlot(undefined, 'morning'), skipsSlot(undefined, 'evening')]).toEqual([true, true]);
  });
});

describe('半休 in the paid-leave tally', () => {
  const grant = (over: Partial<PaidLeaveGrant> = {}): PaidLeaveGrant => ({
    fiscalYear: 2026,
    personId: 'A1',
    grantedDays: 20,
    importedAt: '2026-10-01T00:00:00Z',
    ...over,
  });
  // 2026-11-23 is a national holiday (勤労感謝の日): a half day on it is no paid leave either.
  const leaves = [
    { day: '2026-11-24', half: 'am' as const },
    { day: '2026-11-25', half: 'pm' as const },
    { day: '2026-11-26' },
    { day: '2026-11-23', half: 'am' as const },
  ];

  it('counts a half day as 0.5, on office days only', () => {
    expect(takenDaysOf(grant(), leaves, '2026-11-30')).toEqual({ takenDays: 2, imported: undefined, leaveDays: 2, through: '2026-11-30' });
    expect(takenDaysOf(grant(), leaves, '2026-11-24').takenDays).toBe(0.5);
    expect(takenDaysOf(grant({ takenDays: 3, takenAsOf: '2026-11-24' }), leaves, '2026-11-30').takenDays).toBe(4.5);
  });

  it('rates a group with the halves', () => {
    const tallies = tallyPaidLeave(
      [grant(), grant({ personId: 'A2', grantedDays: 10 })],
      (id) => (id === 'A1' ? leaves : [{ day: '2026-11-24', half: 'pm' }]),
      '2026-11-30',
    );
    expect(tallies.map((t) => t.takenDays)).toEqual([2, 0.5]);
    expect(paidLeaveRate(tallies)).toBeCloseTo(2.5 / 30, 10);
  });
});
