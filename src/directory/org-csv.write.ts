import { stringify } from 'csv-stringify/sync';
import { COLUMNS, FIELDS } from './org-csv.columns';
import { ROLE_LABELS_JA, type OrgDirectory } from './org.schema';

/** Writes what parseOrgCsv reads; BOM and CRLF so Excel opens it as UTF-8 without asking. */
export function toOrgCsv(directory: OrgDirectory): string {
  const header = FIELDS.map((f) => COLUMNS[f].label);
  const rows = directory.people.map((p) => [
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
  ]);
  return stringify([header, ...rows], { bom: true, record_delimiter: '\r\n' });
}
