import { monthsOf, parsePeriod, PeriodIdError, periodsOfDay, previousYearOf, periodStarts, dayNumber } from '../../src/features/kpi/kpi.period';

describe('KPI periods: months, 上期/下期 and fiscal years (April–March)', () => {
  it('reads FY2026H1, FY2026H2, FY2026 and 2026-05 into their first and last days', () => {
    expect(parsePeriod('FY2026H1')).toEqual({ id: 'FY2026H1', kind: 'half', from: '2026-04-01', to: '2026-09-30' });
    expect(parsePeriod('FY2026H2')).toEqual({ id: 'FY2026H2', kind: 'half', from: '2026-10-01', to: '2027-03-31' });
    expect(parsePeriod('FY2026')).toEqual({ id: 'FY2026', kind: 'year', from: '2026-04-01', to: '2027-03-31' });
    expect(parsePeriod('2026-05')).toEqual({ id: '2026-05', kind: 'month', from: '2026-05-01', to: '2026-05-31' });
    expect(parsePeriod('2028-02').to).toBe('2028-02-29');
    expect(parsePeriod(' fy2026h2 ').id).toBe('FY2026H2');
  });

  it.each(['FY2026H3', 'FY26', '2026-13', '2026-5', 'H1', '', 'FY1999', '上期'])('refuses %p, saying what a period looks like', (id) => {
    expect(() => parsePeriod(id)).toThrow(PeriodIdError);
    expect(() => parsePeriod(id)).toThrow(/FY2026H1 \(上期 Apr–Sep\), FY2026H2 \(下期 Oct–Mar\), FY2026 \(fiscal year Apr–Mar\) or 2026-05/);
  });

  it('puts 2026-09-30 in FY2026H1 and 2026-10-01 in FY2026H2; 2027-03-31 ends FY2026, 2027-04-01 starts FY2027', () => {
    expect(periodsOfDay('2026-09-30')).toEqual({ month: '2026-09', half: 'FY2026H1', year: 'FY2026' });
    expect(periodsOfDay('2026-10-01')).toEqual({ month: '2026-10', half: 'FY2026H2', year: 'FY2026' });
    expect(periodsOfDay('2027-03-31')).toEqual({ month: '2027-03', half: 'FY2026H2', year: 'FY2026' });
    expect(periodsOfDay('2027-04-01')).toEqual({ month: '2027-04', half: 'FY2027H1', year: 'FY2027' });
    expect(periodStarts('2027-03-31')).toEqual({ month: dayNumber('2027-03-01'), half: dayNumber('2026-10-01'), year: dayNumber('2026-04-01') });
  });

  it('compares with the same period one year earlier and lists its months', () => {
    expect(previousYearOf(parsePeriod('FY2026H2')).id).toBe('FY2025H2');
    expect(previousYearOf(parsePeriod('FY2026')).id).toBe('FY2025');
    expect(previousYearOf(parsePeriod('2026-05')).id).toBe('2025-05');
    expect(monthsOf(parsePeriod('FY2026H2'))).toEqual(['2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']);
    expect(monthsOf(parsePeriod('FY2026'))).toHaveLength(12);
    expect(monthsOf(parsePeriod('2026-05'))).toEqual(['2026-05']);
  });
});
