import { parse, CsvError, type InfoRecord } from 'csv-parse/sync';
import type { z } from 'zod';
import {
  personSchema,
  ROLE_KEYS,
  ROLE_LABELS_JA,
  type OrgDirectory,
  type Person,
  type RoleKey,
  type Unit,
} from './org.schema';

export interface OrgCsvError {
  /** Physical line in the file; the header is line 1. */
  line: number;
  /** Japanese column label (職員番号, 役職, …) when the problem is in one cell or column. */
  column?: string;
  message: string;
}

export type OrgCsvResult = { ok: true; directory: OrgDirectory } | { ok: false; errors: OrgCsvError[] };

const FIELDS = ['id', 'name', 'kana', 'unit', 'group', 'role', 'managerId', 'email', 'aadObjectId', 'hr'] as const;
type Field = (typeof FIELDS)[number];

/** label is what toOrgCsv writes and what errors name; any alias is accepted on import. */
const COLUMNS: Record<Field, { label: string; aliases: readonly string[] }> = {
  id: { label: '職員番号', aliases: ['id'] },
  name: { label: '氏名', aliases: ['name'] },
  kana: { label: 'ふりがな', aliases: ['フリガナ', 'kana'] },
  unit: { label: '所属', aliases: ['課', 'unit'] },
  group: { label: 'グループ', aliases: ['係', 'group'] },
  role: { label: '役職', aliases: ['role'] },
  managerId: { label: '上司職員番号', aliases: ['上司', 'managerId', 'manager'] },
  email: { label: 'メールアドレス', aliases: ['メール', 'email'] },
  aadObjectId: { label: 'AADオブジェクトID', aliases: ['aadObjectId'] },
  hr: { label: '人事', aliases: ['hr'] },
};

const REQUIRED_COLUMNS: readonly Field[] = ['id', 'name', 'role'];

/** Loose form for matching what people type: full-width letters, stray spaces and case do not matter. */
function loose(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

const FIELD_BY_HEADER = new Map<string, Field>(
  FIELDS.flatMap((field) =>
    [COLUMNS[field].label, ...COLUMNS[field].aliases].map((name): [string, Field] => [loose(name), field]),
  ),
);

const EXECUTIVE_TITLES = ['町長', '副町長'];
const ROLE_BY_CELL = new Map<string, RoleKey>([
  ...ROLE_KEYS.map((key): [string, RoleKey] => [loose(key), key]),
  ...ROLE_KEYS.map((key): [string, RoleKey] => [loose(ROLE_LABELS_JA[key]), key]),
  ...EXECUTIVE_TITLES.map((title): [string, RoleKey] => [title, 'executive']),
]);
/** The roles a cell may name, as HR reads them in an error. */
export const ROLE_CHOICES = [
  ...ROLE_KEYS.filter((key) => key !== 'executive').map((key) => ROLE_LABELS_JA[key]),
  ...EXECUTIVE_TITLES,
].join('・');

/** A role as HR writes it (key, 課長…, 町長・副町長), whatever the width and spacing; the Entra sync's mapping reads roles the same way. */
export function roleOfCell(cell: string): RoleKey | undefined {
  return ROLE_BY_CELL.get(loose(cell));
}

// ◯ (U+25EF) is what most Japanese IMEs give for まる, so it is accepted beside ○ and 〇.
const HR_TRUE = new Set(['○', '〇', '◯', '1', 'true', 'yes', 'はい']);
const HR_FALSE = new Set(['', '×', '0', 'false', 'no', 'いいえ']);

/** Full-width digits and letters in ids and addresses are typing accidents, not different values. */
const IDENTIFIER_FIELDS: ReadonlySet<Field> = new Set(['id', 'managerId', 'email', 'aadObjectId']);

const FORMAT_HINTS: Partial<Record<Field, string>> = {
  id: '職員番号の形式ではありません（半角英数字・「-」・「_」のみ）',
  managerId: '職員番号の形式ではありません（半角英数字・「-」・「_」のみ）',
  email: 'メールアドレスの形式ではありません',
  aadObjectId: 'AADオブジェクトID（UUID）の形式ではありません',
};

interface Row {
  line: number;
  cells: Map<Field, string>;
  /** Fields already reported for this row, so whole-file checks do not pile on. */
  badFields: Set<Field>;
  role?: RoleKey;
  person?: Person;
}

interface ParsedRecord {
  record: string[];
  info: InfoRecord;
}

export function parseOrgCsv(text: string): OrgCsvResult {
  const garbled = text.indexOf('\uFFFD');
  if (garbled >= 0) {
    return fail([
      {
        line: lineAt(text, garbled),
        message: '文字化けしています。Excelでは「CSV UTF-8（コンマ区切り）」形式で保存してください',
      },
    ]);
  }

  let records: ParsedRecord[];
  try {
    // csv-parse's sync typings ignore the info option, which turns each record into { record, info }.
    records = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      info: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : 1;
      return fail([{ line, message: `CSVとして読めません（${error.code}）。引用符（"）の対応を確認してください` }]);
    }
    throw error;
  }

  const [headerRecord, ...dataRecords] = records;
  if (!headerRecord) return fail([{ line: 1, message: '見出し行がありません' }]);

  const errors: OrgCsvError[] = [];
  const headerLine = startLine(headerRecord);
  const columnFields = readHeader(headerRecord.record, headerLine, errors);
  const present = new Set(columnFields.filter((f): f is Field => f !== undefined && f !== 'ignored'));
  const missing = REQUIRED_COLUMNS.filter((field) => !present.has(field));
  for (const field of missing) {
    errors.push({ line: headerLine, column: COLUMNS[field].label, message: '必須の列がありません' });
  }
  if (missing.length > 0) return fail(errors);
  if (dataRecords.length === 0) return fail([...errors, { line: headerLine, message: 'データ行がありません' }]);

  const rows = dataRecords.map((r) => readRow(r, columnFields, present.has('unit'), errors));
  if (!present.has('unit') && rows.some((row) => row.role !== 'executive')) {
    errors.push({
      line: headerLine,
      column: COLUMNS.unit.label,
      message: '必須の列がありません（町長・副町長以外の職員には所属が必要です）',
    });
  }

  checkDuplicates(rows, 'id', (v) => v, errors);
  checkDuplicates(rows, 'email', (v) => v.toLowerCase(), errors);
  checkDuplicates(rows, 'aadObjectId', (v) => v.toLowerCase(), errors);
  checkManagers(rows, errors);

  if (errors.length > 0) return fail(errors);

  const people = rows.map((row) => row.person).filter((p): p is Person => p !== undefined);
  const unitNames = [...new Set(people.map((p) => p.unit).filter((u): u is string => u !== undefined))];
  const units: Unit[] = unitNames.map((name) => ({ name }));
  return { ok: true, directory: { units, people } };
}

