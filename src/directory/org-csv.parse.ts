import type { z } from 'zod';
import {
  COLUMNS,
  FIELD_BY_HEADER,
  FIELDS,
  FORMAT_HINTS,
  HR_FALSE,
  HR_TRUE,
  IDENTIFIER_FIELDS,
  loose,
  REQUIRED_COLUMNS,
  ROLE_BY_CELL,
  ROLE_CHOICES,
  type Field,
} from './org-csv.columns';
import { checkDuplicates, checkManagers } from './org-csv.checks';
import { shorten, type OrgCsvError, type Row } from './org-csv.row';
import { readCsvRecords, recordStartLine, type CsvRecord } from '../shared/csv-records';
import { personSchema, ROLE_LABELS_JA, type OrgDirectory, type Person, type Unit } from './org.schema';

export type OrgCsvResult = { ok: true; directory: OrgDirectory } | { ok: false; errors: OrgCsvError[] };

export function parseOrgCsv(text: string): OrgCsvResult {
  const read = readCsvRecords(text);
  if (!read.ok) {
    const message =
      read.problem === 'garbled'
        ? '文字化けしています。Excelでは「CSV UTF-8（コンマ区切り）」形式で保存してください'
        : `CSVとして読めません（${read.code}）。引用符（"）の対応を確認してください`;
    return fail([{ line: read.line, message }]);
  }

  const [headerRecord, ...dataRecords] = read.records;
  if (!headerRecord) return fail([{ line: 1, message: '見出し行がありません' }]);

  const errors: OrgCsvError[] = [];
  const headerLine = recordStartLine(headerRecord);
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

function readRow(parsed: CsvRecord, columnFields: ColumnSlot[], hasUnitColumn: boolean, errors: OrgCsvError[]): Row {
  const line = recordStartLine(parsed);
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

/** One line per error, ready to show HR as-is. */
export function formatOrgCsvErrors(errors: readonly OrgCsvError[]): string {
  return errors.map((e) => `${e.line}行目${e.column ? ` ${e.column}` : ''}: ${e.message}`).join('\n');
}
