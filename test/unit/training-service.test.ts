import { syntheticDirectory } from '../../bench/directory';
import { renderPending } from '../../src/features/training/training.cards';
import { effectiveAnswer, type Attendance, type Training } from '../../src/features/training/training.schema';
import {
  attendanceDay,
  completionRate,
  countedTrainings,
  indexAttendance,
  invitees,
  pendingOf,
  reminderDay,
  tallies,
  trainingIdFor,
} from '../../src/features/training/training.service';
import type { Person } from '../../src/directory/org.schema';
import { translator } from '../../src/i18n/i18n';
import { utf16Bytes, CARD_BUDGET_BYTES } from '../../src/cards/render-card';

const person = (id: string, unit: string, role: Person['role'] = 'staff', active = true): Person => ({ id, name: `名 ${id}`, unit, role, active, hr: false });
const training = (id: string, over: Partial<Training> = {}): Training => ({
  tenantId: 't',
  id,
  name: `研修 ${id}`,
  startDay: '2026-10-20',
  endDay: '2026-10-20',
  kind: 'offjt',
  units: [],
  roles: [],
  required: true,
  revision: 1,
  invitedRevision: 1,
  createdAt: '',
  updatedAt: '',
  ...over,
});
const PEOPLE = [
  person('A', '住民課'),
  person('B', '住民課', 'manager'),
  person('C', '建設課', 'appointee'),
  person('X', '住民課', 'staff', false),
  person('MAY', '', 'executive'),
];

describe('研修受講率 (the share of staff who attended all their required trainings)', () => {
  it('counts a person only when they attended every required training, against everyone who had one', () => {
    expect(
      completionRate([
        { required: 2, completed: 2 },
        { required: 1, completed: 1 },
        { required: 2, completed: 1 },
        { required: 1, completed: 0 },
      ]),
    ).toBe(0.5);
    expect(completionRate([{ required: 3, completed: 3 }])).toBe(1);
  });

  it('has no rate when nobody had a required training (rather than 0% or 100%)', () => {
    expect(completionRate([])).toBeNull();
    expect(completionRate([{ required: 0, completed: 0 }])).toBeNull();
  });

  it('tallies each active staff member the counted trainings were for; executives and the inactive are not staff', () => {
    const counted = [training('T1'), training('T2', { units: ['住民課'] }), training('T3', { roles: ['appointee'] })];
    const index = indexAttendance([
      { trainingId: 'T1', personId: 'A', self: 'attended' },
      { trainingId: 'T2', personId: 'A', self: 'attended' },
      { trainingId: 'T1', personId: 'B', self: 'missed' },
      { trainingId: 'T1', personId: 'C', hr: 'attended' },
      { trainingId: 'T3', personId: 'C', self: 'attended', hr: 'missed' },
    ]);
    expect(tallies(counted, PEOPLE, index)).toEqual([
      { personId: 'A', required: 2, completed: 2 },
      { personId: 'B', required: 2, completed: 0 },
      { personId: 'C', required: 2, completed: 1 },
    ]);
    expect(pendingOf(counted, PEOPLE, index).map((p) => [p.person.id, p.trainings.map((t) => t.id)])).toEqual([
      ['B', ['T1', 'T2']],
      ['C', ['T3']],
    ]);
  });

  it('lets HR’s record win over the person’s own answer', () => {
    const both: Attendance = { trainingId: 'T', personId: 'A', self: 'attended', hr: 'missed' };
    expect(effectiveAnswer(both)).toBe('missed');
    expect(effectiveAnswer({ ...both, hr: undefined })).toBe('attended');
    expect(effectiveAnswer(undefined)).toBeUndefined();
  });

  it('counts required trainings that started in the period and are over; not optional ones, nor one still to come', () => {
    const all = [
      training('in'),
      training('optional', { required: false }),
      training('before', { startDay: '2026-09-30', endDay: '2026-10-01' }),
      training('running', { startDay: '2026-11-24', endDay: '2026-11-26' }),
      training('ended', { startDay: '2026-11-24', endDay: '2026-11-25' }),
    ];
    expect(countedTrainings(all, '2026-10-01', '2027-03-31', '2026-11-26').map((t) => t.id)).toEqual(['in', 'ended']);
  });

  it('invites the target 課 and 役職 only', () => {
    expect(invitees(training('T', { units: ['住民課'], roles: ['manager'] }), PEOPLE).map((p) => p.id)).toEqual(['B']);
    expect(invitees(training('T'), PEOPLE).map((p) => p.id)).toEqual(['A', 'B', 'C']);
  });
});

describe('the days a training’s messages go out', () => {
  it('reminds N office days before the first day, skipping weekends and holidays', () => {
    // 2026-11-23 (Mon) is 勤労感謝の日: three office days before Tue 24 Nov are Wed 18, Thu 19, Fri 20.
    expect(reminderDay('2026-11-24', 3)).toBe('2026-11-18');
    expect(reminderDay('2026-11-24', 1)).toBe('2026-11-20');
    expect(reminderDay('2026-11-24', 0)).toBe('2026-11-24');
  });

  it('asks for attendance on the first office day after the last one', () => {
    expect(attendanceDay('2026-11-25')).toBe('2026-11-26');
    expect(attendanceDay('2026-11-27')).toBe('2026-11-30');
    expect(attendanceDay('2026-12-28')).toBe('2027-01-04');
  });

  it('gives the same row the same id, so an import run twice is one training', () => {
    expect(trainingIdFor('接遇研修', '2026-11-24')).toBe(trainingIdFor('接遇研修 ', '2026-11-24'));
    expect(trainingIdFor('接遇研修', '2026-11-24')).toMatch(/^TR-20261124-[0-9a-f]{6}$/);
    expect(trainingIdFor('接遇研修', '2026-11-24')).not.toBe(trainingIdFor('接遇研修', '2026-11-25'));
  });
});

describe('the 未受講 list in a town of 10,000', () => {
  const people = syntheticDirectory(10_000).people;
  const counted = [training('T1'), training('T2')];
  const pending = pendingOf(counted, people, indexAttendance([]));
  const t = translator('ja');
  const textsOf = (card: object): string[] => JSON.stringify(card).match(/"text":"[^"]*"/g) ?? [];

  it('fits one card and accounts for everyone it leaves out, 課 by 課', () => {
    const card = renderPending({ scope: '全体', periodLabel: '令和8年度 下期', trainings: 2, pending, oneUnit: false }, t);
    expect(utf16Bytes(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const texts = textsOf(card).join('\n');
    const listed = (texts.match(/: 研修 T1、研修 T2/g) ?? []).length;
    const more = [...texts.matchAll(/ほか (\d+)名（/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const moreUnits = Number(/ほか \d+課・(\d+)名は/.exec(texts)?.[1] ?? 0);
    expect(listed).toBeGreaterThan(10);
    expect(listed + more + moreUnits).toBe(pending.length);
  });

  it('a 課 of its own says how many did not fit', () => {
    const unit = pending[0]?.person.unit ?? '';
    const ofUnit = pending.filter((p) => p.person.unit === unit);
    const card = renderPending({ scope: unit, periodLabel: '令和8年度 下期', trainings: 2, pending: ofUnit, oneUnit: true }, t);
    const texts = textsOf(card).join('\n');
    const listed = (texts.match(/: 研修 T1、研修 T2/g) ?? []).length;
    const more = Number(/ほか (\d+)名は一覧に入りきりませんでした/.exec(texts)?.[1] ?? 0);
    expect(listed + more).toBe(ofUnit.length);
  });
});