function fail(errors: OrgCsvError[]): OrgCsvResult {
  // Stable sort keeps per-row order while putting whole-file findings next to the rows they concern.
  return { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) };
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split(/\r\n?|\n/).length;
}

/** info.lines is where a record ends; quoted line breaks push it past where the record starts. */
function startLine({ record, info }: ParsedRecord): number {
  const breaks = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
  return info.lines - breaks;
}

/** 'ignored' marks columns already reported; undefined marks a blank header, whose values must stay blank. */
type ColumnSlot = Field | 'ignored' | undefined;

function readHeader(header: string[], line: number, errors: OrgCsvError[]): ColumnSlot[] {
  const seen = new Map<Field, string>();
  return header.map((raw): ColumnSlot => {
    if (raw === '') return undefined;
    const field = FIELD_BY_HEADER.get(loose(raw));
    if (!field) {
      const known = FIELDS.map((f) => COLUMNS[f].label).join('・');
      errors.push({ line, column: raw, message: `「${raw}」は使えない列名です（使える列: ${known}）` });
      return 'ignored';
    }
    const earlier = seen.get(field);
    if (earlier !== undefined) {
      errors.push({
        line,
        column: COLUMNS[field].label,
        message: `列「${earlier}」と「${raw}」が同じ項目（${COLUMNS[field].label}）を表しています。どちらか一方にしてください`,
      });
      return 'ignored';
    }
    seen.set(field, raw);
    return field;
  });
}

function readRow(
  parsed: ParsedRecord,
  columnFields: ColumnSlot[],
  hasUnitColumn: boolean,
  errors: OrgCsvError[],
): Row {
  const line = startLine(parsed);
  const row: Row = { line, cells: new Map(), badFields: new Set() };
  const report = (field: Field, message: string): void => {
    row.badFields.add(field);
    errors.push({ line, column: COLUMNS[field].label, message });
  };

  parsed.record.forEach((raw, index) => {
    const value = raw.trim();
    const field = columnFields[index];
    if (field === 'ignored') return;
    if (field) row.cells.set(field, IDENTIFIER_FIELDS.has(field) ? value.normalize('NFKC') : value);
    else if (value !== '') {
      errors.push({ line, message: `見出しのない${index + 1}列目に値「${shorten(value)}」があります` });
    }
  });
  const cell = (field: Field): string => row.cells.get(field) ?? '';

  for (const field of ['id', 'name'] as const) {
    if (cell(field) === '') report(field, '必須です');
  }

  const roleCell = cell('role');
  const role = ROLE_BY_CELL.get(loose(roleCell));
  if (roleCell === '') report('role', '必須です');
  else if (!role) report('role', `「${shorten(roleCell)}」は役職として使えません（${ROLE_CHOICES}）`);
  row.role = role;

  if (hasUnitColumn && role && role !== 'executive' && cell('unit') === '') {
    report('unit', `必須です（役職が${ROLE_LABELS_JA[role]}のとき）`);
  }

  const hrCell = loose(cell('hr'));
  const hr = HR_TRUE.has(hrCell) ? true : HR_FALSE.has(hrCell) ? false : undefined;
  if (hr === undefined) {
    report('hr', `「${shorten(cell('hr'))}」は人事の値として使えません（○・1・はい／空欄・×・0・いいえ）`);
  }

  const candidate: Record<string, string | boolean> = { role: role ?? roleCell, hr: hr ?? false };
  for (const field of ['id', 'name', 'kana', 'unit', 'group', 'managerId', 'email', 'aadObjectId'] as const) {
    if (cell(field) !== '') candidate[field] = cell(field);
  }

  const result = personSchema.safeParse(candidate);
  if (result.success) {
    row.person = result.data;
    return row;
  }
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (!isField(field) || row.badFields.has(field)) continue;
    report(field, issueMessage(field, String(candidate[field] ?? ''), issue));
  }
  return row;
}

