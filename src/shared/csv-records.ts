import { CsvError, parse, type InfoRecord } from 'csv-parse/sync';

/** One CSV record with where csv-parse found it. */
export interface CsvRecord {
  record: string[];
  info: InfoRecord;
}

/**
 * A file HR saved from Excel, read as records, or why it cannot be: `garbled` when it was not saved
 * as UTF-8 (the decoder left U+FFFD), `unreadable` when csv-parse refused it (`code` is its reason).
 * Each reader words the problem for its own audience.
 */
export type CsvRecords =
  { ok: true; records: CsvRecord[] } | { ok: false; problem: 'garbled'; line: number } | { ok: false; problem: 'unreadable'; line: number; code: string };

/** Blank lines and rows of blank cells are skipped and cells trimmed; a row of another length than the header is the reader's to judge. */
export function readCsvRecords(text: string): CsvRecords {
  const garbled = text.indexOf('\uFFFD');
  if (garbled >= 0) return { ok: false, problem: 'garbled', line: text.slice(0, garbled).split(/\r\n?|\n/).length };
  try {
    // csv-parse's sync typings ignore the info option, which turns each record into { record, info }.
    const records = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      info: true,
    }) as unknown as CsvRecord[];
    return { ok: true, records };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { ok: false, problem: 'unreadable', line: typeof error.lines === 'number' ? error.lines : 1, code: error.code };
  }
}

/** info.lines is where a record ends; quoted line breaks push it past where the record starts. */
export function recordStartLine({ record, info }: CsvRecord): number {
  return info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
}
