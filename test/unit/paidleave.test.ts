import { PERSON_TABLES } from '../../src/features/data/person-records';
import type { Person } from '../../src/directory/org.schema';
import { formatPaidLeaveErrors, parsePaidLeaveCsv, readDay, readDays, readFiscalYear, type PaidLeaveCsvRow } from '../../src/features/paidleave/paidleave.csv';
import { matchPeople } from '../../src/features/paidleave/paidleave.import';
import { PAIDLEAVE_TABLE } from '../../src/features/paidleave/paidleave.repository';
import type { PaidLeaveGrant } from '../../src/features/paidleave/paidleave.schema';
import { paidLeaveRate, takenDaysOf, tallyPaidLeave } from '../../src/features/paidleave/paidleave.tally';
import { translator } from '../../src/i18n/i18n';

const ja = translator('ja');
const en = translator('en');
const TODAY = '2026-11-25';

const grant = (over: Partial<PaidLeaveGrant> = {}): PaidLeaveGrant => ({
  fiscalYear: 2026,
  personId: 'A1',
  grantedDays: 20,
  importedAt: '2026-10-01T00:00:00Z',
  ...over,
});

describe('paid-leave cells', () => {
  it('reads the fiscal year in the forms HR writes it', () => {
    expect(['2026', 'FY2026', 'fy２０２６', '2026年度', '令和8年度', 'R8', '令和８'].map(readFiscalYear)).toEqual(Array(7).fill(2026));
    expect(readFiscalYear('令和元年度')).toBe(2019);
    expect(['26', '2026-27', 'H30', '1999', ''].map(readFiscalYear)).toEqual(Array(5).fill(undefined));
  });

  it('reads days with half days and hours as fractions, up to 40', () => {
    expect(['20', '12.5', '１２．２５', '3日', '0', '40'].map(readDays)).toEqual([20, 12.5, 12.25, 3, 0, 40]);
    expect(['-1', '40.5', '41', '1.125', 'abc', '1,5'].map(readDays)).toEqual(Array(6).fill(undefined));
  });

  it('reads a day as YYYY-MM-DD and refuses one that is not on the calendar', () => {
    expect(['2026-09-30', '2026/9/30', '2026年9月30日', '2026.09.30'].map(readDay)).toEqual(Array(4).fill('2026-09-30'));
    expect(['2026-02-30', '9/30', '20260930'].map(readDay)).toEqual([undefined, undefined, undefined]);
  });
});

