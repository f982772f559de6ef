import type { Field } from './org-csv.columns';
import type { Person, RoleKey } from './org.schema';

/** One problem in the file, as HR reads it: the row reader and the whole-file checks both report these. */
export interface OrgCsvError {
  /** Physical line in the file; the header is line 1. */
  line: number;
  /** Japanese column label (職員番号, 役職, …) when the problem is in one cell or column. */
  column?: string;
  message: string;
}

/** What reading one row leaves for the whole-file checks. */
export interface Row {
  line: number;
  cells: Map<Field, string>;
  /** Fields already reported for this row, so whole-file checks do not pile on. */
  badFields: Set<Field>;
  role?: RoleKey;
  person?: Person;
}

/** A cell quoted in an error, cut so one long cell cannot flood HR's screen. */
export function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
