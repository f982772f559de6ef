import { DateTime } from 'luxon';
import { z } from 'zod';
import type { MessageKey, Translate } from '../../i18n/i18n';
import { personIdSchema } from '../../directory/org.schema';
import { readCsvRecords, recordStartLine } from '../../shared/csv-records';
import { fiscalYearDays, fiscalYearLabel, MAX_PAID_LEAVE_DAYS } from './paidleave.schema';

/**
 * HR's paid-leave file: one line per person and fiscal year. 年度, 付与日数 and a person (職員番号 or
 * メールアドレス, the directory's own) are required; 取得日数 with its 基準日 when the town's attendance
 * system counts days taken; 氏名 may be kept for HR's own reading and is not read.
 */
export interface PaidLeaveCsvRow {
  /** Physical line in the file; the header is line 1. */
  line: number;
  fiscalYear: number;
  personId?: string;
  email?: string;
  grantedDays: number;
  takenDays?: number;
  /** Defaults to the day of the import, or the year's last day for a past year. */
  takenAsOf?: string;
}

export interface PaidLeaveCsvError {
  line: number;
  /** The column's label in the reader's language, when the problem is in one cell or column. */
  column?: string;
  message: string;
}

export type PaidLeaveCsvResult = { ok: true; rows: PaidLeaveCsvRow[] } | { ok: false; errors: PaidLeaveCsvError[] };

const FIELDS = ['fiscalYear', 'personId', 'email', 'name', 'grantedDays', 'takenDays', 'takenAsOf'] as const;
type Field = (typeof FIELDS)[number];

const ALIASES: Record<Field, readonly string[]> = {
  fiscalYear: ['年度', 'fiscalYear', 'FY'],
  personId: ['職員番号', 'id', 'personId'],
  email: ['メールアドレス', 'メール', 'email', 'UPN'],
  name: ['氏名', 'name'],
  grantedDays: ['付与日数', 'grantedDays', 'granted'],
  takenDays: ['取得日数', 'takenDays', 'taken'],
  takenAsOf: ['取得日数の基準日', '基準日', 'takenAsOf', 'asOf'],
};

const label = (field: Field, t: Translate): string => t(`paidleave.column.${field}` as MessageKey);