describe('parsePaidLeaveCsv', () => {
  const header = '年度,職員番号,氏名,付与日数,取得日数,取得日数の基準日';

  it('reads a good file, giving days taken without a date the day of the import', () => {
    const result = parsePaidLeaveCsv(`\uFEFF${header}\r\n2026,A1,山田,20,5,2026-09-30\r\n令和8年度,A2,佐藤,15.5,3\r\nFY2026,A3,,10,,\r\n`, ja, TODAY);
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 2, fiscalYear: 2026, personId: 'A1', email: undefined, grantedDays: 20, takenDays: 5, takenAsOf: '2026-09-30' },
        { line: 3, fiscalYear: 2026, personId: 'A2', email: undefined, grantedDays: 15.5, takenDays: 3, takenAsOf: TODAY },
        { line: 4, fiscalYear: 2026, personId: 'A3', email: undefined, grantedDays: 10, takenDays: undefined, takenAsOf: undefined },
      ],
    });
  });

  it('dates days taken for a past year at its last day', () => {
    const result = parsePaidLeaveCsv('年度,メールアドレス,付与日数,取得日数\n2025,A1@Town.example.jp,20,14\n', ja, TODAY);
    expect(result.ok && result.rows[0]).toMatchObject({ email: 'a1@town.example.jp', takenAsOf: '2026-03-31' });
  });

  it('names every bad line and column in Japanese', () => {
    const csv = [
      header,
      '2026,A1,,abc,,',
      'R8,,,20,,',
      '2026,A/3,,20,,',
      '2026,A4,,10,12,2026-09-30',
      '2026,A5,,10,,2026-09-30',
      '2026,A6,,10,2,2027-04-01',
      '2026,A7,,10,2,2026-12-01',
      '2027,A8,,10,2,',
      'そのうち,A9,,10,,',
    ].join('\n');
    const result = parsePaidLeaveCsv(csv, ja, TODAY);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatPaidLeaveErrors(result.errors, ja).split('\n')).toEqual([
      '2行目 付与日数: 「abc」は日数として使えません（0〜40の数、小数は2桁まで。例: 20・12.5）',
      '3行目: 職員番号かメールアドレスのどちらかが必要です',
      '4行目 職員番号: 「A/3」は職員番号の形式ではありません（半角英数字・「-」・「_」のみ）',
      '5行目 取得日数: 取得日数 12 が付与日数 10 を超えています',
      '6行目 取得日数の基準日: 取得日数がない行に基準日は書けません',
      '7行目 取得日数の基準日: 2027-04-01 は令和8年度（FY2026）の日付ではありません（4月1日〜翌年3月31日）',
      '8行目 取得日数の基準日: 2026-12-01 はまだ来ていない日です',
      '9行目 取得日数: 令和9年度（FY2027）はまだ始まっていないため、取得日数は書けません',
      '10行目 年度: 「そのうち」は年度として読めません（例: 2026・FY2026・令和8年度）',
    ]);
  });

  it('refuses a file whose columns it cannot read, in English when asked', () => {
    const result = parsePaidLeaveCsv('年度,氏名,付与日数,残日数\n2026,山田,20,5\n', en, TODAY);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatPaidLeaveErrors(result.errors, en).split('\n')).toEqual([
      'line 1 残日数: "残日数" is not a column hibi knows (columns: 年度・職員番号・メールアドレス・氏名・付与日数・取得日数・取得日数の基準日)',
      'line 1: A 職員番号 (staff number) or メールアドレス (email) column is required',
    ]);
    expect(parsePaidLeaveCsv('職員番号,付与日数\nA1,20\n', ja, TODAY)).toEqual({
      ok: false,
      errors: [{ line: 1, column: '年度', message: '必須の列がありません' }],
    });
    expect(parsePaidLeaveCsv('年度,職員番号,付与日数\n', ja, TODAY)).toEqual({ ok: false, errors: [{ line: 1, message: 'データ行がありません' }] });
    expect(parsePaidLeaveCsv('年度,職員番号,付与日数\n2026,"A1,20\n', ja, TODAY)).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('CSVとして読めません') }],
    });
    expect(parsePaidLeaveCsv('年度,職員番号,付与日数\n2026,A1,20,余り\n', ja, TODAY)).toEqual({
      ok: false,
      errors: [{ line: 2, message: '見出しのない4列目に値「余り」があります' }],
    });
  });
});

describe('matchPeople', () => {
  const people = [
    { id: 'A1', name: '山田', role: 'staff', email: 'a1@town.example.jp', hr: false, active: true },
    { id: 'A2', name: '佐藤', role: 'staff', email: 'a2@town.example.jp', hr: false, active: false },
  ] as Person[];
  const row = (over: Partial<PaidLeaveCsvRow>): PaidLeaveCsvRow => ({ line: 2, fiscalYear: 2026, grantedDays: 20, ...over });

  it('finds people by staff number or email (people who left included) and lists the rest, never guessing', () => {
    const matched = matchPeople(
      [
        row({ personId: 'A1' }),
        row({ line: 3, email: 'a2@town.example.jp' }),
        row({ line: 4, personId: 'a1' }),
        row({ line: 5, email: 'nobody@town.example.jp' }),
      ],
      people,
      'now',
      ja,
    );
    expect(matched.grants.map((g) => [g.line, g.personId])).toEqual([
      [2, 'A1'],
      [3, 'A2'],
    ]);
    expect(matched.unknown).toEqual([
      { line: 4, who: 'a1' },
      { line: 5, who: 'nobody@town.example.jp' },
    ]);
    expect(matched.errors).toEqual([]);
  });

  it('refuses an email that is someone else’s, and one person twice in a year', () => {
    const matched = matchPeople(
      [
        row({ personId: 'A1', email: 'a2@town.example.jp' }),
        row({ line: 3, personId: 'A2' }),
        row({ line: 4, email: 'a2@town.example.jp' }),
        row({ line: 5, personId: 'A2', fiscalYear: 2025 }),
      ],
      people,
      'now',
      ja,
    );
    expect(formatPaidLeaveErrors(matched.errors, ja).split('\n')).toEqual([
      '2行目 メールアドレス: メールアドレス「a2@town.example.jp」は職員番号 A1 の職員のものではありません',
      '4行目: A2・令和8年度（FY2026）の行が重複しています（3行目と同じ）',
    ]);
    expect(matched.grants.map((g) => [g.personId, g.fiscalYear])).toEqual([
      ['A2', 2026],
      ['A2', 2025],
    ]);
  });
});

