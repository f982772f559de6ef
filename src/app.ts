import type { AppConfig } from './config';
import { APP_TABLES } from './app-tables';
import { activityProcessor, createAdapter } from './bot/adapter';
import { createConnectorPort } from './bot/connector-port';
import { HibiBot } from './bot/hibi-bot';
import { InstallCapture } from './bot/install-capture';
import { Router } from './routing/router';
import { TurnLimiter } from './bot/turn-limiter';
import { ConversationReferencesRepository } from './delivery/conversation-references.repository';
import { createDeliveryLayer } from './delivery/delivery-layer';
import { TeamsUsersRepository } from './delivery/teams-users.repository';
import type { DrainSummary } from './delivery/outbox-worker';
import { checkinModule } from './features/checkin/checkin.module';
import { RetentionSchedule } from './features/data/retention.schedule';
import { mountFeatures, type FeatureLayers, type FeatureModule } from './features/feature-module';
import { helpModule } from './features/help/help.module';
import { featureKpiSources } from './features/kpi/kpi.feature-sources';
import { createKpi, type Kpi } from './features/kpi/kpi.wiring';
import { kpiReportModule } from './features/kpi/report.module';
import { kudosModule } from './features/kudos/kudos.module';
import { nearmissModule } from './features/nearmiss/nearmiss.module';
import { ojtModule } from './features/ojt/ojt.module';
import { oneononeModule } from './features/oneonone/oneonone.module';
import { orgSyncSchedules } from './directory/org-sync.schedule';
import { OrgRepository } from './directory/org.repository';
import { reachModule } from './features/reach/reach.module';
import { paidleaveModule } from './features/paidleave/paidleave.module';
import { languageModule } from './features/language/language.module';
import { orgLocaleResolver, peopleLocalesResolver, personLocaleResolver } from './preferences/locale-resolver';
import { PreferencesRepository } from './preferences/preferences.repository';
import { surveyModule } from './features/survey/survey.module';
import { trainingModule } from './features/training/training.module';
import { JobRunsRepository } from './scheduler/job-runs.repository';
import { Scheduler } from './scheduler/scheduler';
import { createHttpServer } from './server/http';
import { systemClock, type Clock } from './shared/clock';
import type { Logger } from './shared/logger';
import { azureCredential, hrStorageOf, type StorageTarget } from './storage/storage-target';
import { TableClientFactory } from './storage/table-client-factory';

