import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { createIfAbsent, findEntity, isChangedSinceRead, isConflict } from '../../storage/table-ops';
import { ONEONONE_TABLES } from './oneonone.repository';

/** A dated action still open, as the index names it: its key and due day, never its text (that stays with the pair). */
export interface IndexedAction {
  key: string;
  due: string;
}

/** The open dated actions one owner has in one 1on1: the last held of its pair. */
export interface IndexedMeeting {
  managerId: string;
  memberId: string;
  meetingId: string;
  actions: IndexedAction[];
}

/**
 * oneononeopenactions: PK = tenant|owner, RK = "". One row per person, so their morning check-in
 * reads their open 1on1 actions with one point read; a partition each, because the emulator finds a
 * row by scanning its partition. `meetings` is JSON; a row with none says the person has none, no
 * row says their index was not built yet.
 */
type OpenActionsEntity = { partitionKey: string; rowKey: string; meetings: string };

/** The keys of a person's row. */
function keysOf(tenantId: string, ownerId: string): [partitionKey: string, rowKey: string] {
  return [compositeKey(tenantId, ownerId), ''];
}

/** Rounds of read, change and conditional write: only presses on the same person's actions at once get past one. */
const ATTEMPTS = 5;

export class OpenActionsIndex {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(ONEONONE_TABLES.openActions);
  }

  /** The owner's indexed meetings; undefined when their row was never built. */
  async get(tenantId: string, ownerId: string): Promise<IndexedMeeting[] | undefined> {
    const row = await findEntity<OpenActionsEntity>(this.table, ...keysOf(tenantId, ownerId));
    return row && (JSON.parse(row.meetings) as IndexedMeeting[]);
  }

  /** Writes a row built from the meetings, unless another turn wrote one first (theirs is as recent). */
  async createIfAbsent(tenantId: string, ownerId: string, meetings: readonly IndexedMeeting[]): Promise<void> {
    await createIfAbsent<OpenActionsEntity>(this.table, this.entity(tenantId, ownerId, meetings));
  }

  /**
   * Applies `change` to the owner's row and writes it only if nobody wrote in between (If-Match), else
   * reads again. A row not built yet is left alone when `build` is absent (its build reads what is
   * stored now), and built first otherwise.
   */
  async change(
    tenantId: string,
    ownerId: string,
    change: (meetings: IndexedMeeting[]) => IndexedMeeting[],
    build?: () => Promise<IndexedMeeting[]>,
  ): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const row = await findEntity<OpenActionsEntity>(this.table, ...keysOf(tenantId, ownerId));
      if (!row && !build) return;
      const before = row ? (JSON.parse(row.meetings) as IndexedMeeting[]) : await (build as () => Promise<IndexedMeeting[]>)();
      const after = change(before);
      if (row && JSON.stringify(after) === row.meetings) return;
      try {
        if (row) await this.table.updateEntity(this.entity(tenantId, ownerId, after), 'Replace', { etag: row.etag });
        else await this.table.createEntity(this.entity(tenantId, ownerId, after));
        return;
      } catch (error) {
        if (!isConflict(error) && !isChangedSinceRead(error)) throw error;
      }
    }
    throw new Error('1on1 open actions: changed by someone else on every attempt, try again');
  }

  private entity(tenantId: string, ownerId: string, meetings: readonly IndexedMeeting[]): OpenActionsEntity {
    const [partitionKey, rowKey] = keysOf(tenantId, ownerId);
    return { partitionKey, rowKey, meetings: JSON.stringify(meetings) };
  }
}
