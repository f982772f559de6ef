import type { TableClientFactory } from '../../storage/table-client-factory';
import type { Row } from './table-scan';

/**
 * What stands in for a person who has left, in the records other people keep (a kudos they sent, a
 * 1on1 they held, a help request they took). Not a person id (ids are letters, digits, "-", "_"), so
 * it never matches anyone, and one word for everybody: two departed people's rows cannot be told
 * apart or linked back. Views that show an unknown id show this word.
 */
export const DEPARTED = '退職者';

/** One row that concerns the person, with how: `self`, `sender`, `manager`, `helpTakenBy`, … */
export interface Found {
  entity: Row;
  relations: string[];
}

/**
 * What a purge does to one row. `merge` changes columns in place (If-Match on the row read);
 * `move` writes the row under new keys and removes the old one, for tables whose keys name the person.
 */
export type Change =
  | { kind: 'delete' }
  | { kind: 'merge'; set: Record<string, unknown> }
  | { kind: 'move'; entity: { partitionKey: string; rowKey: string } & Record<string, unknown> };

export interface PersonScope {
  tables: TableClientFactory;
  tenantId: string;
  personId: string;
}

/** One table's part of a person: how to find it, what a disclosure shows, what a purge does. */
export interface PersonTable {
  table: string;
  /** The section's title in the export and the dry run (Japanese, for the operator). */
  label: string;
  find(scope: PersonScope): AsyncIterable<Found[]>;
  /** The row as disclosed; undefined = counted for the purge but not shown (a mark that only repeats another section). */
  exported(found: Found, personId: string): Record<string, unknown> | undefined;
  change(found: Found, personId: string): Change;
}
