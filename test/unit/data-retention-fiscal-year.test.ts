import { lastFiscalYearEndedBy } from '../../src/features/data/retention.rules';

describe('retention by fiscal year', () => {
  it('names the last fiscal year that ended on or before the cutoff (a year ends on 31 March)', () => {
    expect(lastFiscalYearEndedBy('2026-03-31')).toBe(2025);
    expect(lastFiscalYearEndedBy('2026-03-30')).toBe(2024);
    expect(lastFiscalYearEndedBy('2026-04-01')).toBe(2025);
    expect(lastFiscalYearEndedBy('2026-12-31')).toBe(2025);
    expect(lastFiscalYearEndedBy('2027-01-05')).toBe(2025);
  });
});
