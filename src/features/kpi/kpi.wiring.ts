import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { KpiRollupJob } from './kpi.job';
import type { PolicyKpiSources, SurveyKpiSource } from './kpi.policy';
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
  /** The survey source, when wired: the CSV export takes the survey of each period from it, with its labels. */
  survey?: SurveyKpiSource;
}

export interface KpiWiringDeps {
  /** HR storage: HR_STORAGE_CONNECTION_STRING, or the main account. */
  hrTables: TableClientFactory;
  repositories: KpiSourceRepositories;
  clock: Clock;
  logger?: Logger;
  /** KPI_ROLLUP_AT: when the nightly job is due (Tokyo HH:mm). */
  rollupAt: string;
  /** The paid-leave, training and OJT features' tallies; absent, those figures are not shown. */
  policy?: PolicyKpiSources;
  /** The survey feature's results; absent, the report has no engagement part. */
  survey?: SurveyKpiSource;
}

/**
 * One PolicyKpiSources from the three features' sources (each implements its own method): bound
 * here, since a class's methods do not survive an object spread.
 */
export function policySourcesOf(parts: {
  paidLeave: Pick<PolicyKpiSources, 'paidLeave'>;
  training: Pick<PolicyKpiSources, 'training'>;
  ojt: Pick<PolicyKpiSources, 'ojt'>;
}): PolicyKpiSources {
  return {
    paidLeave: (tenantId, period) => parts.paidLeave.paidLeave(tenantId, period),
    training: (tenantId, period) => parts.training.training(tenantId, period),
    ojt: (tenantId, period) => parts.ojt.ojt(tenantId, period),
  };
}

/** The KPI layer as the app and the CLI use it; creates the rollup tables in HR storage. */
export async function createKpi(deps: KpiWiringDeps): Promise<Kpi> {
  await deps.hrTables.ensureTables(Object.values(KPI_TABLES));
  const store = new KpiRepository(deps.hrTables);
  const job = new KpiRollupJob({
    sources: new KpiSources(deps.repositories),
    store,
    clock: deps.clock,
    logger: deps.logger,
    policy: deps.policy,
    survey: deps.survey,
  });
  return { job, reader: new RollupKpiReader(store, deps.survey), schedule: new KpiSchedule(job, deps.rollupAt), store, survey: deps.survey };
}
