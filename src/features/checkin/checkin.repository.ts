import { odata, type TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import type { CheckinRecord, Slot } from './checkin.schema';
import { createIfAbsent, deleteIfPresent, findEntity, isChangedSinceRead } from '../../storage/table-ops';
import { HALF_DAYS, skipsSlot, type HalfDay, type LeaveEntry } from './leave';

export const CHECKIN_TABLES = { checkins: 'checkins', leaves: 'leaves' } as const;

/**
 * checkins: PK = tenant|unit|day (a unit's stand-up in one partition query), RK = slot|person.
 * The key is the idempotency: a second submit for the same person, day and slot replaces the row.
 */
type CheckinEntity = {
  partitionKey: string;
  rowKey: string;
  personId: string;
  slot: Slot;
  answers: string;
  createdAt: string;
  updatedAt: string;
  helpTakenBy?: string;
};

/** leaves: PK = tenant|day, RK = person; `half` am / pm for 午前休 / 午後休, empty for the whole day. */
type LeaveEntity = { partitionKey: string; rowKey: string; unit: string; half?: string };

/** What taking back a day's 休み found: it removed, a different half registered, or nothing there. */
export type LeaveCancellation = { outcome: 'cancelled' | 'otherHalf'; entry: LeaveEntry } | { outcome: 'none' };

export class CheckinRepository {
  private readonly checkins: TableClient;
  private readonly leaves: TableClient;

  constructor(tables: TableClientFactory) {
    this.checkins = tables.table(CHECKIN_TABLES.checkins);
    this.leaves = tables.table(CHECKIN_TABLES.leaves);
  }

  private pk(tenantId: string, unit: string, day: string): string {
    return compositeKey(tenantId, unit, day);
  }

  async get(tenantId: string, unit: string, day: string, slot: Slot, personId: string): Promise<CheckinRecord | undefined> {
    const entity = await findEntity<CheckinEntity>(this.checkins, this.pk(tenantId, unit, day), compositeKey(slot, personId));
    return entity && this.toRecord(tenantId, unit, day, entity);
  }

  /**
   * Stores the answers. The day's first submit creates the row in one call; a correction merges in
   * the answers only, so the first createdAt and whoever took the help request stay as they were.
   */
  async save(record: CheckinRecord): Promise<CheckinRecord> {
    const partitionKey = this.pk(record.tenantId, record.unit, record.day);
    const rowKey = compositeKey(record.slot, record.personId);
    const answers = JSON.stringify(record.answers);
    const created = await createIfAbsent<CheckinEntity>(this.checkins, {
      partitionKey,
      rowKey,
      personId: record.personId,
      slot: record.slot,
      answers,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      helpTakenBy: '',
    });
    if (created) return { ...record, helpTakenBy: undefined };
    await this.checkins.updateEntity({ partitionKey, rowKey, answers, updatedAt: record.updatedAt }, 'Merge');
    return (await this.get(record.tenantId, record.unit, record.day, record.slot, record.personId)) ?? record;
  }

  async listUnitDay(tenantId: string, unit: string, day: string): Promise<CheckinRecord[]> {
    const out: CheckinRecord[] = [];
    for await (const entity of this.checkins.listEntities<CheckinEntity>({
      queryOptions: { filter: odata`PartitionKey eq ${this.pk(tenantId, unit, day)}` },
    })) {
      out.push(this.toRecord(tenantId, unit, day, entity));
    }
    return out;
  }

  /** A unit's check-ins of every day from..to (inclusive) in one partition-range query: what the KPI rollup reads. */
  async listUnitDays(tenantId: string, unit: string, fromDay: string, toDay: string): Promise<CheckinRecord[]> {
    const out: CheckinRecord[] = [];
    const filter = odata`PartitionKey ge ${this.pk(tenantId, unit, fromDay)} and PartitionKey le ${this.pk(tenantId, unit, toDay)}`;
    for await (const entity of this.checkins.listEntities<CheckinEntity>({ queryOptions: { filter } })) {
      out.push(this.toRecord(tenantId, unit, entity.partitionKey.split('|').at(-1) ?? '', entity));
    }
    return out;
  }

  /**
   * Records who takes a help request; the etag makes the first press win when two helpers press
   * at once. Returns the person already recorded when someone was first.
   */
  async takeHelp(tenantId: string, unit: string, day: string, reporterId: string, helperId: string): Promise<{ taken: boolean; by?: string }> {
    const pk = this.pk(tenantId, unit, day);
    const rk = compositeKey('morning', reporterId);
    for (let attempt = 0; attempt < 3; attempt++) {
      const entity = await findEntity<CheckinEntity>(this.checkins, pk, rk);
      if (!entity) return { taken: false };
      if (entity.helpTakenBy) return { taken: entity.helpTakenBy === helperId, by: entity.helpTakenBy };
      try {
        await this.checkins.updateEntity({ partitionKey: pk, rowKey: rk, helpTakenBy: helperId }, 'Merge', { etag: entity.etag });
        return { taken: true, by: helperId };
      } catch (error) {
        if (!isChangedSinceRead(error)) throw error;
      }
    }
    const final = await this.get(tenantId, unit, day, 'morning', reporterId);
    return { taken: final?.helpTakenBy === helperId, by: final?.helpTakenBy };
  }

  /** The day's leave as the person last sent it: a whole day replaces a half and the other way round. */
  async setLeave(tenantId: string, day: string, personId: string, unit: string, half?: HalfDay): Promise<void> {
    await this.leaves.upsertEntity<LeaveEntity>({ partitionKey: compositeKey(tenantId, day), rowKey: personId, unit, half: half ?? '' }, 'Replace');
  }

  /** Who is on leave that day; with a slot, a half day off counts only for the check-in it skips. */
  async leavesOn(tenantId: string, day: string, slot?: Slot): Promise<Set<string>> {
    const out = new Set<string>();
    for await (const entity of this.leaves.listEntities<LeaveEntity>({
      queryOptions: { filter: odata`PartitionKey eq ${compositeKey(tenantId, day)}` },
    })) {
      if (!slot || skipsSlot(halfOf(entity), slot)) out.add(entity.rowKey);
    }
    return out;
  }

  /** Every 休み from..to (inclusive) with its half, for the paid-leave tally: one range query over the days' partitions. */
  async leaveEntriesBetween(tenantId: string, fromDay: string, toDay: string): Promise<LeaveEntry[]> {
    const out: LeaveEntry[] = [];
    const filter = odata`PartitionKey ge ${compositeKey(tenantId, fromDay)} and PartitionKey le ${compositeKey(tenantId, toDay)}`;
    for await (const entity of this.leaves.listEntities<LeaveEntity>({ queryOptions: { filter } })) {
      out.push({ day: entity.partitionKey.split('|').at(-1) ?? '', personId: entity.rowKey, half: halfOf(entity) });
    }
    return out;
  }

  /** Who is on leave on each day from..to (inclusive), by day, with the half (undefined = the whole day): one range query over the days' partitions. */
  async leavesBetween(tenantId: string, fromDay: string, toDay: string): Promise<Map<string, Map<string, HalfDay | undefined>>> {
    const out = new Map<string, Map<string, HalfDay | undefined>>();
    for (const entry of await this.leaveEntriesBetween(tenantId, fromDay, toDay)) {
      out.set(entry.day, (out.get(entry.day) ?? new Map<string, HalfDay | undefined>()).set(entry.personId, entry.half));
    }
    return out;
  }

  /**
   * One person's 休み from..to (inclusive), by day: the days' partitions in one range query, the
   * person picked out by RowKey in the same query, so nobody else's rows come back.
   */
  async leavesOf(tenantId: string, personId: string, fromDay: string, toDay: string): Promise<LeaveEntry[]> {
    const out: LeaveEntry[] = [];
    const filter = odata`PartitionKey ge ${compositeKey(tenantId, fromDay)} and PartitionKey le ${compositeKey(tenantId, toDay)} and RowKey eq ${personId}`;
    for await (const entity of this.leaves.listEntities<LeaveEntity>({ queryOptions: { filter } })) {
      out.push({ day: entity.partitionKey.split('|').at(-1) ?? '', personId: entity.rowKey, half: halfOf(entity) });
    }
    return out.sort((a, b) => a.day.localeCompare(b.day));
  }

  /**
   * Takes back the person's 休み of that day. With a half named, only that half: a day registered
   * otherwise is left as it is and returned, so the person is told what it holds instead.
   */
  async cancelLeave(tenantId: string, day: string, personId: string, half?: HalfDay): Promise<LeaveCancellation> {
    const partitionKey = compositeKey(tenantId, day);
    for (let attempt = 1; ; attempt++) {
      const entity = await findEntity<LeaveEntity>(this.leaves, partitionKey, personId);
      if (!entity) return { outcome: 'none' };
      const entry: LeaveEntry = { day, personId, half: halfOf(entity) };
      if (half && half !== entry.half) return { outcome: 'otherHalf', entry };
      try {
        // The etag: a 休み sent again meanwhile (a whole day for a half) is read again, not removed unseen.
        return (await deleteIfPresent(this.leaves, partitionKey, personId, entity.etag)) ? { outcome: 'cancelled', entry } : { outcome: 'none' };
      } catch (error) {
        if (!isChangedSinceRead(error) || attempt === 3) throw error;
      }
    }
  }

  private toRecord(tenantId: string, unit: string, day: string, entity: CheckinEntity): CheckinRecord {
    return {
      tenantId,
      unit,
      day,
      slot: entity.slot,
      personId: entity.personId,
      answers: JSON.parse(entity.answers) as CheckinRecord['answers'],
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      helpTakenBy: entity.helpTakenBy || undefined,
    };
  }
}

function halfOf(entity: Pick<LeaveEntity, 'half'>): HalfDay | undefined {
  return HALF_DAYS.find((h) => h === entity.half);
}
