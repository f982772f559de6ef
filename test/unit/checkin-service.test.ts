import { translator } from '../../src/i18n/i18n';
import { helpRecipients, readSubmit, summariseUnit } from '../../src/features/checkin/checkin.service';
import { readLeaveDay } from '../../src/features/checkin/leave';
import type { CheckinRecord } from '../../src/features/checkin/checkin.schema';
import type { Person, RoleKey } from '../../src/directory/org.schema';

const t = translator('ja');
const person = (id: string, role: RoleKey, managerId?: string, unit = '建設課'): Person => ({
  id,
  name: `名前${id}`,
  role,
  managerId,
  unit,
  hr: false,
  active: true,
});
const record = (personId: string, answers: CheckinRecord['answers'], helpTakenBy?: string): CheckinRecord => ({
  tenantId: 't',
  unit: '建設課',
  day: '2026-11-25',
  slot: 'morning',
  personId,
  answers,
  createdAt: 'x',
  updatedAt: 'x',
  helpTakenBy,
});

describe('check-in submits', () => {
  it('accepts a complete morning answer and coerces its types', () => {
    const reading = readSubmit({ verb: 'checkin.submit', slot: 'morning', day: '2026-11-25', priority: ' 窓口 ', needHelp: 'true', condition: '3' }, t);
    expect(reading).toMatchObject({ ok: true, answers: { priority: '窓口', needHelp: true, condition: 3 } });
  });

  it('names each bad field and keeps what was typed', () => {
    const reading = readSubmit({ verb: 'checkin.submit', slot: 'morning', day: '2026-11-25', priority: '', purpose: 'x'.repeat(250), condition: '0' }, t);
    expect(reading.ok).toBe(false);
    if (reading.ok || reading.slot === undefined) throw new Error('expected field errors');
    expect(reading.errors).toEqual({
      priority: '入力してください',
      purpose: '200文字以内で入力してください（いま 250文字）',
      condition: '1〜5 から選んでください',
    });
    expect(reading.values.purpose).toHaveLength(250);
  });

  it('reads a leaving time as minutes after 17:15 and refuses nonsense', () => {
    const ok = readSubmit({ verb: 'checkin.submit', slot: 'evening', day: '2026-11-25', done: 'x', overtime: '19:15' }, t);
    expect(ok).toMatchObject({ ok: true, answers: { overtime: 120 } });
    const bad = readSubmit({ verb: 'checkin.submit', slot: 'evening', day: '2026-11-25', done: 'x', overtime: '16:00' }, t);
    expect(bad.ok).toBe(false);
  });

  it('treats a submit without slot or day as unreadable, not as a field error', () => {
    expect(readSubmit({ verb: 'checkin.submit' }, t)).toEqual({ ok: false, slot: undefined });
    expect(readSubmit('nonsense', t)).toEqual({ ok: false, slot: undefined });
  });
});

describe('unit summary', () => {
  const directory = [
    person('M', 'manager'),
    person('A', 'staff', 'M'),
    person('B', 'staff', 'M'),
    person('C', 'staff', 'M'),
    person('D', 'staff', 'M'),
    person('X', 'staff', undefined, '住民課'),
  ];

  it('counts answered, not answered and leave, and lists troubles with who took them', () => {
    const records = [record('A', { priority: 'p', trouble: '困った', needHelp: true, condition: 2 }, 'M'), record('B', { priority: 'p', condition: 4 })];
    const summary = summariseUnit('建設課', '2026-11-25', 'morning', directory, records, new Set(['C']));
    expect(summary.members).toBe(5);
    expect(summary.answered.map((p) => p.id)).toEqual(['A', 'B']);
    expect(summary.onLeave.map((p) => p.id)).toEqual(['C']);
    expect(summary.notAnswered.map((p) => p.id)).toEqual(['M', 'D']);
    expect(summary.troubles).toEqual([expect.objectContaining({ text: '困った', needHelp: true, takenBy: directory[0] })]);
    expect(summary.averageScore).toBeUndefined();
  });

  it('gives the average only when at least 3 answered', () => {
    const records = [record('A', { condition: 2 }), record('B', { condition: 4 }), record('D', { condition: 5 })];
    expect(summariseUnit('建設課', '2026-11-25', 'morning', directory, records, new Set()).averageScore).toBe(3.7);
  });
});

describe('help recipients and leave days', () => {
  it('sends to the escalation target and the manager, each once', () => {
    const dir = [person('M', 'manager'), person('S', 'senior', 'M'), person('L', 'lead', 'S'), person('ST', 'staff', 'L')];
    expect(helpRecipients(dir[3]!, dir).map((p) => p.id)).toEqual(['L']);
    expect(helpRecipients(dir[1]!, dir).map((p) => p.id)).toEqual(['M']);
  });

  it('reads 休み, 11/26, 2026-11-26 and refuses a past day', () => {
    expect(readLeaveDay('', '2026-11-25')).toEqual({ ok: true, day: '2026-11-25' });
    expect(readLeaveDay('11/26', '2026-11-25')).toEqual({ ok: true, day: '2026-11-26' });
    expect(readLeaveDay('１月５日', '2026-12-20')).toEqual({ ok: true, day: '2027-01-05' });
    expect(readLeaveDay('2026-11-01', '2026-11-25')).toEqual({ ok: false, reason: 'past', day: '2026-11-01' });
    expect(readLeaveDay('来週', '2026-11-25')).toEqual({ ok: false, reason: 'invalid' });
  });
});
