import { CHECKIN_TABLES, UNIT_SCHEDULES_TABLE } from './features/checkin/checkin.public';
import { DATA_TABLES } from './features/data/data.public';
import { KUDOS_TABLES } from './features/kudos/kudos.public';
import { NEARMISS_TABLES } from './features/nearmiss/nearmiss.public';
import { OJT_TABLES } from './features/ojt/ojt.public';
import { ONEONONE_TABLES } from './features/oneonone/oneonone.public';
import { PAIDLEAVE_TABLE } from './features/paidleave/paidleave.public';
import { SURVEY_TABLE } from './features/survey/survey.public';
import { TRAINING_TABLES } from './features/training/training.public';
import { ORG_SYNC_TABLES } from './directory/org-sync.repository';
import { DELIVERY_INSTANCES_TABLE } from './delivery/delivery-instances.repository';
import { JOB_RUNS_TABLE } from './scheduler/job-runs.repository';
import { ALL_TABLES } from './storage/table-names';

/**
 * Every table of the main storage account, from the shared layers and each feature's public file
 * (HR's rollup tables are KPI_TABLES, on HR's account). The app creates them at start and every CLI does too, so
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
  PAIDLEAVE_TABLE,
  ...Object.values(TRAINING_TABLES),
  ...Object.values(OJT_TABLES),
  SURVEY_TABLE,
  ...Object.values(ORG_SYNC_TABLES),
  DELIVERY_INSTANCES_TABLE,
];
