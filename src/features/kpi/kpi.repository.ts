import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { submitInBatches } from '../../storage/batch';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { findEntity, rowPrefixFilter } from '../../storage/table-ops';
import type { PeriodRow } from './kpi.aggregate';
import { fromEntity, toEntity, type DecodedRow, type KpiEntity } from './kpi.entity';
import { rowKeyOf } from './kpi.figures';
import type { SurveySummary } from './kpi.policy';
import type { KpiRow } from './kpi.rollup';
import { surveyEntities } from './kpi.survey-entity';
import type { Period } from './kpi.types';

/**
 * HR storage: the tables HR's own tools (Excel, Power BI) read, possibly in a storage account of
 * their own (HR_STORAGE_CONNECTION_STRING). Names and columns are a contract: docs/storage.md.
 */
export const KPI_TABLES = { daily: 'kpidaily', periods: 'kpiperiods', state: 'kpistate', surveys: 'kpisurveys' } as const;

/** kpistate: PK = tenant, RK = `rollup`; `lastDay` = the last day the nightly job has rolled up. */
type StateEntity = { partitionKey: string; rowKey: string; lastDay: string; updatedAt: string };

const STATE_ROW = 'rollup';

export class KpiRepository {
  private readonly daily: TableClient;
  private readonly periods: TableClient;
  private readonly state: TableClient;
  private readonly surveys: TableClient;

  constructor(tables: TableClientFactory) {
    this.daily = tables.table(KPI_TABLES.daily);
    this.periods = tables.table(KPI_TABLES.periods);
    this.state = tables.table(KPI_TABLES.state);
    this.surveys = tables.table(KPI_TABLES.surveys);
  }

  /** kpidaily: PK = tenant|day, RK = town / unit|<課> / role|<role>. The day's rows replace what was there, leftovers included. */
  async replaceDay(tenantId: string, day: string, rows: readonly KpiRow[]): Promise<void> {
    const partitionKey = compositeKey(tenantId, day);
    const entities = rows.map((row) => toEntity(partitionKey, rowKeyOf(row.key), tenantId, row.key, row.figures, { kind: 'day', day }));
    await this.replacePartition(this.daily, partitionKey, entities);
  }

  /** kpiperiods: PK = tenant|period id (`2026-05`, `FY2026H1`, `FY2026`), RK as kpidaily. */
  async replacePeriod(tenantId: string, period: Period, rows: readonly PeriodRow[]): Promise<void> {
    const partitionKey = compositeKey(tenantId, period.id);
    const entities = rows.map((row) => toEntity(partitionKey, rowKeyOf(row.key), tenantId, row.key, row.figures, { kind: 'period', period, row }));
    await this.replacePartition(this.periods, partitionKey, entities);
  }

  /** kpisurveys: PK = tenant|period id, RK = town / rolegroup|<group> / unit|<課>; no survey closed in the period = no rows. */
  async replaceSurvey(tenantId: string, period: Period, survey: SurveySummary | undefined): Promise<void> {
    const partitionKey = compositeKey(tenantId, period.id);
    await this.replacePartition(this.surveys, partitionKey, survey ? surveyEntities(partitionKey, tenantId, period.id, survey) : []);
  }

  /** Every daily row of from..to: one range query over the days' partitions. */
  async dailyRows(tenantId: string, from: string, to: string): Promise<DecodedRow[]> {
    const filter = odata`PartitionKey ge ${compositeKey(tenantId, from)} and PartitionKey le ${compositeKey(tenantId, to)}`;
    return this.list(this.daily, filter);
  }

  /** Every row of one period (town, units, roles). */
  async periodRows(tenantId: string, periodId: string): Promise<DecodedRow[]> {
    return this.list(this.periods, odata`PartitionKey eq ${compositeKey(tenantId, periodId)}`);
  }

  /**
   * The 1on1 columns of every 課 row of one period: all the town-wide report needs of its units, so
   * a city of 150 課 costs little more to read than a town of 7.
   */
  async unitRows(tenantId: string, periodId: string, columns: readonly string[]): Promise<DecodedRow[]> {
    const filter = rowPrefixFilter(compositeKey(tenantId, periodId), 'unit|');
    const out: DecodedRow[] = [];
    const select = ['level', 'unit', ...columns];
    for await (const e of this.periods.listEntities<Record<string, unknown>>({ queryOptions: { filter, select } })) out.push(fromEntity(e));
    return out;
  }

  /** The rows of several months at once: month ids sort as their partitions do, so it is one range query. */
  async monthRows(tenantId: string, firstMonth: string, lastMonth: string): Promise<(DecodedRow & { month: string })[]> {
    const filter = odata`PartitionKey ge ${compositeKey(tenantId, firstMonth)} and PartitionKey le ${compositeKey(tenantId, lastMonth)}`;
    const out: (DecodedRow & { month: string })[] = [];
    for await (const e of this.periods.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push({ ...fromEntity(e), month: String(e.period) });
    }
    return out;
  }

  async periodRow(tenantId: string, periodId: string, rowKey: string): Promise<DecodedRow | undefined> {
    const entity = await findEntity<Record<string, unknown>>(this.periods, compositeKey(tenantId, periodId), rowKey);
    return entity ? fromEntity(entity) : undefined;
  }

  async lastRolledDay(tenantId: string): Promise<string | undefined> {
    return (await findEntity<StateEntity>(this.state, tenantId, STATE_ROW))?.lastDay;
  }

  async setLastRolledDay(tenantId: string, day: string, at: Date): Promise<void> {
    await this.state.upsertEntity<StateEntity>({ partitionKey: tenantId, rowKey: STATE_ROW, lastDay: day, updatedAt: at.toISOString() }, 'Replace');
  }

  private async list(table: TableClient, filter: string): Promise<DecodedRow[]> {
    const out: DecodedRow[] = [];
    for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(fromEntity(e));
    return out;
  }

  /** Upserts (Replace) the new rows and deletes the partition's others, so running a day again leaves exactly its rows. */
  private async replacePartition(table: TableClient, partitionKey: string, entities: readonly KpiEntity[]): Promise<void> {
    const keep = new Set(entities.map((e) => e.rowKey));
    const actions: TransactionAction[] = entities.map((e) => ['upsert', e, 'Replace']);
    for await (const old of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } })) {
      if (!keep.has(old.rowKey as string)) actions.push(['delete', { partitionKey, rowKey: old.rowKey as string }]);
    }
    await submitInBatches(table, actions);
  }
}
