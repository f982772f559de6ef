import { answersOf } from '../../src/features/checkin/checkin.service';
import { eveningSubmitSchema, morningSubmitSchema } from '../../src/features/checkin/checkin.schema';
import { blankedAnswers, bookedBeforeKey, bookingDayOf, cutoffDay, cutoffInstant, textsExpired } from '../../src/features/data/retention.rules';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('retention rules', () => {
  it('empties every free text of a real morning and evening answer and keeps what the KPIs count', () => {
    const morning = answersOf(
      morningSubmitSchema.parse({
        verb: 'checkin.submit',
        slot: 'morning',
        day: '2025-11-25',
        priority: '窓口',
        purpose: '待ち時間',
        trouble: '困りごと',
        needHelp: 'true',
        condition: '4',
      }),
    );
    expect(blankedAnswers(morning)).toEqual({ priority: '', purpose: '', trouble: '', needHelp: true, condition: 4 });
    const evening = answersOf(
      eveningSubmitSchema.parse({
        verb: 'checkin.submit',
        slot: 'evening',
        day: '2025-11-25',
        done: '予算',
        carryOver: '資料',
        overtime: '18:45',
        satisfaction: '3',
        learning: '学び',
      }),
    );
    expect(blankedAnswers(evening)).toEqual({ done: '', carryOver: '', learning: '', overtime: 90, satisfaction: 3 });
  });

  it('says when there is nothing left to empty, so the job writes nothing the second time', () => {
    expect(blankedAnswers({ priority: '', needHelp: false, condition: 2 })).toBeUndefined();
  });

  it('counts months back on the Tokyo calendar', () => {
    expect(cutoffDay(jst('2026-11-25T00:30:00'), 12)).toBe('2025-11-25');
    expect(cutoffDay(jst('2026-03-31T10:00:00'), 1)).toBe('2026-02-28');
    expect(cutoffInstant(jst('2026-11-25T03:30:00'), 12)).toBe('2025-11-24T18:30:00.000Z');
  });

  it('keeps a current pair’s texts, and dates an ended pair’s from its end, else from the meeting', () => {
    expect(textsExpired({ current: true, endedOn: '2000-01-01', meetingDay: '2000-01-01' }, '2021-11-25')).toBe(false);
    expect(textsExpired({ current: false, endedOn: '2021-11-25', meetingDay: '2015-01-01' }, '2021-11-25')).toBe(true);
    expect(textsExpired({ current: false, endedOn: '2021-11-26', meetingDay: '2015-01-01' }, '2021-11-25')).toBe(false);
    expect(textsExpired({ current: false, meetingDay: '2021-11-24' }, '2021-11-25')).toBe(true);
    expect(textsExpired({ current: false }, '2021-11-25')).toBe(false);
  });

  it('reads only texts of meetings booked before the cutoff, and a booking day from a meeting id', () => {
    expect(bookedBeforeKey('2021-11-25')).toBe('m20211125');
    expect('m20211124235959-abcdef|record' < bookedBeforeKey('2021-11-25')).toBe(true);
    expect('m20211125000000-abcdef|record' < bookedBeforeKey('2021-11-25')).toBe(false);
    expect(bookingDayOf('m20211124093000-abcdef')).toBe('2021-11-24');
    expect(bookingDayOf('x')).toBeUndefined();
  });
});
