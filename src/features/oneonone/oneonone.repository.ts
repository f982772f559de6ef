import { odata, type TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { forEachLimited } from '../../shared/concurrency';
import { compositeKey } from '../../storage/table-keys';
import { DEFAULT_CADENCE_DAYS, type Meeting, type Pair } from './oneonone.schema';
import { createIfAbsent, deleteIfPresent, findEntity, keyStartsWith, rowPrefixFilter } from '../../storage/table-ops';

/** New pair rows written at once: enough to hide the round trips, few enough not to crowd the turns' requests. */
const PAIR_WRITES_IN_FLIGHT = 16;

export const ONEONONE_TABLES = {
  meetings: 'oneonones',
  held: 'oneononeheld',
  pairs: 'oneononepairs',
  texts: 'oneononetexts',
  openActions: 'oneononeopenactions',
  unitCadences: 'oneononeunitcadences',
  settings: 'oneononesettings',
} as const;

/**
 * oneonones: PK = tenant|manager (a manager's view is one partition query), RK = member|meeting.
 * Countable facts only (who, when, held or not): what HR's KPI layer reads. The texts are elsewhere.
 */
type MeetingEntity = Omit<Meeting, 'tenantId' | 'heldDay' | 'heldAt' | 'confirmedAt'> & {
  partitionKey: string;
  rowKey: string;
  heldDay: string;
  heldAt: string;
  confirmedAt: string;
};

/**
 * oneononeheld: PK = tenant|heldDay, RK = manager|member|meeting. The held 1on1s by the day they took
 * place, so HR's nightly rollup reads a range of days rather than every meeting ever booked.
 */
type HeldEntity = { partitionKey: string; rowKey: string } & HeldFacts;
export type HeldFacts = Pick<Meeting, 'managerId' | 'memberId' | 'unit' | 'memberRole'> & { heldDay: string };

/**
 * The partition of the marker row saying a tenant's held meetings are all in the index: after "9999",
 * so no range of days ever reads it. Tenants whose meetings predate the index get it after one backfill.
 */
const INDEXED = '~indexed';

/** The row saying every held meeting of the tenant is in the index. */
export function heldIndexMarker(tenantId: string): { partitionKey: string; rowKey: string } {
  return { partitionKey: compositeKey(tenantId, INDEXED), rowKey: '' };
}

/** oneononepairs: PK = tenant, RK = manager|member; ownCadenceDays 0 = the pair follows its unit. */
type PairEntity = { partitionKey: string; rowKey: string; managerId: string; memberId: string; since: string; ownCadenceDays?: number };

/** oneononeunitcadences: PK = tenant, RK = unit; HR's cadence for the unit's pairs. */
type UnitCadenceEntity = { partitionKey: string; rowKey: string; unit: string; cadenceDays: number; updatedBy: string; updatedAt: string };

export class OneOnOneRepository {
  private readonly meetings: TableClient;
  private readonly held: TableClient;
  private readonly pairs: TableClient;
  private readonly unitCadences: TableClient;

  constructor(tables: TableClientFactory) {
    this.meetings = tables.table(ONEONONE_TABLES.meetings);
    this.held = tables.table(ONEONONE_TABLES.held);
    this.pairs = tables.table(ONEONONE_TABLES.pairs);
    this.unitCadences = tables.table(ONEONONE_TABLES.unitCadences);
  }

  /**
   * Adds the directory's new pairs with today as their start, so a pair's first 1on1 falls due one
   * cadence after hibi first saw it rather than at once. Each pair comes back with the cadence in
   * force, read here so every view, reminder and digest agrees on it.
   */
  async syncPairs(tenantId: string, current: readonly { managerId: string; memberId: string; unit: string }[], today: string): Promise<Pair[]> {
    const known = new Map<string, { since: string; ownCadenceDays?: number }>();
    for await (const e of this.pairs.listEntities<PairEntity>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
      known.set(e.rowKey, { since: e.since, ownCadenceDays: e.ownCadenceDays || undefined });
    }
    const byUnit = await this.listUnitCadences(tenantId);
    const out: Pair[] = [];
    const added: PairEntity[] = [];
    for (const { managerId, memberId, unit } of current) {
      const rowKey = compositeKey(managerId, memberId);
      let stored = known.get(rowKey);
      if (!stored) {
        stored = { since: today };
        added.push({ partitionKey: tenantId, rowKey, managerId, memberId, since: today });
      }
      const cadenceDays = stored.ownCadenceDays ?? byUnit.get(unit) ?? DEFAULT_CADENCE_DAYS;
      out.push({ managerId, memberId, since: stored.since, cadenceDays, ownCadenceDays: stored.ownCadenceDays });
    }
    // A town's first start adds every pair (9,900 at 10,000 people): several writes in flight, not one
    // after another. Each is its own create, so a pair another instance added first keeps its start day.
    await forEachLimited(added, PAIR_WRITES_IN_FLIGHT, async (entity) => {
      await createIfAbsent<PairEntity>(this.pairs, entity);
    });
    return out;
  }

  /**
   * The directory's pairs hibi already knows, with their start day and the cadence in force, without
   * adding new ones: HR's KPI rollup reads history and must not start anyone's cadence clock.
   */
  async listPairs(tenantId: string, current: readonly { managerId: string; memberId: string; unit: string }[]): Promise<Pair[]> {
    const known = new Map<string, { since: string; ownCadenceDays?: number }>();
    for await (const e of this.pairs.listEntities<PairEntity>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
      known.set(e.rowKey, { since: e.since, ownCadenceDays: e.ownCadenceDays || undefined });
    }
    const byUnit = await this.listUnitCadences(tenantId);
    return current.flatMap(({ managerId, memberId, unit }) => {
      const stored = known.get(compositeKey(managerId, memberId));
      if (!stored) return [];
      const cadenceDays = stored.ownCadenceDays ?? byUnit.get(unit) ?? DEFAULT_CADENCE_DAYS;
      return [{ managerId, memberId, since: stored.since, cadenceDays, ownCadenceDays: stored.ownCadenceDays }];
    });
  }

  /** The manager's own cadence for a pair hibi already knows; undefined = follow the unit again. */
  async setPairCadence(tenantId: string, managerId: string, memberId: string, days: number | undefined): Promise<void> {
    await this.pairs.updateEntity({ partitionKey: tenantId, rowKey: compositeKey(managerId, memberId), ownCadenceDays: days ?? 0 }, 'Merge');
  }

  async listUnitCadences(tenantId: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for await (const e of this.unitCadences.listEntities<UnitCadenceEntity>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
      out.set(e.unit, e.cadenceDays);
    }
    return out;
  }

  async setUnitCadence(tenantId: string, unit: string, days: number, by: string, at: Date): Promise<void> {
    await this.unitCadences.upsertEntity<UnitCadenceEntity>(
      { partitionKey: tenantId, rowKey: compositeKey(unit), unit, cadenceDays: days, updatedBy: by, updatedAt: at.toISOString() },
      'Replace',
    );
  }

  async listForManager(tenantId: string, managerId: string): Promise<Meeting[]> {
    return this.query(odata`PartitionKey eq ${compositeKey(tenantId, managerId)}`, tenantId);
  }

  async listForPair(tenantId: string, managerId: string, memberId: string): Promise<Meeting[]> {
    return this.query(rowPrefixFilter(compositeKey(tenantId, managerId), `${compositeKey(memberId)}|`), tenantId);
  }

  /** Every 1on1 of the tenant, for the weekly overdue digest: one range query over the tenant's partitions. */
  async listAll(tenantId: string): Promise<Meeting[]> {
    return this.query(keyStartsWith('PartitionKey', `${compositeKey(tenantId)}|`), tenantId);
  }

  /**
   * The tenant's 1on1s held on or after `fromDay`, with the columns HR's KPI rollup counts (pair,
   * member's unit and role, held day): one range query over the index's days, never the meetings.
   */
  async listHeldSince(tenantId: string, fromDay: string): Promise<HeldFacts[]> {
    await this.indexOnce(tenantId);
    const filter = `${odata`PartitionKey ge ${compositeKey(tenantId, fromDay)}`} and ${odata`PartitionKey lt ${compositeKey(tenantId, INDEXED)}`}`;
    const out: HeldFacts[] = [];
    for await (const e of this.held.listEntities<HeldEntity>({ queryOptions: { filter } })) {
      out.push({ managerId: e.managerId, memberId: e.memberId, unit: e.unit, memberRole: e.memberRole, heldDay: e.heldDay });
    }
    return out;
  }

  /**
   * Meetings held before the index existed: read from the meetings once per tenant, then the marker.
   * Two instances doing it at once write the same rows; a run cut short runs again.
   */
  private async indexOnce(tenantId: string): Promise<void> {
    const marker = heldIndexMarker(tenantId);
    if (await findEntity(this.held, marker.partitionKey, marker.rowKey)) return;
    const filter = `${keyStartsWith('PartitionKey', `${compositeKey(tenantId)}|`)} and ${odata`status eq ${'held'}`}`;
    const select = ['managerId', 'memberId', 'meetingId', 'unit', 'memberRole', 'heldDay', 'status'];
    for await (const e of this.meetings.listEntities<MeetingEntity>({ queryOptions: { filter, select } })) {
      const entity = heldEntity(tenantId, e);
      if (entity) await this.held.upsertEntity<HeldEntity>(entity, 'Replace');
    }
    await createIfAbsent(this.held, heldIndexMarker(tenantId));
  }

  /** Scheduled 1on1s of the whole tenant on days from..to: the reminders' input, one range query. */
  async listScheduledBetween(tenantId: string, from: string, to: string): Promise<Meeting[]> {
    const filter = `${keyStartsWith('PartitionKey', `${compositeKey(tenantId)}|`)} and ${odata`status eq ${'scheduled'} and day ge ${from} and day le ${to}`}`;
    return this.query(filter, tenantId);
  }

  async get(tenantId: string, managerId: string, memberId: string, meetingId: string): Promise<Meeting | undefined> {
    const e = await findEntity<MeetingEntity>(this.meetings, compositeKey(tenantId, managerId), compositeKey(memberId, meetingId));
    return e && toMeeting(tenantId, e);
  }

  /**
   * Saves the meeting and keeps its row in the held index with it: the old row goes when the meeting
   * stops being held or its held day moves. The index row is written after the meeting and on every
   * save of a held one, so saving again mends an index row a crash left out.
   */
  async save(meeting: Meeting): Promise<void> {
    const partitionKey = compositeKey(meeting.tenantId, meeting.managerId);
    const rowKey = compositeKey(meeting.memberId, meeting.meetingId);
    const before = await findEntity<MeetingEntity>(this.meetings, partitionKey, rowKey);
    await this.meetings.upsertEntity<MeetingEntity>(
      {
        partitionKey,
        rowKey,
        managerId: meeting.managerId,
        memberId: meeting.memberId,
        meetingId: meeting.meetingId,
        unit: meeting.unit,
        memberRole: meeting.memberRole,
        day: meeting.day,
        time: meeting.time,
        lengthMinutes: meeting.lengthMinutes,
        status: meeting.status,
        heldDay: meeting.heldDay ?? '',
        heldAt: meeting.heldAt ?? '',
        confirmedAt: meeting.confirmedAt ?? '',
        createdAt: meeting.createdAt,
        updatedAt: meeting.updatedAt,
      },
      'Replace',
    );
    const was = before && heldEntity(meeting.tenantId, before);
    const now = heldEntity(meeting.tenantId, { ...meeting, heldDay: meeting.heldDay ?? '' });
    if (was && was.partitionKey !== now?.partitionKey) await deleteIfPresent(this.held, was.partitionKey, was.rowKey);
    if (now) await this.held.upsertEntity<HeldEntity>(now, 'Replace');
  }

  private async query(filter: string, tenantId: string): Promise<Meeting[]> {
    const out: Meeting[] = [];
    for await (const e of this.meetings.listEntities<MeetingEntity>({ queryOptions: { filter } })) out.push(toMeeting(tenantId, e));
    return out;
  }
}

/** The index row of a held meeting; undefined for one not held. Exported for the KPI bench's seed, which writes meetings in bulk. */
export function heldEntity(
  tenantId: string,
  m: Pick<MeetingEntity, 'managerId' | 'memberId' | 'meetingId' | 'unit' | 'memberRole' | 'status' | 'heldDay'>,
): HeldEntity | undefined {
  if (m.status !== 'held' || !m.heldDay) return undefined;
  return {
    partitionKey: compositeKey(tenantId, m.heldDay),
    rowKey: compositeKey(m.managerId, m.memberId, m.meetingId),
    managerId: m.managerId,
    memberId: m.memberId,
    unit: m.unit,
    memberRole: m.memberRole,
    heldDay: m.heldDay,
  };
}

function toMeeting(tenantId: string, e: MeetingEntity): Meeting {
  return {
    tenantId,
    managerId: e.managerId,
    memberId: e.memberId,
    meetingId: e.meetingId,
    unit: e.unit,
    memberRole: e.memberRole,
    day: e.day,
    time: e.time,
    lengthMinutes: e.lengthMinutes,
    status: e.status,
    heldDay: e.heldDay || undefined,
    heldAt: e.heldAt || undefined,
    confirmedAt: e.confirmedAt || undefined,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
