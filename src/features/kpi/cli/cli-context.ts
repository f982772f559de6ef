import { DateTime } from 'luxon';
import { z } from 'zod';
import { APP_TABLES } from '../../../app-tables';
import { tokyoDay } from '../../../calendar/office-calendar';
import { loadConfig, type AppConfig } from '../../../config';
import { JobRunsRepository } from '../../../scheduler/job-runs.repository';
import { readFlags as readCliFlags } from '../../../shared/cli-flags';
import { systemClock } from '../../../shared/clock';
import { openStorage } from '../../../storage/open-storage';
import { TableClientFactory } from '../../../storage/table-client-factory';
import { CheckinRepository } from '../../checkin/checkin.public';
import { KudosRepository } from '../../kudos/kudos.public';
import { NearMissRepository } from '../../nearmiss/nearmiss.public';
import { OneOnOneRepository } from '../../oneonone/oneonone.public';
import { OrgRepository } from '../../../directory/org.repository';
import { featureKpiSources } from '../kpi.feature-sources';
import { createKpi, type Kpi } from '../kpi.wiring';

export { UsageError } from '../../../shared/cli-flags';

/** Where a subcommand writes: stdout for results, stderr for progress and errors (tests pass their own). */
export interface CliIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** A `npm run kpi -- <name> ...` subcommand; resolves to the process exit code. */
export interface KpiCommand {
  name: string;
  usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Every KPI flag takes a value: `--flag value`, read as the other CLIs read theirs. */
export function readFlags<T extends z.ZodType>(argv: readonly string[], flags: readonly string[], schema: T): z.infer<T> {
  return readCliFlags(argv, Object.fromEntries(flags.map((flag) => [flag, 'string' as const])), schema);
}

/** A calendar day on the command line. */
export const dayFlag = () =>
  z
    .string({ error: 'required: a day YYYY-MM-DD' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day YYYY-MM-DD')
    .refine((d) => DateTime.fromISO(d).isValid, 'not a calendar day');

export const tenantFlag = z.string().trim().min(1).max(100).optional();

export interface KpiStorage {
  config: AppConfig;
  kpi: Kpi;
  org: OrgRepository;
  kudos: KudosRepository;
  tenantId: string;
  /** Today in Tokyo (DEV_NOW in development). */
  today: string;
  close(): Promise<void>;
}

/**
 * The storage the app uses (STORAGE_ACCOUNT_URL or STORAGE_CONNECTION_STRING), or in development the
 * Azurite `npm start` runs (started on the same data when it is not running); the rollup tables in
 * HR's own account when one is set.
 */
export async function openKpiStorage(env: NodeJS.ProcessEnv, tenant: string | undefined): Promise<KpiStorage> {
  const config = loadConfig(env);
  const storage = await openStorage(config, { reuseRunning: true });
  const tables = new TableClientFactory(storage.main);
  // A storage account hibi has not run on yet reads as empty rather than failing on a missing table.
  await tables.ensureTables(APP_TABLES);
  const hrTables = storage.hr ? new TableClientFactory(storage.hr) : tables;
  const org = new OrgRepository(tables);
  const kudos = new KudosRepository(tables);
  const checkins = new CheckinRepository(tables);
  const repositories = {
    org,
    checkins,
    jobRuns: new JobRunsRepository(tables),
    oneonones: new OneOnOneRepository(tables),
    nearmisses: new NearMissRepository(tables),
    kudos,
  };
  const kpi = await createKpi({
    hrTables,
    repositories,
    clock: systemClock,
    rollupAt: config.env.KPI_ROLLUP_AT,
    ...featureKpiSources({ tables, org, checkins, clock: systemClock }),
  });
  const now = config.env.DEV_NOW ? new Date(config.env.DEV_NOW) : new Date();
  return { config, kpi, org, kudos, tenantId: tenant ?? config.env.DEV_TENANT_ID, today: tokyoDay(now), close: storage.close };
}
