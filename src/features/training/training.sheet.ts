import { readCsvRecords } from '../../shared/csv-records';

/** One data row of HR's file, its cells by field, and where it is in the file (for the error report). */
export interface SheetRow {
  /** "12行目" for a CSV (the header is line 1), "3件目" for a JSON array. */
  where: string;
  cells: Record<string, string>;
}

export interface SheetError {
  where: string;
  column?: string;
  message: string;
}

export type SheetResult = { ok: true; rows: SheetRow[] } | { ok: false; errors: SheetError[] };

/** A column: the label errors name, and every header (Japanese or English) that means it. */
export interface SheetColumn {
  field: string;
  label: string;
  aliases: readonly string[];
}

/** Full-width letters, spaces and case in what HR typed do not matter. */
export function loose(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function fieldsByHeader(columns: readonly SheetColumn[]): Map<string, string> {
  return new Map(columns.flatMap((c) => [c.label, ...c.aliases].map((name): [string, string] => [loose(name), c.field])));
}

/** A CSV (UTF-8 or Shift_JIS, already decoded) or a JSON array of objects, with the same headers either way. */
export function readSheet(text: string, format: 'csv' | 'json', columns: readonly SheetColumn[]): SheetResult {
  return format === 'json' ? readJson(text, columns) : readCsv(text, columns);
}

function readCsv(text: string, columns: readonly SheetColumn[]): SheetResult {
  const read = readCsvRecords(text);
  if (!read.ok) {
    if (read.problem === 'garbled')
      return { ok: false, errors: [{ where: 'ファイル', message: '文字化けしています。Excelでは「CSV UTF-8（コンマ区切り）」形式で保存してください' }] };
    return { ok: false, errors: [{ where: `${read.line}行目`, message: `CSVとして読めません（${read.code}）。引用符（"）の対応を確認してください` }] };
  }
  const [header, ...data] = read.records;
  if (!header) return { ok: false, errors: [{ where: '1行目', message: '見出し行がありません' }] };
  const byHeader = fieldsByHeader(columns);
  const fields = header.record.map((h) => byHeader.get(loose(h)));
  const errors: SheetError[] = header.record.flatMap((h, i) =>
    fields[i] === undefined
      ? [{ where: `${header.info.lines}行目`, column: h, message: `知らない列です（使える列: ${columns.map((c) => c.label).join('・')}）` }]
      : [],
  );
  if (errors.length > 0) return { ok: false, errors };
  const rows = data.map(({ record, info }) => ({
    where: `${info.lines}行目`,
    cells: Object.fromEntries(fields.map((f, i) => [f as string, record[i] ?? ''])),
  }));
  return { ok: true, rows };
}

function readJson(text: string, columns: readonly SheetColumn[]): SheetResult {
  let items: unknown;
  try {
    items = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, errors: [{ where: 'ファイル', message: 'JSONとして読めません' }] };
  }
  if (!Array.isArray(items)) return { ok: false, errors: [{ where: 'ファイル', message: 'JSONは行の配列（[{...}, ...]）にしてください' }] };
  const byHeader = fieldsByHeader(columns);
  const errors: SheetError[] = [];
  const rows = items.map((item, i): SheetRow => {
    const where = `${i + 1}件目`;
    const cells: Record<string, string> = {};
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors.push({ where, message: '{ "研修名": ..., ... } の形にしてください' });
      return { where, cells };
    }
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const field = byHeader.get(loose(key));
      if (field === undefined) errors.push({ where, column: key, message: '知らない項目です' });
      else cells[field] = value === null || value === undefined ? '' : typeof value === 'boolean' ? (value ? 'はい' : 'いいえ') : String(value).trim();
    }
    return { where, cells };
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

export function formatSheetErrors(errors: readonly SheetError[]): string {
  return errors.map((e) => `${e.where}${e.column ? `「${e.column}」` : ''}: ${e.message}`).join('\n');
}