function isField(key: PropertyKey | undefined): key is Field {
  return typeof key === 'string' && (FIELDS as readonly string[]).includes(key);
}

function issueMessage(field: Field, value: string, issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return '必須です';
    case 'too_big':
      return `「${shorten(value)}」は長すぎます（${String(issue.maximum)}文字まで）`;
    case 'invalid_format':
      return `「${shorten(value)}」は${FORMAT_HINTS[field] ?? '形式が正しくありません'}`;
    default:
      return `「${shorten(value)}」は使えません`;
  }
}

function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

function checkDuplicates(
  rows: Row[],
  field: 'id' | 'email' | 'aadObjectId',
  key: (value: string) => string,
  errors: OrgCsvError[],
): void {
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const value = row.cells.get(field) ?? '';
    if (value === '' || row.badFields.has(field)) continue;
    const first = firstLine.get(key(value));
    if (first === undefined) firstLine.set(key(value), row.line);
    else {
      row.badFields.add(field);
      errors.push({
        line: row.line,
        column: COLUMNS[field].label,
        message: `「${shorten(value)}」が重複しています（${first}行目と同じ）`,
      });
    }
  }
}

function checkManagers(rows: Row[], errors: OrgCsvError[]): void {
  const lineById = new Map<string, number>();
  const allIds = new Set<string>();
  for (const row of rows) {
    const id = row.cells.get('id') ?? '';
    if (id === '') continue;
    allIds.add(id);
    if (!row.badFields.has('id')) lineById.set(id, row.line);
  }

  const managerOf = new Map<string, string>();
  for (const row of rows) {
    const id = row.cells.get('id') ?? '';
    const managerId = row.cells.get('managerId') ?? '';
    if (managerId === '' || row.badFields.has('managerId')) continue;
    if (managerId === id) {
      errors.push({ line: row.line, column: COLUMNS.managerId.label, message: `自分自身（${id}）を上司にできません` });
    } else if (!allIds.has(managerId)) {
      errors.push({
        line: row.line,
        column: COLUMNS.managerId.label,
        message: `「${shorten(managerId)}」はこのファイルの職員番号にありません`,
      });
    } else if (lineById.get(id) === row.line) {
      managerOf.set(id, managerId);
    }
  }

  // Each person has at most one manager, so following the chain from every id finds each cycle once.
  const done = new Set<string>();
  for (const start of lineById.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current) && !onPath.has(current)) {
      path.push(current);
      onPath.add(current);
      current = managerOf.get(current);
    }
    if (current !== undefined && onPath.has(current)) {
      const cycle = path.slice(path.indexOf(current));
      const line = Math.min(...cycle.map((id) => lineById.get(id) ?? Number.POSITIVE_INFINITY));
      errors.push({
        line,
        column: COLUMNS.managerId.label,
        message: `上司をたどると元に戻ってしまいます（${[...cycle, current].join(' → ')}）`,
      });
    }
    path.forEach((id) => done.add(id));
  }
}

/** One line per error, ready to show HR as-is. */
export function formatOrgCsvErrors(errors: readonly OrgCsvError[]): string {
  return errors.map((e) => `${e.line}行目${e.column ? ` ${e.column}` : ''}: ${e.message}`).join('\n');
}

/** Writes what parseOrgCsv reads; BOM and CRLF so Excel opens it as UTF-8 without asking. */
export function toOrgCsv(directory: OrgDirectory): string {
  const header = FIELDS.map((f) => COLUMNS[f].label);
  const lines = directory.people.map((p) =>
    [
      p.id,
      p.name,
      p.kana ?? '',
      p.unit ?? '',
      p.group ?? '',
      ROLE_LABELS_JA[p.role],
      p.managerId ?? '',
      p.email ?? '',
      p.aadObjectId ?? '',
      p.hr ? '○' : '',
    ].map(csvCell),
  );
  return `\uFEFF${[header, ...lines].map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
