import { odata, type TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { DEFAULT_CADENCE_DAYS, type Meeting, type Pair } from './oneonone.schema';
import { createIfAbsent, findEntity, keyStartsWith, rowPrefixFilter } from '../../storage/table-ops';

export const ONEONONE_TABLES = { meetings: 'oneonones', pairs: 'oneononepairs', texts: 'oneononetexts', unitCadences: 'oneononeunitcadences', settings: 'oneononesettings' } as const;

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

/** oneononepairs: PK = tenant, RK = manager|member; ownCadenceDays 0 = the pair follows its unit. */
type PairEntity = { partitionKey: string; rowKey: string; managerId: string; memberId: string; since: string; ownCadenceDays?: number };

/** oneononeunitcadences: PK = tenant, RK = unit; HR's cadence for the unit's pairs. */
type UnitCadenceEntity = { partitionKey: string; rowKey: string; unit: string; cadenceDays: number; updatedBy: string; updatedAt: string };

export class OneOnOneRepository {
  private readonly meetings: TableClient;
  private readonly pairs: TableClient;
  private readonly unitCadences: TableClient;

  constructor(tables: TableClientFactory) {
    this.meetings = tables.table(ONEONONE_TABLES.meetings);
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
    for (const { managerId, memberId, unit } of current) {
      const rowKey = compositeKey(managerId, memberId);
      let stored = known.get(rowKey);
      if (!stored) {
        stored = { since: today };
        // false: another instance added it first; its start day is as good as ours.
        await createIfAbsent<PairEntity>(this.pairs, { partitionKey: tenantId, rowKey, managerId, memberId, since: today });
      }
      const cadenceDays = stored.ownCadenceDays ?? byUnit.get(unit) ?? DEFAULT_CADENCE_DAYS;
      out.push({ managerId, memberId, since: stored.since, cadenceDays, ownCadenceDays: stored.ownCadenceDays });
    }
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
   * member's unit and role, held day): one range query, never the rows' other columns.
   */
  async listHeldSince(tenantId: string, fromDay: string): Promise<Pick<Meeting, 'managerId' | 'memberId' | 'unit' | 'memberRole' | 'heldDay'>[]> {
    const filter = `${keyStartsWith('PartitionKey', `${compositeKey(tenantId)}|`)} and ${odata`status eq ${'held'} and heldDay ge ${fromDay}`}`;
    const out: Pick<Meeting, 'managerId' | 'memberId' | 'unit' | 'memberRole' | 'heldDay'>[] = [];
    const select = ['managerId', 'memberId', 'unit', 'memberRole', 'heldDay'];
    for await (const e of this.meetings.listEntities<MeetingEntity>({ queryOptions: { filter, select } })) {
      out.push({ managerId: e.managerId, memberId: e.memberId, unit: e.unit, memberRole: e.memberRole, heldDay: e.heldDay });
    }
    return out;
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

  async save(meeting: Meeting): Promise<void> {
    await this.meetings.upsertEntity<MeetingEntity>(
      {
        partitionKey: compositeKey(meeting.tenantId, meeting.managerId),
        rowKey: compositeKey(meeting.memberId, meeting.meetingId),
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
  }

  private async query(filter: string, tenantId: string): Promise<Meeting[]> {
    const out: Meeting[] = [];
    for await (const e of this.meetings.listEntities<MeetingEntity>({ queryOptions: { filter } })) out.push(toMeeting(tenantId, e));
    return out;
  }
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
