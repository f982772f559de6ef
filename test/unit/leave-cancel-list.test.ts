import { leaveListEnd, readLeaveCommand } from '../../src/features/checkin/leave';
import type { CheckinRecord } from '../../src/features/checkin/checkin.schema';
import { indexPeople, promptedKey, rollupDay, type DayFacts, type KpiRow } from '../../src/features/kpi/kpi.rollup';
import type { Person } from '../../src/directory/org.schema';

const TODAY = '2026-11-25';
const read = (message: string, args: string) => readLeaveCommand(message, args, TODAY);

describe('休み 取消 / 休み 一覧: what a leave message asks for', () => {
  it('reads a cancel in Japanese and English, the word before or after the day', () => {
    const cancel = (day: string, half?: 'am' | 'pm') => ({ action: 'cancel', reading: { ok: true, day, ...(half ? { half } : {}) } });
    expect(read('休み 取消 11/26', '取消 11/26')).toEqual(cancel('2026-11-26'));
    expect(read('休み 取り消し 明日', '取り消し 明日')).toEqual(cancel('2026-11-26'));
    expect(read('休暇 11/26を取り消し', '11/26を取り消し')).toEqual(cancel('2026-11-26'));
    expect(read('休み キャンセル', 'キャンセル')).toEqual(cancel(TODAY));
    expect(read('休み取消 11/26', '11/26')).toEqual(cancel('2026-11-26'));
    expect(read('leave cancel 11/26', 'cancel 11/26')).toEqual(cancel('2026-11-26'));
    expect(read('leave UNDO tomorrow', 'UNDO tomorrow')).toEqual(cancel('2026-11-26'));
    expect(read('午前休 取消 11/26', '取消 11/26')).toEqual(cancel('2026-11-26', 'am'));
    expect(read('leave cancel pm 11/26', 'cancel pm 11/26')).toEqual(cancel('2026-11-26', 'pm'));
    // 半休 alone names no half: whatever the day holds is taken back.
    expect(read('半休 取消 11/26', '取消 11/26')).toEqual(cancel('2026-11-26'));
  });

  it('refuses a past or unreadable day to cancel as registering does', () => {
    expect(read('休み 取消 2026-11-01', '取消 2026-11-01')).toEqual({ action: 'cancel', reading: { ok: false, reason: 'past', day: '2026-11-01' } });
    expect(read('休み 取消 来週', '取消 来週')).toEqual({ action: 'cancel', reading: { ok: false, reason: 'invalid' } });
    expect(read('leave cancel 2/30', 'cancel 2/30')).toEqual({ action: 'cancel', reading: { ok: false, reason: 'invalid' } });
  });

  it('reads a list, and anything after the list word as a day to register (which it is not)', () => {
    expect(read('休み 一覧', '一覧')).toEqual({ action: 'list' });
    expect(read('休暇一覧', '')).toEqual({ action: 'list' });
    expect(read('leave list', 'list')).toEqual({ action: 'list' });
    expect(read('休み 一覧 11/26', '一覧 11/26')).toEqual({ action: 'register', reading: { ok: false, reason: 'invalid' } });
  });

  it('leaves registering as it was', () => {
    expect(read('午前休 11/26', '11/26')).toEqual({ action: 'register', reading: { ok: true, day: '2026-11-26', half: 'am' } });
    expect(read('休み', '')).toEqual({ action: 'register', reading: { ok: true, day: TODAY } });
  });

  it('lists through 60 days ahead, across the year end', () => {
    expect(leaveListEnd('2026-11-26')).toBe('2027-01-25');
    expect(leaveListEnd('2026-01-01')).toBe('2026-03-02');
  });
});

describe('KPI check-in rollup: a half day off is off for its own half only', () => {
  const person = (id: string): Person => ({ id, name: id, unit: 'A', role: 'staff', hr: false, active: true });
  const people = indexPeople(['a1', 'a2', 'a3', 'a4', 'a5'].map(person));
  const answer = (personId: string, slot: 'morning' | 'evening'): CheckinRecord => ({
    tenantId: 't',
    unit: 'A',
    day: TODAY,
    slot,
    personId,
    answers: slot === 'morning' ? { priority: 'x', condition: 4 } : { done: 'x', satisfaction: 4 },
    createdAt: '',
    updatedAt: '',
  });
  const facts = (leaves: DayFacts['leaves'], checkins: CheckinRecord[] = []): DayFacts => ({
    day: TODAY,
    prompted: new Set([promptedKey('morning', 'A'), promptedKey('evening', 'A')]),
    leaves,
    checkins,
    nearmisses: [],
    kudos: [],
    held: [],
    pairs: [],
  });
  const town = (rows: KpiRow[]) => rows.find((r) => r.key.level === 'town')?.figures;

  it('expects a 午前休 in the evening and a 午後休 in the morning; a whole day in neither', () => {
    const rows = rollupDay(
      people,
      facts(
        new Map([
          ['a1', 'am'],
          ['a2', 'pm'],
          ['a3', undefined],
        ]),
      ),
    );
    // Morning: a2, a4, a5. Evening: a1, a4, a5.
    expect(town(rows)).toMatchObject({ promptsMorning: 3, promptsEvening: 3 });
  });

  it('counts the half someone answered on anyway, so a rate never passes 100%', () => {
    const rows = rollupDay(people, facts(new Map([['a1', 'am']]), [answer('a1', 'morning'), answer('a1', 'evening')]));
    expect(town(rows)).toMatchObject({ promptsMorning: 5, answeredMorning: 1, promptsEvening: 5, answeredEvening: 1 });
  });
});