/** Loose form for matching what people type: full-width letters, stray spaces and case do not matter. */
function loose(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

const FIELD_BY_HEADER = new Map<string, Field>(FIELDS.flatMap((field) => ALIASES[field].map((name): [string, Field] => [loose(name), field])));

/** 2026, FY2026, 2026年度, 令和8年度, R8 (令和元年度 = 2019). */
export function readFiscalYear(cell: string): number | undefined {
  const text = loose(cell).toUpperCase();
  const western = /^(?:FY)?(\d{4})(?:年度)?$/.exec(text);
  const reiwa = /^(?:令和|R)(\d{1,2}|元)(?:年度)?$/.exec(text);
  const year = western ? Number(western[1]) : reiwa ? 2018 + (reiwa[1] === '元' ? 1 : Number(reiwa[1])) : undefined;
  return year !== undefined && year >= 2019 && year <= 2098 ? year : undefined;
}

/** 20, 12.5, 12.25日: half days and hours (as parts of a day) are how attendance systems count leave. */
export function readDays(cell: string): number | undefined {
  const match = /^(\d{1,2}(?:\.\d{1,2})?)(?:日|days?)?$/i.exec(loose(cell));
  const days = match ? Number(match[1]) : undefined;
  return days !== undefined && days <= MAX_PAID_LEAVE_DAYS ? days : undefined;
}

/** 2026-09-30, 2026/9/30, 2026年9月30日 as YYYY-MM-DD. */
export function readDay(cell: string): string | undefined {
  const match = /^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$/.exec(loose(cell));
  if (!match) return undefined;
  const day = DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
  return day.isValid ? (day.toISODate() ?? undefined) : undefined;
}

/** A cell read by `read`; blank reads as absent when optional, and anything unreadable is an issue with `message`. */
function cell<T>(read: (value: string) => T | undefined, message: (value: string) => string, required: string | undefined) {
  return z.string().transform((value, ctx): T | undefined => {
    if (value === '') {
      if (required) ctx.addIssue({ code: 'custom', message: required });
      return undefined;
    }
    const parsed = read(value);
    if (parsed === undefined) ctx.addIssue({ code: 'custom', message: message(shorten(value)) });
    return parsed;
  });
}

/** The zod schema of one line, in the reader's language; `today` bounds the 基準日. */
export function rowSchema(t: Translate, today: string) {
  const required = t('paidleave.error.required');
  const days = (need: boolean) => cell(readDays, (value) => t('paidleave.error.days', { value, max: MAX_PAID_LEAVE_DAYS }), need ? required : undefined);
  return z
    .object({
      fiscalYear: cell(readFiscalYear, (value) => t('paidleave.error.fiscalYear', { value }), required),
      personId: cell(
        (v) => (personIdSchema.safeParse(v).success ? v : undefined),
        (value) => t('paidleave.error.personId', { value }),
        undefined,
      ),
      email: cell(
        (v) => (z.email().max(254).safeParse(v).success ? v.toLowerCase() : undefined),
        (value) => t('paidleave.error.email', { value }),
        undefined,
      ),
      grantedDays: days(true),
      takenDays: days(false),
      takenAsOf: cell(readDay, (value) => t('paidleave.error.day', { value }), undefined),
    })
    .transform((row, ctx) => {
      const issue = (field: Field | undefined, message: string) => ctx.addIssue({ code: 'custom', path: field ? [field] : [], message });
      if (row.personId === undefined && row.email === undefined) issue(undefined, t('paidleave.error.noPerson'));
      if (row.fiscalYear === undefined || row.grantedDays === undefined) return z.NEVER;
      const year = fiscalYearDays(row.fiscalYear);
      const yearLabel = fiscalYearLabel(row.fiscalYear, t);
      let takenAsOf = row.takenAsOf;
      if (row.takenDays === undefined) {
        if (takenAsOf !== undefined) issue('takenAsOf', t('paidleave.error.asOfWithoutTaken'));
      } else {
        if (row.takenDays > row.grantedDays) issue('takenDays', t('paidleave.error.takenOverGranted', { taken: row.takenDays, granted: row.grantedDays }));
        takenAsOf ??= today < year.to ? today : year.to;
        if (today < year.from) issue('takenDays', t('paidleave.error.yearNotStarted', { year: yearLabel }));
        else if (takenAsOf < year.from || takenAsOf > year.to) issue('takenAsOf', t('paidleave.error.asOfOutsideYear', { value: takenAsOf, year: yearLabel }));
        else if (takenAsOf > today) issue('takenAsOf', t('paidleave.error.asOfFuture', { value: takenAsOf }));
      }
      return {
        fiscalYear: row.fiscalYear,
        personId: row.personId,
        email: row.email,
        grantedDays: row.grantedDays,
        takenDays: row.takenDays,
        takenAsOf: row.takenDays === undefined ? undefined : takenAsOf,
      };
    });
}

/** Reads the whole file; every problem comes back with its line, and one bad line fails the file. */
export function parsePaidLeaveCsv(text: string, t: Translate, today: string): PaidLeaveCsvResult {
  const read = readCsvRecords(text);
  if (!read.ok) {
    const message = read.problem === 'garbled' ? t('paidleave.error.garbled') : t('paidleave.error.unreadable', { code: read.code });
    return { ok: false, errors: [{ line: read.line, message }] };
  }

  const [header, ...data] = read.records;
  if (!header) return { ok: false, errors: [{ line: 1, message: t('paidleave.error.noHeader') }] };
  const errors: PaidLeaveCsvError[] = [];
  const headerLine = recordStartLine(header);
  const columns = readHeader(header.record, headerLine, t, errors);
  const present = new Set(columns.filter((c): c is Field => c !== undefined && c !== 'ignored'));
  for (const field of ['fiscalYear', 'grantedDays'] as const) {
    if (!present.has(field)) errors.push({ line: headerLine, column: label(field, t), message: t('paidleave.error.missingColumn') });
  }
  if (!present.has('personId') && !present.has('email')) errors.push({ line: headerLine, message: t('paidleave.error.missingPersonColumn') });
  if (errors.length > 0) return { ok: false, errors };
  if (data.length === 0) return { ok: false, errors: [{ line: headerLine, message: t('paidleave.error.noRows') }] };

  const schema = rowSchema(t, today);
  const rows: PaidLeaveCsvRow[] = [];
  for (const record of data) {
    const line = recordStartLine(record);
    const cells: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f, '']));
    record.record.forEach((raw, index) => {
      const column = columns[index];
      if (column === 'ignored') return;
      if (column) cells[column] = column === 'personId' || column === 'email' ? raw.normalize('NFKC') : raw;
      else if (raw !== '') errors.push({ line, message: t('paidleave.error.extraCell', { index: index + 1, value: shorten(raw) }) });
    });
    const parsed = schema.safeParse(cells);
    if (parsed.success) rows.push({ line, ...parsed.data });
    else
      for (const issue of parsed.error.issues)
        errors.push({ line, column: isField(issue.path[0]) ? label(issue.path[0], t) : undefined, message: issue.message });
  }
  return errors.length > 0 ? { ok: false, errors: [...errors].sort((a, b) => a.line - b.line) } : { ok: true, rows };
}

/** 'ignored' marks columns already reported; undefined marks a blank header, whose values must stay blank. */
type ColumnSlot = Field | 'ignored' | undefined;

function readHeader(header: string[], line: number, t: Translate, errors: PaidLeaveCsvError[]): ColumnSlot[] {
  const seen = new Map<Field, string>();
  return header.map((raw): ColumnSlot => {
    if (raw === '') return undefined;
    const field = FIELD_BY_HEADER.get(loose(raw));
    if (!field) {
      errors.push({ line, column: raw, message: t('paidleave.error.unknownColumn', { column: raw, known: FIELDS.map((f) => ALIASES[f][0]).join('・') }) });
      return 'ignored';
    }
    const first = seen.get(field);
    if (first !== undefined) {
      errors.push({ line, column: label(field, t), message: t('paidleave.error.duplicateColumn', { first, second: raw }) });
      return 'ignored';
    }
    seen.set(field, raw);
    return field;
  });
}

function isField(key: PropertyKey | undefined): key is Field {
  return typeof key === 'string' && (FIELDS as readonly string[]).includes(key);
}

function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** One line per problem, ready to show HR as-is. */
export function formatPaidLeaveErrors(errors: readonly PaidLeaveCsvError[], t: Translate): string {
  return errors
    .map((e) =>
      e.column
        ? t('paidleave.error.at', { line: e.line, column: e.column, message: e.message })
        : t('paidleave.error.atLine', { line: e.line, message: e.message }),
    )
    .join('\n');
}
