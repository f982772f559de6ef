import { fiscalPeriodLabelJa, fiscalPeriodOf, holidayName, isOfficeDay, nextOfficeDay, previousOfficeDay, tokyoDay } from '../../src/calendar/office-calendar';

describe('office calendar', () => {
  it('knows weekdays, weekends and national holidays', () => {
    expect(isOfficeDay('2026-11-24')).toBe(true);
    expect(isOfficeDay('2026-11-28')).toBe(false);
    expect(isOfficeDay('2026-11-23')).toBe(false);
    expect(holidayName('2026-11-23')).toBe('勤労感謝の日');
    expect(holidayName('2026-11-24')).toBeUndefined();
  });

  it('closes for the year-end break, Dec 29 – Jan 3, weekday or not', () => {
    expect(isOfficeDay('2026-12-28')).toBe(true);
    for (const day of ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']) {
      expect(isOfficeDay(day)).toBe(false);
    }
    expect(isOfficeDay('2027-01-04')).toBe(true);
  });

  it('steps over weekends and holidays', () => {
    expect(nextOfficeDay('2026-11-20')).toBe('2026-11-24');
    expect(previousOfficeDay('2026-11-24')).toBe('2026-11-20');
    expect(nextOfficeDay('2026-12-28')).toBe('2027-01-04');
  });

  it('reads the Tokyo day whatever the server time zone', () => {
    expect(tokyoDay(new Date('2026-11-24T15:30:00Z'))).toBe('2026-11-25');
    expect(tokyoDay(new Date('2026-11-24T14:59:59Z'))).toBe('2026-11-24');
  });

  it('places days in the fiscal year and its halves', () => {
    expect(fiscalPeriodOf('2026-09-30')).toMatchObject({ fiscalYear: 2026, half: 'H1', id: 'FY2026H1', end: '2026-09-30' });
    expect(fiscalPeriodOf('2026-10-01')).toMatchObject({ fiscalYear: 2026, half: 'H2', start: '2026-10-01', end: '2027-03-31' });
    expect(fiscalPeriodOf('2027-03-31')).toMatchObject({ fiscalYear: 2026, half: 'H2' });
    expect(fiscalPeriodOf('2027-04-01')).toMatchObject({ fiscalYear: 2027, half: 'H1' });
    expect(fiscalPeriodLabelJa(fiscalPeriodOf('2026-11-25'))).toBe('令和8年度 下期');
  });

  it('rejects something that is not a day', () => {
    expect(() => isOfficeDay('2026-13-01')).toThrow(RangeError);
  });
});
