import { promptsOwedOnCancel } from '../../src/features/checkin/leave';
import { DEFAULT_SCHEDULE } from '../../src/features/checkin/unit-schedule.schema';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const today = '2026-11-25';

/** Which prompts a 休み taken back leaves owed: today's, of the slots it covered, while their window is open. */
describe('promptsOwedOnCancel', () => {
  it('owes the morning prompt from its time until its close, and the evening one likewise', () => {
    expect(promptsOwedOnCancel({ day: today }, jst('2026-11-25T08:44:59'), DEFAULT_SCHEDULE)).toEqual([]);
    expect(promptsOwedOnCancel({ day: today }, jst('2026-11-25T08:45:00'), DEFAULT_SCHEDULE)).toEqual(['morning']);
    expect(promptsOwedOnCancel({ day: today }, jst('2026-11-25T11:00:00'), DEFAULT_SCHEDULE)).toEqual([]);
    expect(promptsOwedOnCancel({ day: today }, jst('2026-11-25T17:00:00'), DEFAULT_SCHEDULE)).toEqual(['evening']);
    expect(promptsOwedOnCancel({ day: today }, jst('2026-11-25T19:00:00'), DEFAULT_SCHEDULE)).toEqual([]);
  });

  it('owes only the half the 休み covered', () => {
    expect(promptsOwedOnCancel({ day: today, half: 'am' }, jst('2026-11-25T10:00:00'), DEFAULT_SCHEDULE)).toEqual(['morning']);
    expect(promptsOwedOnCancel({ day: today, half: 'pm' }, jst('2026-11-25T10:00:00'), DEFAULT_SCHEDULE)).toEqual([]);
    expect(promptsOwedOnCancel({ day: today, half: 'am' }, jst('2026-11-25T17:30:00'), DEFAULT_SCHEDULE)).toEqual([]);
    expect(promptsOwedOnCancel({ day: today, half: 'pm' }, jst('2026-11-25T17:30:00'), DEFAULT_SCHEDULE)).toEqual(['evening']);
  });

  it('owes both when a unit’s morning closes after its evening prompt', () => {
    const late = { ...DEFAULT_SCHEDULE, morningCloseAt: '18:00' };
    expect(promptsOwedOnCancel({ day: today }, jst('2026-11-25T17:30:00'), late)).toEqual(['morning', 'evening']);
  });

  it('owes nothing for another day, or on a day that is not an office day', () => {
    expect(promptsOwedOnCancel({ day: '2026-11-26' }, jst('2026-11-25T10:00:00'), DEFAULT_SCHEDULE)).toEqual([]);
    expect(promptsOwedOnCancel({ day: '2026-11-28' }, jst('2026-11-28T10:00:00'), DEFAULT_SCHEDULE)).toEqual([]);
  });
});
