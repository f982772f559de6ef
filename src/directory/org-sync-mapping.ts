import { parse, CsvError, type InfoRecord } from 'csv-parse/sync';
import { z } from 'zod';
import { ROLE_CHOICES, roleOfCell } from './org-csv';
import { roleKeySchema, type RoleKey } from './org.schema';

/**
 * HR's table from what Entra ID says (department, jobTitle) to what hibi needs (課, 役職), plus the
 * accounts to leave out and who is HR. A CSV HR keeps in Excel, one rule a row:
 *
 *   種別,Entra IDの値,hibiの値
 *   所属,Construction Div.,建設課
 *   役職,Section Chief,課長
 *   除外,shared-*@town.example.lg.jp,
 *   人事,hr-tanaka@town.example.lg.jp,
 *
 * Nothing is matched by guess: a department or title missing here is listed, and its people are not imported.
 */
export interface SyncMapping {
  /** loose(department) -> unit name; '' = no unit (町長・副町長 only). */
  units: Record<string, string>;
  /** loose(jobTitle) -> role. */
  roles: Record<string, RoleKey>;
  /** UPN patterns ("*" = any characters) of shared and test accounts. */
  exclude: string[];
  /** UPN patterns of HR staff; when there is none, a person's HR flag stays what the directory has. */
  hr: string[];
}

/** What the state row keeps, so the nightly run uses the table HR last applied. */
export const syncMappingSchema = z.object({
  units: z.record(z.string(), z.string().max(50)),
  roles: z.record(z.string(), roleKeySchema),
  exclude: z.array(z.string().min(1).max(254)),
  hr: z.array(z.string().min(1).max(254)),
});

export interface MappingError {
  /** Physical line in the file; the header is line 1. */
  line: number;
  message: string;
}

export type MappingResult = { ok: true; mapping: SyncMapping } | { ok: false; errors: MappingError[] };

type Kind = 'unit' | 'role' | 'exclude' | 'hr';
const KIND_BY_CELL = new Map<string, Kind>([
  ['所属', 'unit'],
  ['課', 'unit'],
  ['department', 'unit'],
  ['役職', 'role'],
  ['jobtitle', 'role'],
  ['除外', 'exclude'],
  ['exclude', 'exclude'],
  ['人事', 'hr'],
  ['hr', 'hr'],
]);
const KIND_CHOICES = '所属・役職・除外・人事';
const HEADERS = [
  ['種別', 'kind'],
  ['entraidの値', 'entra', 'value'],
  ['hibiの値', 'hibi', 'target'],
] as const;

/** Full-width letters, spacing and case are typing differences, not different departments. */
export function loose(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

const rowSchema = z.tuple([z.string(), z.string(), z.string()]);

/** All or nothing: every bad row is reported with its line, and a table with any is not used. */
export function parseSyncMapping(text: string): MappingResult {
  let records: { record: string[]; info: InfoRecord }[];
  try {
    records = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      trim: true,
      comment: '#',
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: InfoRecord }[];
  } catch (error) {
    if (error instanceof CsvError)
      return { ok: false, errors: [{ line: typeof error.lines === 'number' ? error.lines : 1, message: `CSVとして読めません（${error.code}）` }] };
    throw error;
  }
  const [header, ...rows] = records;
  if (!header || !HEADERS.every((names, i) => (names as readonly string[]).includes(loose(header.record[i] ?? '')))) {
    return { ok: false, errors: [{ line: header?.info.lines ?? 1, message: '見出し行は「種別,Entra IDの値,hibiの値」にしてください' }] };
  }

  const errors: MappingError[] = [];
  const mapping: SyncMapping = { units: {}, roles: {}, exclude: [], hr: [] };
  const firstLine = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    const cells = rowSchema.safeParse([record[0] ?? '', record[1] ?? '', record[2] ?? '']);
    if (!cells.success || record.slice(3).some((c) => c !== '')) {
      errors.push({ line, message: '列は「種別,Entra IDの値,hibiの値」の3つです' });
      continue;
    }
    const [kindCell, value, target] = cells.data;
    const kind = KIND_BY_CELL.get(loose(kindCell));
    if (!kind) {
      errors.push({ line, message: `種別「${kindCell}」は使えません（${KIND_CHOICES}）` });
      continue;
    }
    if (value === '') {
      errors.push({ line, message: 'Entra IDの値が空です' });
      continue;
    }
    const key = kind === 'unit' || kind === 'role' ? loose(value) : value.toLowerCase();
    const seen = firstLine.get(`${kind}|${key}`);
    if (seen !== undefined) {
      errors.push({ line, message: `「${value}」は${seen}行目と同じです（1つにしてください）` });
      continue;
    }
    firstLine.set(`${kind}|${key}`, line);
    if (kind === 'unit') {
      if (target.length > 50) errors.push({ line, message: `課の名前「${target.slice(0, 20)}…」は長すぎます（50文字まで）` });
      else mapping.units[key] = target;
    } else if (kind === 'role') {
      const role = roleOfCell(target);
      if (!role) errors.push({ line, message: `「${target}」は役職として使えません（${ROLE_CHOICES}）` });
      else mapping.roles[key] = role;
    } else if (target !== '') {
      errors.push({ line, message: `種別「${kindCell}」の行は hibiの値を空にしてください` });
    } else if (!/^[^\s]{1,254}$/.test(value)) {
      errors.push({ line, message: `「${value}」はユーザー名（UPN）のパターンとして使えません（空白なし、* は任意の文字）` });
    } else {
      mapping[kind].push(value.toLowerCase());
    }
  }
  if (errors.length === 0 && rows.length === 0) errors.push({ line: header.info.lines, message: '対応表に行がありません' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, mapping };
}

export function formatMappingErrors(errors: readonly MappingError[]): string {
  return errors.map((e) => `${e.line}行目: ${e.message}`).join('\n');
}

/** A UPN pattern with "*" as the only wildcard, compared without case. */
export function matchesUpn(pattern: string, upn: string | undefined): boolean {
  if (!upn) return false;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return regex.test(upn);
}