export interface App {
  tables: TableClientFactory;
  org: OrgRepository;
  /** The KPI rollup (nightly job, backfill) and its reader, over HR storage. */
  kpi: Kpi;
  /** Runs the scheduled jobs that are due now; resolves to how many ran. */
  runDueJobs(): Promise<number>;
  /** Delivers everything waiting in the outbox (tests; the worker does it in the background). */
  deliverPending(options?: { waitUpToMs?: number }): Promise<DrainSummary>;
  /** Starts listening, the outbox worker and (unless disabled) the scheduler; resolves to the port. */
  start(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Injected so tests can place the app on a given office day. */
  clock?: Clock;
  /** The outbox's clock (leases, retry deadlines); real time by default, whatever `clock` says. */
  deliveryClock?: Clock;
  /** Serve only these tenants in background work (tests share one Azurite). Default: every tenant with a directory. */
  tenants?: readonly string[];
  /** false = no background worker or scheduler; tests drive them with runDueJobs / deliverPending. */
  background?: boolean;
}

/** Builds hibi from its configuration and its storage (a target, or a connection string); the composition root for main and tests. */
export async function createApp(config: AppConfig, storage: StorageTarget | string, logger: Logger, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const tables = new TableClientFactory(storage);
  await tables.ensureTables(APP_TABLES);

  const directoryCacheMs = config.env.DIRECTORY_CACHE_SECONDS * 1000;
  const org = new OrgRepository(tables, directoryCacheMs);
  const preferences = new PreferencesRepository(tables, directoryCacheMs);
  const references = new ConversationReferencesRepository(tables);
  const delivery = createDeliveryLayer({
    config,
    tables,
    references,
    logger,
    port: createConnectorPort(config),
    tenantIds: options.tenants,
    clock: options.deliveryClock,
  });
  const layers: FeatureLayers = {
    tables,
    org,
    preferences,
    references,
    notifier: delivery.notifier,
    localeOf: personLocaleResolver(org, preferences),
    localesOf: peopleLocalesResolver(org, preferences),
    orgLocale: orgLocaleResolver(org),
    clock,
  };
  const jobRuns = new JobRunsRepository(tables);

  // What one feature serves another is passed in here, so no feature reads another's tables.
  const ojt = ojtModule(layers);
  const oneonone = oneononeModule(layers, { ojtSummaryOf: ojt.summaryOf });
  const checkin = checkinModule(layers, { overdueActionsOf: oneonone.overdueActionsOf });
  const nearmiss = nearmissModule(layers, { unitChannelOf: checkin.unitChannelOf });
  const kudos = kudosModule(layers, { unitChannelOf: checkin.unitChannelOf, dailyLimit: config.env.KUDOS_DAILY_LIMIT });
  const featureSources = featureKpiSources({ tables, org, checkins: checkin.checkins, clock });
  const kpiTables = hrTablesOf(config, storage) ?? tables;
  const repositories = { org, checkins: checkin.checkins, jobRuns, oneonones: oneonone.meetings, nearmisses: nearmiss.reports, kudos: kudos.kudos };
  const kpi = await createKpi({
    hrTables: kpiTables,
    repositories,
    clock,
    logger,
    rollupAt: config.env.KPI_ROLLUP_AT,
    policy: featureSources.policy,
    survey: featureSources.survey,
  });

  const router = new Router(async (ctx) => help.unknown(ctx));
  const help = helpModule(() => router.listCommands());
  // Mounted in this order: the help card lists their commands, and a scheduler tick runs their jobs, in it.
  const features: FeatureModule[] = [
    help,
    checkin,
    reachModule(layers, { reachability: delivery.reachability }),
    languageModule(layers),
    oneonone,
    nearmiss,
    kudos,
    surveyModule(layers, { questionsFile: config.env.SURVEY_QUESTIONS_FILE }),
    trainingModule(layers, { reminderOfficeDaysBefore: config.env.TRAINING_REMINDER_DAYS_BEFORE }),
    ojt,
    paidleaveModule({ source: featureSources.paidLeave }),
    kpiReportModule(layers, { reader: kpi.reader }),
  ];
  const featureJobs = mountFeatures(router, features, APP_TABLES);

  const scheduler = new Scheduler({
    sources: [
      ...featureJobs,
      kpi.schedule,
      new RetentionSchedule({ tables, hrTables: kpiTables, clock, logger }),
      ...(await orgSyncSchedules({ env: config.env, tables, org, clock, logger })),
    ],
    jobRuns,
    tenants: async () => (options.tenants ? [...options.tenants] : org.listTenants()),
    clock,
    logger,
  });

  const bot = new HibiBot({
    org,
    preferences,
    capture: new InstallCapture(references, new TeamsUsersRepository(tables), org),
    router,
    logger,
    allowedTenants: config.env.ALLOWED_TENANTS,
    fallbackTenantId: config.production ? undefined : config.env.DEV_TENANT_ID,
    // Real time, not the app's clock: the limit is about how fast messages arrive, whatever day it pretends to be.
    turnLimiter: new TurnLimiter(config.env.TURN_RATE_LIMIT_PER_MINUTE, systemClock),
  });
  const http = createHttpServer({
    process: activityProcessor(createAdapter(config, logger), bot),
    logger,
    storageHealthy: () => tables.ping(),
    maxBodyBytes: config.env.MAX_BODY_BYTES,
  });
  const background = options.background ?? true;

  return {
    tables,
    org,
    kpi,
    runDueJobs: () => scheduler.tick(),
    deliverPending: (drain) => delivery.worker.drain(drain),
    start: async (port, host) => {
      const bound = await http.listen(port, host);
      if (background) {
        delivery.worker.start();
        if (config.env.SCHEDULER_ENABLED) scheduler.start();
      }
      return bound;
    },
    stop: async () => {
      await scheduler.stop();
      await http.stop(config.env.SHUTDOWN_TIMEOUT_MS);
      await delivery.worker.stop();
    },
  };
}

/** HR's own storage account when one is configured; a keyless one shares the main storage's credential. */
function hrTablesOf(config: AppConfig, main: StorageTarget | string): TableClientFactory | undefined {
  const hr = hrStorageOf(config.env, () => (typeof main !== 'string' && 'credential' in main ? main.credential : azureCredential(config.env)));
  return hr && new TableClientFactory(hr);
}
