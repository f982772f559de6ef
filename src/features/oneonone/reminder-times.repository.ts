import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { findEntity } from '../../storage/table-ops';
import { ONEONONE_TABLES } from './oneonone.repository';
import { DEFAULT_REMINDER_TIMES, type ReminderTimes } from './reminder-times.schema';

/** The one row key of a tenant's reminder times. */
const ROW = 'reminders';

/** oneononesettings: PK = tenant, RK = "reminders"; no row = the defaults 09:00 / 16:00 / 30 minutes. */
type ReminderTimesEntity = ReminderTimes & { partitionKey: string; rowKey: string; updatedBy: string; updatedAt: string };

export class ReminderTimesRepository {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(ONEONONE_TABLES.settings);
  }

  async get(tenantId: string): Promise<ReminderTimes> {
    const e = await findEntity<ReminderTimesEntity>(this.table, tenantId, ROW);
    return e ? { agendaPromptAt: e.agendaPromptAt, managerReminderAt: e.managerReminderAt, soonMinutes: e.soonMinutes } : DEFAULT_REMINDER_TIMES;
  }

  async save(tenantId: string, times: ReminderTimes, by: string, at: Date): Promise<void> {
    await this.table.upsertEntity<ReminderTimesEntity>(
      { partitionKey: tenantId, rowKey: ROW, ...times, updatedBy: by, updatedAt: at.toISOString() },
      'Replace',
    );
  }
}
