import { NEARMISS_TABLES, reportId } from '../../nearmiss/nearmiss.public';
import { DEPARTED, type Found, type PersonScope, type PersonTable } from '../person-table';
import { pagesOf, type Row } from '../table-scan';
import { tenantRange } from '../../../storage/table-ops';
import { asStored, parsed } from './rule-helpers';

const idsOf = (row: Row): string[] => {
  const ids = parsed(row.recipientIds);
  return Array.isArray(ids) ? ids.map(String) : [];
};

/**
 * How a report concerns the person. Only a NAMED report has a reporter: an anonymous one is stored
 * with an empty reporterId (NearMissRepository's toEntity) and nothing else that leads back, so it is
 * never found as anyone's, even if a row said otherwise.
 */
export function relationsTo(row: Row, personId: string): string[] {
  const out: string[] = [];
  if (row.anonymous !== true && row.reporterId === personId) out.push('reporter');
  if (idsOf(row).includes(personId)) out.push('recipient');
  if (row.acknowledgedBy === personId) out.push('acknowledgedBy');
  if (row.decidedBy === personId) out.push('decidedBy');
  return out;
}

/** A town files a few hundred reports a year: the tenant's reports are read a page at a time and matched here (recipients are a JSON list). */
async function* reportsOf({ tables, tenantId, personId }: PersonScope): AsyncGenerator<Found[]> {
  for await (const page of pagesOf(tables.table(NEARMISS_TABLES.reports), tenantRange(tenantId))) {
    const found = page.map((entity) => ({ entity, relations: relationsTo(entity, personId) })).filter((f) => f.relations.length > 0);
    if (found.length > 0) yield found;
  }
}

const idOf = (row: Row): string => reportId(Number(row.partitionKey.split('|').at(-1)), Number(row.rowKey));

/**
 * A report is the town's safety record: kept. A named reporter who left becomes no one (reporterId
 * emptied: the report then reads like an anonymous one, by unit); a recipient, acknowledger or
 * decider becomes DEPARTED. The disclosure shows the texts of their own named reports only; for
 * reports routed to them, the number and their part.
 */
export const nearmissTables: PersonTable[] = [
  {
    table: NEARMISS_TABLES.reports,
    label: 'ヒヤリハット（記名で報告したもの・対応したもの）',
    find: reportsOf,
    exported: ({ entity, relations }) =>
      relations.includes('reporter')
        ? { id: idOf(entity), relations, ...asStored(entity, ['recipientIds']) }
        : { id: idOf(entity), relations, status: entity.status },
    change: ({ entity, relations }, personId) => {
      const set: Record<string, unknown> = {};
      if (relations.includes('reporter')) set.reporterId = '';
      if (relations.includes('recipient')) set.recipientIds = JSON.stringify(idsOf(entity).map((id) => (id === personId ? DEPARTED : id)));
      if (relations.includes('acknowledgedBy')) set.acknowledgedBy = DEPARTED;
      if (relations.includes('decidedBy')) set.decidedBy = DEPARTED;
      return { kind: 'merge', set };
    },
  },
];
