import type { CheckinRecord } from '../../src/features/checkin/checkin.schema';
import { aggregate } from '../../src/features/kpi/kpi.aggregate';
import { averageOf, type Figures, type GroupKey } from '../../src/features/kpi/kpi.figures';
import { lateIntervals, pairOnDay, type PairHistory } from '../../src/features/kpi/kpi.oneonone';
import { dayNumber } from '../../src/features/kpi/kpi.period';
import { indexPeople, rollupDay, type DayFacts, type KpiRow } from '../../src/features/kpi/kpi.rollup';
import type { Person } from '../../src/directory/org.schema';

const person = (id: string, unit: string, role: Person['role'] = 'staff'): Person => ({ id, name: id, unit, role, hr: false, active: true });

function morning(personId: string, unit: string, condition: number): CheckinRecord {
  return { tenantId: 't', unit, day: '2026-11-25', slot: 'morning', personId, answers: { priority: 'x', condition }, createdAt: '', updatedAt: '' };
}

function facts(checkins: CheckinRecord[]): DayFacts {
  return { day: '2026-11-25', prompted: new Set(), leaves: new Map(), checkins, nearmisses: [], kudos: [], held: [], pairs: [] };
}

const find = (rows: KpiRow[], key: GroupKey): Figures => {
  const row = rows.find((r) => r.key.level === key.level && (r.key.unit ?? '') === (key.unit ?? '') && (r.key.role ?? '') === (key.role ?? ''));
  if (!row) throw new Error(`no row ${JSON.stringify(key)}`);
  return row.figures;
};

describe('daily rollup: nothing behind fewer than 3 people', () => {
  // A: 1 answer, B: 3 answers, C: 4 answers.
  const people = [person('a1', 'A'), person('b1', 'B'), person('b2', 'B'), person('b3', 'B'), ...['c1', 'c2', 'c3', 'c4'].map((id) => person(id, 'C', 'lead'))];
  const rows = rollupDay(
    indexPeople(people),
    facts([
      morning('a1', 'A', 1),
      morning('b1', 'B', 2),
      morning('b2', 'B', 3),
      morning('b3', 'B', 4),
      ...['c1', 'c2', 'c3', 'c4'].map((id) => morning(id, 'C', 5)),
    ]),
  );

  it('stores an average over 1 person as suppressed, with no count or sum left to read', () => {
    expect(find(rows, { level: 'unit', unit: 'A' }).condition).toEqual({ suppressed: true, count: 0, sum: 0 });
  });

  it('hides the smallest other unit as well, so town minus the published units never gives back one person', () => {
    // Town − C = A + B: four people, not A's one.
    expect(find(rows, { level: 'unit', unit: 'B' }).condition.suppressed).toBe(true);
    expect(averageOf(find(rows, { level: 'unit', unit: 'C' }).condition)).toBe(5);
    expect(averageOf(find(rows, { level: 'town' }).condition)).toBe(3.75); // (1 + 2+3+4 + 5×4) / 8
    // Roles: staff (a1, b1–b3) 4 answers, lead (c1–c4) 4: both shown.
    expect(find(rows, { level: 'role', role: 'staff' }).condition).toEqual({ suppressed: false, count: 4, sum: 10 });
  });

  it('hides a breakdown of kudos in a unit of 1, keeping its total', () => {
    const day = { ...facts([]), kudos: [{ recipientId: 'a1', unit: 'A', value: 'team' as const }] };
    const withKudos = rollupDay(indexPeople(people), day);
    const a = find(withKudos, { level: 'unit', unit: 'A' }).kudos;
    expect(a.total).toBe(1);
    expect(a.suppressed).toBe(true);
    expect(Object.values(a.counts).every((n) => n === 0)).toBe(true);
    expect(find(withKudos, { level: 'town' }).kudos.counts.team).toBe(1);
  });
});

describe('1on1 cadence per pair and day', () => {
  // Since 08-01, every 30 days: due 08-31, late from 09-01; held 09-20 → due 10-20, late again from 10-21.
  const pair: PairHistory = { unit: 'U', role: 'staff', since: dayNumber('2026-08-01'), cadenceDays: 30, held: [dayNumber('2026-09-20')] };
  const intervals = lateIntervals(pair);

  it('finds the late stretches', () => {
    expect(intervals).toEqual([
      [dayNumber('2026-09-01'), dayNumber('2026-09-19')],
      [dayNumber('2026-10-21'), Number.POSITIVE_INFINITY],
    ]);
  });

  it('counts a pair late for the first time in a month, half and fiscal year only once', () => {
    expect(pairOnDay(pair, intervals, '2026-07-31')).toBeUndefined();
    expect(pairOnDay(pair, intervals, '2026-08-31')?.late).toBe(false);
    expect(pairOnDay(pair, intervals, '2026-09-01')?.lateNew).toEqual({ month: true, half: true, year: true });
    expect(pairOnDay(pair, intervals, '2026-09-02')?.lateNew).toEqual({ month: false, half: false, year: false });
    expect(pairOnDay(pair, intervals, '2026-09-20')?.late).toBe(false);
    // October is a new month and a new half (下期), not a new fiscal year.
    expect(pairOnDay(pair, intervals, '2026-10-21')?.lateNew).toEqual({ month: true, half: true, year: false });
    expect(pairOnDay(pair, intervals, '2026-11-01')?.lateNew).toEqual({ month: true, half: false, year: false });
  });
});

describe('periods from days', () => {
  it('adds days up exactly and takes head counts from the last day', () => {
    const people = [person('p1', 'A'), person('p2', 'A'), person('p3', 'A')];
    const day = (d: string, scores: number[]): { figures: Figures; days: number; lastDay: string } => {
      const rows = rollupDay(indexPeople(people), { ...facts(scores.map((s, i) => ({ ...morning(`p${i + 1}`, 'A', s), day: d }))), day: d });
      return { figures: find(rows, { level: 'unit', unit: 'A' }), days: 1, lastDay: d };
    };
    const month = aggregate({ level: 'unit', unit: 'A' }, [day('2026-11-02', [1, 2, 3]), day('2026-11-03', [5, 5]), day('2026-11-04', [4, 4, 4])], 'month');
    // The day with 2 answers was suppressed: (1+2+3 + 4+4+4) / 6.
    expect(month.figures.condition).toEqual({ suppressed: false, count: 6, sum: 18 });
    expect(month.figures.answeredMorning).toBe(8);
    expect(month.days).toBe(3);
    expect(month.lastDay).toBe('2026-11-04');
    expect(month.figures.members).toBe(3);
  });
});
