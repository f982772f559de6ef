import { assignProblem, inForceOn, isOnTrack, keepDone, markSteps, nextStep, ojtRates } from '../../src/features/ojt/ojt.rules';
import { readSteps, type Plan, type Progress } from '../../src/features/ojt/ojt.schema';
import type { Person, RoleKey } from '../../src/directory/org.schema';

const person = (id: string, role: RoleKey, unit = '住民課'): Person => ({ id, name: id, role, unit, hr: false, active: true });
const plan = (over: Partial<Plan> = {}): Plan => ({
  tenantId: 't',
  juniorId: 'X',
  mentorId: 'L',
  goals: '窓口を一人で',
  steps: [
    { text: '手順書を読む', due: '2026-10-15' },
    { text: '同席する', due: '2026-11-30' },
  ],
  formId: 'f',
  createdOn: '2026-10-01',
  savedOn: '2026-10-01',
  createdAt: '',
  updatedAt: '',
  ...over,
});
const progress = (month: string, recordedOn: string, doneSteps: number[] = []): Progress => ({
  tenantId: 't',
  juniorId: 'X',
  month,
  mentorId: 'L',
  doneSteps,
  recordedOn,
  updatedAt: '',
});

describe('the OJT rates', () => {
  it('juniors with a plan over juniors assigned, plans on track over plans', () => {
    const rates = ojtRates([
      { planned: true, onTrack: true },
      { planned: true, onTrack: false },
      { planned: true, onTrack: true },
      { planned: false, onTrack: false },
    ]);
    expect(rates).toEqual({ assigned: 4, planned: 3, onTrack: 2, planRate: 0.75, onTrackRate: 2 / 3 });
  });

  it('has no rate without a denominator, and never counts an unplanned junior as on track', () => {
    expect(ojtRates([])).toEqual({ assigned: 0, planned: 0, onTrack: 0, planRate: null, onTrackRate: null });
    expect(ojtRates([{ planned: false, onTrack: true }])).toEqual({ assigned: 1, planned: 0, onTrack: 0, planRate: 0, onTrackRate: null });
  });
});

describe('a plan on track', () => {
  const done = plan({
    steps: [
      { text: '手順書を読む', due: '2026-10-15', doneOn: '2026-10-14' },
      { text: '同席する', due: '2026-11-30' },
    ],
  });

  it('is on track with every step due done and progress within the month', () => {
    expect(isOnTrack(done, [progress('2026-11', '2026-11-02', [1])], '2026-11-20')).toBe(true);
  });

  it('is behind when a step due by then is not done, or was done only later', () => {
    expect(isOnTrack(plan(), [progress('2026-11', '2026-11-02')], '2026-11-20')).toBe(false);
    const late = plan({ steps: [{ text: '手順書を読む', due: '2026-10-15', doneOn: '2026-11-25' }] });
    expect(isOnTrack(late, [progress('2026-11', '2026-11-02')], '2026-11-20')).toBe(false);
  });

  it('counts a step due on the day itself as due', () => {
    expect(isOnTrack(done, [progress('2026-11', '2026-11-02')], '2026-11-30')).toBe(false);
  });

  it('is behind when nothing was recorded for over a month, and the plan saved recently counts as a look', () => {
    expect(isOnTrack(done, [progress('2026-10', '2026-10-01')], '2026-11-20')).toBe(false);
    expect(isOnTrack(done, [progress('2026-10', '2026-10-20')], '2026-11-20')).toBe(true);
    expect(isOnTrack({ ...done, savedOn: '2026-11-10' }, [], '2026-11-20')).toBe(true);
  });

  it('ignores what happened after the day asked about', () => {
    expect(isOnTrack(done, [progress('2026-12', '2026-12-01')], '2026-11-20')).toBe(false);
    expect(isOnTrack({ ...done, createdOn: '2026-11-25', savedOn: '2026-11-25' }, [], '2026-11-20')).toBe(false);
  });
});

describe('who may mentor whom', () => {
  const manager = person('M', 'manager');

  it('a 主任 or 主査 of the 課長’s own 課 mentors a 主事 or 会計年度; a 主査 may mentor a 主任', () => {
    expect(assignProblem(manager, person('L', 'lead'), person('X', 'staff'))).toBeUndefined();
    expect(assignProblem(manager, person('S', 'senior'), person('A', 'appointee'))).toBeUndefined();
    expect(assignProblem(manager, person('S', 'senior'), person('L', 'lead'))).toBeUndefined();
  });

  it('refuses anyone else, naming why', () => {
    expect(assignProblem(person('L2', 'lead'), person('L', 'lead'), person('X', 'staff'))).toBe('notManager');
    expect(assignProblem(manager, person('X2', 'staff'), person('X', 'staff'))).toBe('mentorRole');
    expect(assignProblem(manager, person('L', 'lead'), person('L2', 'lead'))).toBe('juniorRole');
    expect(assignProblem(manager, person('L', 'lead'), person('X', 'staff', '建設課'))).toBe('notInUnit');
    expect(assignProblem(manager, person('L', 'lead'), person('L', 'lead'))).toBe('same');
  });
});

describe('steps', () => {
  it('reads rows: blank ones left out, a date without text or a bad date refused at its field, at least one row', () => {
    expect(readSteps({ step1Text: ' 読む ', step1Due: '2026-12-01', step3Text: '同席', step3Due: '2027-01-15' })).toEqual({
      steps: [
        { text: '読む', due: '2026-12-01' },
        { text: '同席', due: '2027-01-15' },
      ],
      problems: {},
    });
    expect(readSteps({ step1Due: '2026-12-01', step2Text: '同席', step2Due: '2026-02-30' }).problems).toEqual({ step1Text: 'stepText', step2Due: 'date' });
    expect(readSteps({}).problems).toEqual({ step1Text: 'noStep' });
    expect(readSteps({ step1Text: 'あ'.repeat(201), step1Due: '2026-12-01' }).problems).toEqual({ step1Text: 'max:200' });
  });

  it('keeps 完了 across a re-saved plan for unchanged steps, and marks a month’s ticks from the day first ticked', () => {
    const before = [{ text: '読む', due: '2026-10-15', doneOn: '2026-10-10' }];
    expect(
      keepDone(before, [
        { text: '読む', due: '2026-10-20' },
        { text: '新しい', due: '2026-12-01' },
      ]),
    ).toEqual([
      { text: '読む', due: '2026-10-20', doneOn: '2026-10-10' },
      { text: '新しい', due: '2026-12-01' },
    ]);
    const marked = markSteps([...before, { text: '同席', due: '2026-11-30' }], [2], '2026-11-02');
    expect(marked).toEqual([
      { text: '読む', due: '2026-10-15' },
      { text: '同席', due: '2026-11-30', doneOn: '2026-11-02' },
    ]);
    expect(nextStep(marked)).toEqual({ text: '読む', due: '2026-10-15' });
  });

  it('an assignment is in force from its day until the day it ended', () => {
    expect(inForceOn({ since: '2026-10-01' }, '2026-10-01')).toBe(true);
    expect(inForceOn({ since: '2026-10-01' }, '2026-09-30')).toBe(false);
    expect(inForceOn({ since: '2026-10-01', endedOn: '2026-11-01' }, '2026-10-31')).toBe(true);
    expect(inForceOn({ since: '2026-10-01', endedOn: '2026-11-01' }, '2026-11-01')).toBe(false);
  });
});