describe('days taken and the rate', () => {
  // 2026-05-06 is a national holiday (振替休日), 05-09 a Saturday: a 休み on them is no paid leave.
  const leaves = ['2026-03-31', '2026-05-01', '2026-05-06', '2026-05-07', '2026-05-09', '2026-10-01', '2026-10-02'].map((day) => ({ day }));

  it('counts each 休み office day of the fiscal year up to the day, when HR imported no days taken', () => {
    expect(takenDaysOf(grant(), leaves, '2026-09-30')).toEqual({ takenDays: 2, imported: undefined, leaveDays: 2, through: '2026-09-30' });
    expect(takenDaysOf(grant(), leaves, '2027-06-30').takenDays).toBe(4);
  });

  it('lets HR’s import win for the days it covers and adds the 休み days after its date', () => {
    const imported = grant({ takenDays: 7.5, takenAsOf: '2026-09-30' });
    expect(takenDaysOf(imported, leaves, '2026-09-30')).toEqual({
      takenDays: 7.5,
      imported: { days: 7.5, asOf: '2026-09-30' },
      leaveDays: 0,
      through: '2026-09-30',
    });
    expect(takenDaysOf(imported, leaves, '2026-10-01').takenDays).toBe(8.5);
    // An import dated after the period's end counts days after it: the period counts 休み instead.
    expect(takenDaysOf(imported, leaves, '2026-06-30')).toEqual({ takenDays: 2, imported: undefined, leaveDays: 2, through: '2026-06-30' });
  });

  it('never counts more than was granted', () => {
    expect(takenDaysOf(grant({ grantedDays: 1 }), leaves, '2026-12-31').takenDays).toBe(1);
  });

  it('tallies only people granted days, and rates a group as all taken over all granted', () => {
    const tallies = tallyPaidLeave(
      [grant(), grant({ personId: 'A2', grantedDays: 10, takenDays: 9, takenAsOf: '2026-09-30' }), grant({ personId: 'A3', grantedDays: 0 })],
      (id) => (id === 'A1' ? leaves : []),
      '2026-09-30',
    );
    expect(tallies).toEqual([
      { personId: 'A1', grantedDays: 20, takenDays: 2 },
      { personId: 'A2', grantedDays: 10, takenDays: 9 },
    ]);
    expect(paidLeaveRate(tallies)).toBeCloseTo(11 / 30, 10);
    expect(paidLeaveRate([])).toBeNull();
    expect(paidLeaveRate([{ personId: 'A3', grantedDays: 0, takenDays: 0 }])).toBeNull();
  });
});

describe('the paid-leave table in the data lifecycle', () => {
  it('is searched for a person, so export and purge reach HR’s import', () => {
    const table = PERSON_TABLES.find((t) => t.table === PAIDLEAVE_TABLE);
    expect(table?.change({ entity: { partitionKey: 't|FY2026', rowKey: 'A1', etag: '*' }, relations: ['self'] }, 'A1')).toEqual({ kind: 'delete' });
  });
});
