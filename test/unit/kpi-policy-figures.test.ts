import { rowKeyOf } from '../../src/features/kpi/kpi.figures';
import { policyColumns, readPolicy } from '../../src/features/kpi/kpi.policy-entity';
import {
  leaveMeasured,
  ojtOnTrackMeasured,
  ojtPlannedMeasured,
  policyRows,
  trainingMeasured,
  type PolicyFigures,
  type PolicyRow,
} from '../../src/features/kpi/kpi.policy-figures';
import { indexPeople } from '../../src/features/kpi/kpi.rollup';
import type { Person } from '../../src/directory/org.schema';

const person = (id: string, unit: string | undefined, role: Person['role']): Person => ({ id, name: id, unit, role, hr: false, active: true });

/** 建設課 5, 総務課 2, 住民課 3; roles: 課長 3, 主査 2, 主任 1, 主事 3, 会計年度 1. */
const PEOPLE = indexPeople([
  person('M', '建設課', 'manager'),
  person('C', '建設課', 'senior'),
  person('L', '建設課', 'lead'),
  person('X', '建設課', 'staff'),
  person('Y', '建設課', 'appointee'),
  person('M2', '総務課', 'manager'),
  person('H', '総務課', 'staff'),
  person('M3', '住民課', 'manager'),
  person('J', '住民課', 'senior'),
  person('K', '住民課', 'staff'),
]);

const TAKEN: Record<string, number> = { M: 10, C: 14, L: 16, X: 12, Y: 8, M2: 5, H: 15, M3: 10, J: 14, K: 18 };
const leave = Object.entries(TAKEN).map(([personId, takenDays]) => ({ personId, grantedDays: 20, takenDays }));

const of = (rows: PolicyRow[], rowKey: string): PolicyFigures => {
  const row = rows.find((r) => rowKeyOf(r.key) === rowKey);
  if (!row) throw new Error(`no row ${rowKey}`);
  return row.figures;
};

describe('有給休暇 / 研修 / OJT snapshots by 課 and 役職', () => {
  const rows = policyRows(PEOPLE, { paidLeave: leave, training: [], ojt: [] });

  it('adds each person’s days up under the town, their current 課 and 役職', () => {
    // Town: 10 people, 200 days granted, 122 taken.
    expect(of(rows, 'town').leave).toEqual({ suppressed: false, people: 10, grantedDays: 200, takenDays: 122 });
    expect(leaveMeasured(of(rows, 'town'))).toBe(0.61);
    // 建設課: 10 + 14 + 16 + 12 + 8 = 60 of 100.
    expect(of(rows, 'unit|建設課').leave).toEqual({ suppressed: false, people: 5, grantedDays: 100, takenDays: 60 });
    expect(of(rows, 'role|manager').leave).toEqual({ suppressed: false, people: 3, grantedDays: 60, takenDays: 25 });
  });

  it('hides a 課 of 2, and its smallest sibling too, so the town minus the shown 課 does not give the 2 back', () => {
    expect(of(rows, 'unit|総務課').leave).toEqual({ suppressed: true, people: 0, grantedDays: 0, takenDays: 0 });
    // 住民課 has 3 people and would be shown on its own (70%); town − 建設課 would then be 総務課's 20 of 40.
    expect(of(rows, 'unit|住民課').leave.suppressed).toBe(true);
    expect(leaveMeasured(of(rows, 'unit|住民課'))).toBeNull();
    expect(of(rows, 'unit|建設課').leave.suppressed).toBe(false);
    // 主任 1, 会計年度 1, 主査 2 are hidden: together 4, so 課長 and 主事 stay.
    for (const role of ['lead', 'appointee', 'senior']) expect(of(rows, `role|${role}`).leave.suppressed).toBe(true);
    for (const role of ['manager', 'staff']) expect(of(rows, `role|${role}`).leave.suppressed).toBe(false);
  });

  it('counts someone no longer in the directory under 課 "" and 役職 "", and skips people granted nothing', () => {
    const more = policyRows(PEOPLE, {
      paidLeave: [...leave, { personId: 'GONE', grantedDays: 20, takenDays: 20 }, { personId: 'NEW', grantedDays: 0, takenDays: 0 }],
      training: [],
      ojt: [],
    });
    expect(of(more, 'town').leave.people).toBe(11);
    expect(of(more, 'unit|').leave.suppressed).toBe(true);
    expect(of(more, 'role|').leave.suppressed).toBe(true);
    // 総務課 (2) and the unknown one (1) already hide 3: 住民課 is shown.
    expect(of(more, 'unit|住民課').leave).toEqual({ suppressed: false, people: 3, grantedDays: 60, takenDays: 42 });
  });

  it('研修: people who attended every required training; OJT: plans, and plans on track among them', () => {
    const training = Object.keys(TAKEN).map((personId) => ({ personId, required: 2, completed: personId === 'X' ? 1 : 3 }));
    const ojt = ['L', 'X', 'Y', 'H', 'K', 'J'].map((personId) => ({ personId, planned: personId !== 'H', onTrack: ['L', 'X', 'K', 'H'].includes(personId) }));
    const town = of(policyRows(PEOPLE, { paidLeave: [], training: [...training, { personId: 'M', required: 0, completed: 0 }], ojt }), 'town');
    expect(town.training).toEqual({ suppressed: false, people: 10, completed: 9 });
    expect(trainingMeasured(town)).toBe(0.9);
    // H is on track without a plan: not counted.
    expect(town.ojt).toEqual({ suppressed: false, juniors: 6, planned: 5, onTrack: 3 });
    expect(ojtPlannedMeasured(town)).toBe(0.8333);
    expect(ojtOnTrackMeasured(town)).toBe(0.6);
    // Nothing to measure reads as no data, not hidden.
    expect(leaveMeasured(town)).toBeUndefined();
  });

  it('stores a hidden group as its flag only, and reads the columns back', () => {
    const hidden = policyColumns(of(rows, 'unit|総務課'));
    expect(hidden).toMatchObject({ leaveSuppressed: true, trainingSuppressed: false, ojtSuppressed: false });
    for (const column of ['leavePeople', 'leaveGrantedDays', 'leaveTakenDays', 'leaveRate']) expect(hidden).not.toHaveProperty(column);
    const town = policyColumns(of(rows, 'town'));
    expect(town).toMatchObject({ leavePeople: 10, leaveGrantedDays: { value: '200', type: 'Double' }, leaveRate: { value: '0.61', type: 'Double' } });
    expect(
      readPolicy({ leaveSuppressed: false, leavePeople: 10, leaveGrantedDays: 200, leaveTakenDays: 122, trainingSuppressed: true, ojtSuppressed: false }),
    ).toEqual({
      leave: { suppressed: false, people: 10, grantedDays: 200, takenDays: 122 },
      training: { suppressed: true, people: 0, completed: 0 },
      ojt: { suppressed: false, juniors: 0, planned: 0, onTrack: 0 },
    });
    expect(readPolicy({ members: 3 })).toBeUndefined();
  });
});
