import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../storage/table-client-factory';
import { compositeKey } from '../storage/table-keys';
import { findEntity } from '../storage/table-ops';

export const JOB_RUNS_TABLE = 'jobruns';

/**
 * jobruns: PK = tenant|day, RK = job id (e.g. checkin.prompt|morning|住民課). Written after a job's
 * sends are all in the outbox, so a job that crashed half-way runs again (its sends are idempotent).
 */
type JobRunEntity = { partitionKey: string; rowKey: string; finishedAt: string };

export class JobRunsRepository {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(JOB_RUNS_TABLE);
  }

  async isDone(tenantId: string, day: string, jobId: string): Promise<boolean> {
    return (await findEntity<JobRunEntity>(this.table, compositeKey(tenantId, day), compositeKey(jobId))) !== undefined;
  }

  async markDone(tenantId: string, day: string, jobId: string, at: Date): Promise<void> {
    await this.table.upsertEntity<JobRunEntity>(
      { partitionKey: compositeKey(tenantId, day), rowKey: compositeKey(jobId), finishedAt: at.toISOString() },
      'Replace',
    );
  }
}
