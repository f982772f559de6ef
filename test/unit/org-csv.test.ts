import { formatOrgCsvErrors, parseOrgCsv, toOrgCsv, type OrgCsvError } from '../../src/directory/org-csv';
import type { OrgDirectory } from '../../src/directory/org.schema';

const JA_HEADER = '職員番号,氏名,所属,グループ,役職,上司職員番号,メールアドレス,人事';

function csv(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** A small valid org: 町長 ← 課長 ← 主査 ← 主事. */
const LONE_MANAGER = 'M1,佐藤 花子,住民課,,課長,,,';
const VALID_ROWS = [
  'E1,厚真 一郎,,,町長,,e1@example.jp,',
  'M1,佐藤 花子,住民課,,課長,E1,m1@example.jp,',
  'S1,鈴木 次郎,住民課,住民グループ,主査,M1,s1@example.jp,',
  'T1,田中 三郎,住民課,住民グループ,主事,S1,t1@example.jp,',
];

function parseOk(text: string): OrgDirectory {
  const result = parseOrgCsv(text);
  if (!result.ok) throw new Error(`expected ok, got:\n${formatOrgCsvErrors(result.errors)}`);
  return result.directory;
}

function parseErrors(text: string): OrgCsvError[] {
  const result = parseOrgCsv(text);
  if (result.ok) throw new Error('expected errors, got a directory');
  return result.errors;
}

describe('parseOrgCsv: reading', () => {
  it('reads a Japanese header', () => {
    const dir = parseOk(csv(JA_HEADER, ...VALID_ROWS));
    expect(dir.units).toEqual([{ name: '住民課' }]);
    expect(dir.people.map((p) => [p.id, p.role, p.managerId])).toEqual([
      ['E1', 'executive', undefined],
      ['M1', 'manager', 'E1'],
      ['S1', 'senior', 'M1'],
      ['T1', 'staff', 'S1'],
    ]);
    expect(dir.people[3]).toEqual({
      id: 'T1',
      name: '田中 三郎',
      unit: '住民課',
      group: '住民グループ',
      role: 'staff',
      managerId: 'S1',
      email: 't1@example.jp',
      hr: false,
      active: true,
    });
  });

  it('reads an English header in any case, with role keys', () => {
    const dir = parseOk(csv('ID,Name,Kana,UNIT,Group,Role,ManagerId,Email,aadobjectid,HR', 'M1,佐藤 花子,さとう はなこ,住民課,,Manager,,,,yes'));
    expect(dir.people[0]).toMatchObject({ id: 'M1', kana: 'さとう はなこ', role: 'manager', hr: true });
  });

  it('accepts the alternative Japanese column names', () => {
    const dir = parseOk(csv('職員番号,氏名,課,係,役職,上司,メール', 'M1,佐藤 花子,住民課,窓口係,課長,,m1@example.jp'));
    expect(dir.people[0]).toMatchObject({ unit: '住民課', group: '窓口係', email: 'm1@example.jp' });
  });

  it('strips the BOM Excel puts on UTF-8 exports, and handles CRLF', () => {
    const text = '\uFEFF' + [JA_HEADER, ...VALID_ROWS].join('\r\n') + '\r\n';
    expect(parseOk(text).people).toHaveLength(4);
  });

  it('trims cells and skips empty and all-empty lines without shifting line numbers', () => {
    const dir = parseOk(csv(JA_HEADER, '', ' M1 , 佐藤 花子 ,住民課,, 課長 ,,,', ',,,,,,,'));
    expect(dir.people).toEqual([expect.objectContaining({ id: 'M1', name: '佐藤 花子', role: 'manager' })]);
    const errors = parseErrors(csv(JA_HEADER, '', ',,,,,,,', 'M1,佐藤 花子,住民課,,部長,,,'));
    expect(errors.map((e) => e.line)).toEqual([4]);
  });

  it('accepts every Japanese role label, including 町長 and 副町長', () => {
    const rows = ['課長', '主幹', '主査', '主任', '主事', '会計年度任用職員'].map((label, i) => `P${i},職員 ${i},住民課,,${label},,,`);
    const dir = parseOk(csv(JA_HEADER, ...rows, 'X1,町長 太郎,,,町長,,,', 'X2,副町長 次郎,,,副町長,X1,,', 'X3,三,,,町長・副町長,X1,,'));
    expect(dir.people.map((p) => p.role)).toEqual(['manager', 'chief', 'senior', 'lead', 'staff', 'appointee', 'executive', 'executive', 'executive']);
  });

  it('lets an executive have no unit but not anyone else', () => {
    const errors = parseErrors(csv(JA_HEADER, 'X1,町長 太郎,,,町長,,,', 'P1,山田 一,,,主事,,,'));
    expect(errors).toEqual([{ line: 3, column: '所属', message: expect.stringContaining('必須') }]);
  });

  it('parses the 人事 cell', () => {
    const values: Array<[string, boolean]> = [
      ['○', true],
      ['〇', true],
      ['1', true],
      ['true', true],
      ['TRUE', true],
      ['yes', true],
      ['はい', true],
      ['', false],
      ['×', false],
      ['0', false],
      ['false', false],
      ['no', false],
      ['いいえ', false],
    ];
    const rows = values.map(([cell], i) => `P${i},職員 ${i},総務課,,主事,,,${cell}`);
    const dir = parseOk(csv(JA_HEADER, ...rows));
    expect(dir.people.map((p) => p.hr)).toEqual(values.map(([, hr]) => hr));
  });

  it('rejects an unknown 人事 value', () => {
    const errors = parseErrors(csv(JA_HEADER, 'P1,山田 一,総務課,,主事,,,たぶん'));
    expect(errors).toEqual([{ line: 2, column: '人事', message: expect.stringContaining('「たぶん」') }]);
  });

  it('treats full-width letters and digits in ids and emails as half-width', () => {
    const dir = parseOk(csv(JA_HEADER, 'Ｍ１,佐藤 花子,住民課,,課長,,ｍ１@example.jp,', 'P1,山田 一,住民課,,主事,Ｍ１,,'));
    expect(dir.people.map((p) => [p.id, p.managerId, p.email])).toEqual([
      ['M1', undefined, 'm1@example.jp'],
      ['P1', 'M1', undefined],
    ]);
  });

  it('derives units in file order', () => {
    const dir = parseOk(csv(JA_HEADER, 'A,a,建設課,,課長,,,', 'B,b,住民課,,課長,,,', 'C,c,建設課,,主事,A,,', 'D,d,総務課,,課長,,,'));
    expect(dir.units.map((u) => u.name)).toEqual(['建設課', '住民課', '総務課']);
  });
});

describe('parseOrgCsv: errors', () => {
  it('reports an unknown role with the example message', () => {
    const errors = parseErrors(csv(JA_HEADER, LONE_MANAGER, 'P1,山田 一,住民課,,部長,M1,,'));
    expect(formatOrgCsvErrors(errors)).toBe('3行目 役職: 「部長」は役職として使えません（課長・主幹・主査・主任・主事・会計年度任用職員・町長・副町長）');
  });

  it('reports unknown and missing header columns on line 1', () => {
    const errors = parseErrors(csv('職員番号,氏名,部署名', 'P1,山田 一,住民課'));
    expect(errors).toEqual(
      expect.arrayContaining([
        { line: 1, column: '部署名', message: expect.stringContaining('使えない列名') },
        { line: 1, column: '役職', message: '必須の列がありません' },
      ]),
    );
    expect(errors).toHaveLength(2);
  });

  it('reports an unknown column even when the rest is fine', () => {
    const errors = parseErrors(csv(JA_HEADER + ',備考', 'M1,佐藤 花子,住民課,,課長,,,,メモ'));
    expect(errors).toEqual([{ line: 1, column: '備考', message: expect.stringContaining('使えない列名') }]);
  });

  it('reports a missing 所属 column when non-executives are present', () => {
    const errors = parseErrors(csv('職員番号,氏名,役職', 'P1,山田 一,主事'));
    expect(errors).toEqual([{ line: 1, column: '所属', message: expect.stringContaining('必須の列がありません') }]);
  });

  it('reports two columns meaning the same thing', () => {
    const errors = parseErrors(csv('職員番号,氏名,所属,課,役職', 'P1,山田 一,住民課,住民課,主事'));
    expect(errors).toEqual([{ line: 1, column: '所属', message: expect.stringContaining('「所属」と「課」') }]);
  });

  it('reports an empty file and a header without rows', () => {
    expect(parseErrors('')).toEqual([{ line: 1, message: '見出し行がありません' }]);
    expect(parseErrors(csv(JA_HEADER))).toEqual([{ line: 1, message: 'データ行がありません' }]);
  });

  it('reports every duplicate 職員番号 line, pointing at the first', () => {
    const errors = parseErrors(
      csv(JA_HEADER, 'P1,山田 一,住民課,,課長,,,', 'P1,山田 二,住民課,,主事,,,', 'P2,山田 三,住民課,,主事,,,', 'P1,山田 四,住民課,,主事,,,'),
    );
    expect(errors).toEqual([
      { line: 3, column: '職員番号', message: '「P1」が重複しています（2行目と同じ）' },
      { line: 5, column: '職員番号', message: '「P1」が重複しています（2行目と同じ）' },
    ]);
  });

  it('reports duplicate emails (case-insensitive) and AAD object ids', () => {
    const header = '職員番号,氏名,所属,役職,メールアドレス,AADオブジェクトID';
    const aad = '3c1c2a4e-6f0e-4b8e-9a52-1d2a6b0c0a01';
    const errors = parseErrors(csv(header, `P1,a,住民課,主事,a@example.jp,${aad}`, `P2,b,住民課,主事,A@Example.jp,`, `P3,c,住民課,主事,,${aad.toUpperCase()}`));
    expect(errors).toEqual([
      { line: 3, column: 'メールアドレス', message: expect.stringContaining('2行目と同じ') },
      { line: 4, column: 'AADオブジェクトID', message: expect.stringContaining('2行目と同じ') },
    ]);
  });

  it('reports a manager who is not in the file', () => {
    const errors = parseErrors(csv(JA_HEADER, 'P1,山田 一,住民課,,主事,NOPE,,'));
    expect(errors).toEqual([{ line: 2, column: '上司職員番号', message: '「NOPE」はこのファイルの職員番号にありません' }]);
  });

  it('reports a person who is their own manager', () => {
    const errors = parseErrors(csv(JA_HEADER, LONE_MANAGER, 'P1,山田 一,住民課,,主事,P1,,'));
    expect(errors).toEqual([{ line: 3, column: '上司職員番号', message: '自分自身（P1）を上司にできません' }]);
  });

  it('reports a manager cycle once, at its first line', () => {
    const errors = parseErrors(
      csv(JA_HEADER, 'T1,t,住民課,,主事,,,', 'A,a,住民課,,主事,B,,', 'B,b,住民課,,主任,C,,', 'C,c,住民課,,主査,A,,', 'D,d,住民課,,主事,A,,'),
    );
    expect(errors).toEqual([{ line: 3, column: '上司職員番号', message: expect.stringContaining('A → B → C → A') }]);
  });

  it('reports malformed ids, emails and AAD object ids through the schema, in Japanese', () => {
    const header = '職員番号,氏名,所属,役職,メールアドレス,AADオブジェクトID';
    const errors = parseErrors(csv(header, 'P 1,a,住民課,主事,,', 'P2,b,住民課,主事,not-mail,', 'P3,c,住民課,主事,,1234'));
    expect(errors).toEqual([
      { line: 2, column: '職員番号', message: expect.stringContaining('職員番号の形式ではありません') },
      { line: 3, column: 'メールアドレス', message: expect.stringContaining('「not-mail」はメールアドレスの形式ではありません') },
      { line: 4, column: 'AADオブジェクトID', message: expect.stringContaining('UUID') },
    ]);
  });

  it('reports a too-long name with its limit', () => {
    const errors = parseErrors(csv(JA_HEADER, `P1,${'あ'.repeat(101)},住民課,,主事,,,`));
    expect(errors).toEqual([{ line: 2, column: '氏名', message: expect.stringContaining('100文字まで') }]);
  });

  it('reports every bad row, not just the first, and returns no directory', () => {
    const result = parseOrgCsv(
      csv(
        JA_HEADER,
        ...VALID_ROWS,
        'B1,,住民課,,主事,M1,,',
        'B2,悪い 例,住民課,,部長,M1,,',
        'B3,悪い 例二,住民課,,主事,M1,,maybe',
        'B4,悪い 例三,住民課,,主事,ZZ,,',
      ),
    );
    expect(result.ok).toBe(false);
    expect('directory' in result).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [6, '氏名'],
      [7, '役職'],
      [8, '人事'],
      [9, '上司職員番号'],
    ]);
  });

  it('gives the starting physical line of a record with a quoted line break', () => {
    const errors = parseErrors(csv(JA_HEADER, 'P1,"山田\n一",住民課,,部長,,,', 'P2,b,住民課,,部長,,,'));
    expect(errors.map((e) => e.line)).toEqual([2, 4]);
  });

  it('reports values in columns without a header', () => {
    const errors = parseErrors(csv(JA_HEADER, 'P1,a,住民課,,主事,,,,余計'));
    expect(errors).toEqual([{ line: 2, message: expect.stringContaining('9列目') }]);
  });

  it('reports broken quoting instead of throwing', () => {
    const errors = parseErrors(csv(JA_HEADER, 'P1,"a,住民課,,主事,,,'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('引用符');
  });

  it('reports text that was not decoded as UTF-8', () => {
    const errors = parseErrors(csv(JA_HEADER, 'P1,\uFFFD\uFFFD,住民課,,主事,,,'));
    expect(errors).toEqual([{ line: 2, message: expect.stringContaining('UTF-8') }]);
  });
});

describe('formatOrgCsvErrors', () => {
  it('writes one Japanese line per error, with the column when known', () => {
    expect(
      formatOrgCsvErrors([
        { line: 1, column: '役職', message: '必須の列がありません' },
        { line: 4, message: 'データ行がありません' },
      ]),
    ).toBe('1行目 役職: 必須の列がありません\n4行目: データ行がありません');
  });
});

describe('toOrgCsv', () => {
  const directory = parseOk(csv(JA_HEADER, ...VALID_ROWS, 'H1,"人事, 花子",総務課,"総務""人事""",主任,M1,h1@example.jp,○'));

  it('writes a BOM, the Japanese header and Japanese role labels', () => {
    const text = toOrgCsv(directory);
    expect(text.startsWith('\uFEFF職員番号,氏名,ふりがな,所属,グループ,役職,上司職員番号,メールアドレス,AADオブジェクトID,人事\r\n')).toBe(true);
    expect(text).toContain('M1,佐藤 花子,,住民課,,課長,E1,m1@example.jp,,\r\n');
    expect(text).toContain('H1,"人事, 花子",,総務課,"総務""人事""",主任,M1,h1@example.jp,,○\r\n');
  });

  it('round-trips, including quotes and commas', () => {
    expect(parseOk(toOrgCsv(directory))).toEqual(directory);
  });
});
