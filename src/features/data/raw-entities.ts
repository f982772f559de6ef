import type { TableClient, TableEntity } from '@azure/data-tables';

/**
 * A row as a backup line: the Table service's own JSON (OData), with `<name>@odata.type` beside
 * every value JSON cannot type by itself (Int64, DateTime, Binary, Guid, and Double), so a restore
 * writes the same types back.
 */
export type Line = Record<string, unknown> & { PartitionKey: string; RowKey: string };

const DOUBLE = '\u0000double';

/**
 * The service writes an Edm.Double as a number with a point or an exponent (`4.0`, `1e+21`) and no
 * annotation; JSON.parse makes 4.0 the same as the Int32 4. So number tokens are read as text first:
 * one with a point or an exponent becomes a marked value before parsing.
 */
export function parseServiceJson(text: string): unknown {
  const parts: string[] = [];
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i += 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i;
      while (j < text.length && /[-+0-9.eE]/.test(text[j] as string)) j += 1;
      const token = text.slice(i, j);
      if (/[.eE]/.test(token)) {
        parts.push(text.slice(last, i), JSON.stringify({ [DOUBLE]: token }));
        last = j;
      }
      i = j;
    } else i += 1;
  }
  parts.push(text.slice(last));
  return JSON.parse(parts.join(''));
}

const isDouble = (value: unknown): value is { [DOUBLE]: string } => typeof value === 'object' && value !== null && DOUBLE in value;

/** The rows of a query response as lines: without the service's metadata and Timestamp (it sets those itself on write). */
export function linesOf(body: string): Line[] {
  const parsed = parseServiceJson(body) as { value?: Record<string, unknown>[] };
  return (parsed.value ?? []).map((row) => {
    const line: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      if (name.startsWith('odata.') || name === 'Timestamp' || name === 'Timestamp@odata.type') continue;
      if (isDouble(value)) {
        line[name] = Number(value[DOUBLE]);
        line[`${name}@odata.type`] = 'Edm.Double';
      } else line[name] = value;
    }
    return line as Line;
  });
}

/** A line as the Table SDK writes it: an annotated value becomes `{ value, type }`, which the SDK sends with its annotation. */
export function entityOf(line: Line): TableEntity<Record<string, unknown>> {
  const entity: TableEntity<Record<string, unknown>> = { partitionKey: line.PartitionKey, rowKey: line.RowKey };
  for (const [name, value] of Object.entries(line)) {
    if (name === 'PartitionKey' || name === 'RowKey' || name.endsWith('@odata.type')) continue;
    const type = line[`${name}@odata.type`];
    entity[name] = typeof type === 'string' ? { value: String(value), type: type.replace(/^Edm\./, '') } : value;
  }
  return entity;
}

export interface RawPage {
  lines: Line[];
  /** Where the next page starts; undefined = this was the last. */
  continuationToken?: string;
}

/**
 * A table's rows as lines, a page at a time from `continuationToken` (a resumed backup). The SDK
 * lists the page; the lines come from the response body it read, which keeps the types.
 */
export async function* rawPages(table: TableClient, options: { filter?: string; pageSize: number; continuationToken?: string }): AsyncGenerator<RawPage> {
  let body = '';
  const listing = table.listEntities({
    queryOptions: options.filter ? { filter: options.filter } : {},
    onResponse: (response) => void (body = response.bodyAsText ?? ''),
  });
  for await (const page of listing.byPage({ maxPageSize: options.pageSize, continuationToken: options.continuationToken })) {
    const lines = linesOf(body);
    if (lines.length !== page.length) throw new Error(`${table.tableName}: ${page.length} rows listed but ${lines.length} read from the response`);
    yield { lines, continuationToken: page.continuationToken };
  }
}
