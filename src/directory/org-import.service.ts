import type { OrgLocaleSetting } from './org.schema';
import { formatOrgCsvErrors, parseOrgCsv } from './org-csv';
import type { ImportResult, OrgRepository } from './org.repository';

export type OrgImportOutcome = { ok: true; result: ImportResult; people: number } | { ok: false; report: string };

/** Excel saves CSV as Shift_JIS unless told otherwise; try UTF-8 first, then Shift_JIS. */
export function decodeCsv(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  if (!utf8.includes('\uFFFD')) return utf8;
  return new TextDecoder('shift_jis').decode(bytes);
}

/** All or nothing: one bad row and nothing is written, every problem reported with its line. */
export async function importOrgCsv(org: OrgRepository, tenantId: string, text: string, defaultLocale: OrgLocaleSetting, now: Date): Promise<OrgImportOutcome> {
  const parsed = parseOrgCsv(text);
  if (!parsed.ok) return { ok: false, report: formatOrgCsvErrors(parsed.errors) };
  const result = await org.importDirectory(tenantId, parsed.directory);
  await org.saveSettings(tenantId, { defaultLocale, importedAt: now.toISOString() });
  return { ok: true, result, people: parsed.directory.people.length };
}
