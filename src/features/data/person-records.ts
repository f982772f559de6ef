import { UNIT_SCHEDULES_TABLE } from '../checkin/checkin.public';
import { KPI_TABLES } from '../kpi/kpi.public';
import { NEARMISS_TABLES } from '../nearmiss/nearmiss.public';
import { DELIVERY_INSTANCES_TABLE } from '../../delivery/delivery-instances.repository';
import { JOB_RUNS_TABLE } from '../../scheduler/job-runs.repository';
import { TABLES } from '../../storage/table-names';
import { checkinTables } from './person-records/checkin.records';
import { deliveryTables } from './person-records/delivery.records';
import { directoryTables, personalSettingsTables } from './person-records/directory.records';
import { kudosTables } from './person-records/kudos.records';
import { nearmissTables } from './person-records/nearmiss.records';
import { oneononeTables } from './person-records/oneonone.records';
import { orgSyncTables } from './person-records/orgsync.records';
import { retentionTables } from './person-records/retention.records';
import { paidLeaveTables } from '../paidleave/paidleave.public';
import { ojtTables } from '../ojt/ojt.public';
import { trainingTables, TRAINING_TABLES } from '../training/training.public';
import { surveyTables } from '../survey/survey.public';
import type { PersonTable } from './person-table';

export { DEPARTED, type Change, type Found, type PersonScope, type PersonTable } from './person-table';

/**
 * Every table that can hold a person, in the export's order. The purge runs them in this order too,
 * with the directory last; where a table finds its rows through another, that other comes later
 * (1on1 texts before the meetings and pairs that name their managers, kudos marks before kudos).
 */
export const PERSON_TABLES: readonly PersonTable[] = [
  ...directoryTables,
  ...personalSettingsTables,
  ...deliveryTables,
  ...checkinTables,
  ...oneononeTables,
  ...nearmissTables,
  ...kudosTables,
  ...retentionTables,
  ...orgSyncTables,
  ...paidLeaveTables,
  ...ojtTables,
  ...trainingTables,
  ...surveyTables,
];

/** The directory goes last: a purge cut short leaves the person findable, so running it again finishes it. */
export const PURGE_ORDER: readonly PersonTable[] = [...PERSON_TABLES.filter((t) => !directoryTables.includes(t)), ...directoryTables];

/** The tables that hold no person, each with why (checked against the code, kept honest by a unit test). */
export const TABLES_WITHOUT_PERSONS: Readonly<Record<string, string>> = {
  [TABLES.units]: 'unit names only',
  [TABLES.orgSettings]: 'the organisation’s language and last import time',
  [TABLES.outboxPending]: 'days with open sends',
  [DELIVERY_INSTANCES_TABLE]: 'running instances’ heartbeats: host, process and expiry; no person',
  [UNIT_SCHEDULES_TABLE]: 'a unit’s times and summary channel',
  [JOB_RUNS_TABLE]: 'job ids: slots, units, 1on1 meeting ids, months; no person id',
  [NEARMISS_TABLES.counters]: 'the last report number of a year',
  [NEARMISS_TABLES.repeats]: 'unit, category and cause of a repeat flag',
  [NEARMISS_TABLES.forms]: 'a form id and the report number it filed: nothing leads back to the reporter',
  [KPI_TABLES.daily]: 'town / unit / role rollups: counts, sums, averages; no person, no free text',
  [KPI_TABLES.periods]: 'the same rollups by month, half and year',
  [KPI_TABLES.state]: 'the last day rolled up',
  [KPI_TABLES.surveys]: 'a closed survey’s figures by town, role group and 課, groups under 3 answers absent; no answer, no person',
  [TRAINING_TABLES.trainings]: 'a training HR registered: name, dates, kind, the 課 and 役職 it is for; no person',
};
