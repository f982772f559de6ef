import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { DEFAULT_SCHEDULE, type UnitSchedule } from './unit-schedule.schema';
import { findEntity } from '../../storage/table-ops';

export const UNIT_SCHEDULES_TABLE = 'unitschedules';

/** unitschedules: PK = tenant, RK = unit. A unit without a row uses the defaults. */
type UnitScheduleEntity = {
  partitionKey: string;
  rowKey: string;
  morningAt: string;
  eveningAt: string;
  reminderAfterMinutes: number;
  morningCloseAt: string;
  eveningCloseAt: string;
  summaryTeamId: string;
  summaryChannelId: string;
};

export class UnitScheduleRepository {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(UNIT_SCHEDULES_TABLE);
  }

  async get(tenantId: string, unit: string): Promise<UnitSchedule> {
    const e = await findEntity<UnitScheduleEntity>(this.table, tenantId, compositeKey(unit));
    if (!e) return DEFAULT_SCHEDULE;
    return {
      morningAt: e.morningAt,
      eveningAt: e.eveningAt,
      reminderAfterMinutes: e.reminderAfterMinutes,
      morningCloseAt: e.morningCloseAt,
      eveningCloseAt: e.eveningCloseAt,
      summaryChannel: e.summaryTeamId && e.summaryChannelId ? { teamId: e.summaryTeamId, channelId: e.summaryChannelId } : undefined,
    };
  }

  async save(tenantId: string, unit: string, schedule: UnitSchedule): Promise<void> {
    await this.table.upsertEntity<UnitScheduleEntity>(
      {
        partitionKey: tenantId,
        rowKey: compositeKey(unit),
        morningAt: schedule.morningAt,
        eveningAt: schedule.eveningAt,
        reminderAfterMinutes: schedule.reminderAfterMinutes,
        morningCloseAt: schedule.morningCloseAt,
        eveningCloseAt: schedule.eveningCloseAt,
        summaryTeamId: schedule.summaryChannel?.teamId ?? '',
        summaryChannelId: schedule.summaryChannel?.channelId ?? '',
      },
      'Replace',
    );
  }
}
