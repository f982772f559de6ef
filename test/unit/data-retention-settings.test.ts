import { DEFAULT_RETENTION, describeMonths, parseRetentionSet } from '../../src/features/data/retention.settings';

describe('retention settings from `data -- retention --set`', () => {
  it('reads months and keep, for the keys given only', () => {
    expect(parseRetentionSet('checkinTextMonths=24, nearmissTextMonths=keep')).toEqual({
      ok: true,
      values: { checkinTextMonths: 24, nearmissTextMonths: null },
    });
    expect(parseRetentionSet('kpiDailyMonths=1200')).toEqual({ ok: true, values: { kpiDailyMonths: 1200 } });
  });

  it('names every bad key at once, unknown keys and bad values alike', () => {
    const parsed = parseRetentionSet('checkinTextMonths=abc,foo=1,oneononeTextMonths=0,outboxMonths=1201');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(4);
    expect(parsed.problems.find((p) => p.startsWith('checkinTextMonths:'))).toContain('"abc"');
    expect(parsed.problems.find((p) => p.startsWith('foo:'))).toContain('知らない項目');
    expect(parsed.problems.find((p) => p.startsWith('oneononeTextMonths:'))).toContain('1〜1200');
    expect(parsed.problems.find((p) => p.startsWith('outboxMonths:'))).toContain('"1201"');
  });

  it('keeps what the KPI periods are counted from at least through the next fiscal year: 12 months or keep', () => {
    const parsed = parseRetentionSet('paidLeaveMonths=11,trainingMonths=6,trainingNoteMonths=1');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toHaveLength(2);
    expect(parsed.problems.find((p) => p.startsWith('paidLeaveMonths:'))).toContain('12 か月以上');
    expect(parsed.problems.find((p) => p.startsWith('trainingMonths:'))).toContain('"6"');
    expect(parseRetentionSet('paidLeaveMonths=12,trainingMonths=keep,trainingNoteMonths=1')).toEqual({
      ok: true,
      values: { paidLeaveMonths: 12, trainingMonths: null, trainingNoteMonths: 1 },
    });
  });

  it('refuses an entry without "=", a key given twice and an empty set', () => {
    expect(parseRetentionSet('checkinTextMonths')).toMatchObject({ ok: false, problems: [expect.stringContaining('項目=値')] });
    expect(parseRetentionSet('checkinTextMonths=1,checkinTextMonths=2')).toMatchObject({ ok: false, problems: [expect.stringContaining('2 回')] });
    expect(parseRetentionSet(' , ')).toMatchObject({ ok: false });
  });

  it('has the town’s defaults and says them in words', () => {
    expect(DEFAULT_RETENTION).toEqual({
      checkinTextMonths: 12,
      oneononeTextMonths: 60,
      nearmissTextMonths: null,
      outboxMonths: 12,
      kpiDailyMonths: null,
      paidLeaveMonths: 24,
      trainingMonths: 24,
      trainingNoteMonths: 12,
    });
    expect(describeMonths(60)).toBe('5 年（60 か月）');
    expect(describeMonths(18)).toBe('18 か月');
    expect(describeMonths(null)).toBe('削除しない');
  });
});
