import { CHECKIN_TABLES } from './features/checkin/checkin.repository';
import { UNIT_SCHEDULES_TABLE } from './features/checkin/unit-schedule.repository';
import { DATA_TABLES } from './features/data/retention.repository';
import { FEATURE_KPI_TABLES } from './features/kpi/kpi.feature-sources';
import { KUDOS_TABLES } from './features/kudos/kudos.repository';
import { NEARMISS_TABLES } from './features/nearmiss/nearmiss.repository';
import { ONEONONE_TABLES } from './features/oneonone/oneonone.repository';
import { ORG_SYNC_TABLES } from './directory/org-sync.repository';
import { DELIVERY_INSTANCES_TABLE } from './delivery/delivery-instances.repository';
import { JOB_RUNS_TABLE } from './scheduler/job-runs.repository';
import { ALL_TABLES } from './storage/table-names';

/**
 * Every table of the main storage account, from the shared layers and each feature (HR's rollup
 * tables are KPI_TABLES, on HR's account). The app creates them at start and every CLI does too, so
 * an account hibi has not run on reads as empty; the data lifecycle classifies each of them.
 */
export const APP_TABLES: readonly string[] = [
  ...ALL_TABLES,
  ...Object.values(CHECKIN_TABLES),
  UNIT_SCHEDULES_TABLE,
  JOB_RUNS_TABLE,
  ...Object.values(ONEONONE_TABLES),
  ...Object.values(NEARMISS_TABLES),
  ...Object.values(KUDOS_TABLES),
  ...Object.values(DATA_TABLES),
  ...FEATURE_KPI_TABLES,
  ...Object.values(ORG_SYNC_TABLES),
  DELIVERY_INSTANCES_TABLE,
];
