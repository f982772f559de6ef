import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { KpiRollupJob } from './kpi.job';
import { RollupKpiReader } from './kpi.reader';
import { KPI_TABLES, KpiRepository } from './kpi.repository';
import { KpiSchedule } from './kpi.schedule';
import { KpiSources, type KpiSourceRepositories } from './kpi.sources';
import type { KpiReader } from './kpi.types';

export interface Kpi {
  job: KpiRollupJob;
  reader: KpiReader;
  schedule: KpiSchedule;
  store: KpiRepository;
}

export interface KpiWiringDeps {
  /** HR storage: HR_STORAGE_CONNECTION_STRING, or the main account. */
  hrTables: TableClientFactory;
  repositories: KpiSourceRepositories;
  clock: Clock;
  logger?: Logger;
  /** KPI_ROLLUP_AT: when the nightly job is due (Tokyo HH:mm). */
  rollupAt: string;
}

/** The KPI layer as the app and the CLI use it; creates the rollup tables in HR storage. */
export async function createKpi(deps: KpiWiringDeps): Promise<Kpi> {
  await deps.hrTables.ensureTables(Object.values(KPI_TABLES));
  const store = new KpiRepository(deps.hrTables);
  const job = new KpiRollupJob({ sources: new KpiSources(deps.repositories), store, clock: deps.clock, logger: deps.logger });
  return { job, reader: new RollupKpiReader(store), schedule: new KpiSchedule(job, deps.rollupAt), store };
}
