import type { TableClientFactory } from '../../storage/table-client-factory';
import { PERSON_TABLES, type PersonTable } from './person-records';

export const EXPORT_FORMAT = 'hibi-person-export/1';

export interface ExportSection {
  table: string;
  label: string;
  count: number;
  rows: Record<string, unknown>[];
}

/** Everything hibi holds about one person, for a disclosure request (開示請求). */
export interface PersonExport {
  header: { format: string; personId: string; tenantId: string; exportedAt: string; hibiVersion: string };
  /** One per table that can hold a person, in PERSON_TABLES' order, empty ones included: the reader sees what was looked at. */
  sections: ExportSection[];
}

export async function exportPerson(
  scope: { tables: TableClientFactory; tenantId: string; personId: string },
  meta: { exportedAt: Date; hibiVersion: string },
  tables: readonly PersonTable[] = PERSON_TABLES,
): Promise<PersonExport> {
  const sections: ExportSection[] = [];
  for (const table of tables) {
    const rows: Record<string, unknown>[] = [];
    for await (const page of table.find(scope)) {
      for (const found of page) {
        const row = table.exported(found, scope.personId);
        if (row) rows.push(row);
      }
    }
    sections.push({ table: table.table, label: table.label, count: rows.length, rows });
  }
  return {
    header: {
      format: EXPORT_FORMAT,
      personId: scope.personId,
      tenantId: scope.tenantId,
      exportedAt: meta.exportedAt.toISOString(),
      hibiVersion: meta.hibiVersion,
    },
    sections,
  };
}
