/**
 * The directory CSV HR imports and exports, as the rest of hibi uses it. Its parts: the columns and
 * words (org-csv.columns), reading a file row by row (org-csv.parse), the whole-file checks
 * (org-csv.checks) and writing one (org-csv.write).
 */
export { ROLE_CHOICES, roleOfCell } from './org-csv.columns';
export { formatOrgCsvErrors, parseOrgCsv, type OrgCsvResult } from './org-csv.parse';
export type { OrgCsvError } from './org-csv.row';
export { toOrgCsv } from './org-csv.write';
