import type { AppConfig } from './config';
import { APP_TABLES } from './app-tables';
import { activityProcessor, createAdapter } from './bot/adapter';
import { createConnectorPort } from './bot/connector-port';
import { HibiBot } from './bot/hibi-bot';
import { InstallCapture } from './bot/install-capture';
import { Router } from './bot/router';
import { TurnLimiter } from './bot/turn-limiter';
import { ConversationReferencesRepository } from './delivery/conversation-references.repository';
import { createDeliveryLayer } from './delivery/delivery-layer';
import { TeamsUsersRepository } from './delivery/teams-users.repository';
import type { DrainSummary } from './delivery/outbox-worker';
import { checkinHandlers } from './features/checkin/checkin.handlers';
import { CheckinRepository } from './features/checkin/checkin.repository';
import { CheckinSchedule } from './features/checkin/checkin.schedule';
import { checkinSettingsHandlers } from './features/checkin/settings.handlers';
import { UnitScheduleRepository } from './features/checkin/unit-schedule.repository';
import { helpHandlers } from './features/help/help.handlers';
import { nearmissHandlers } from './features/nearmiss/nearmiss.handlers';
import { NearMissRepository } from './features/nearmiss/nearmiss.repository';
import { NearMissSchedule } from './features/nearmiss/nearmiss.schedule';
import { kudosHandlers } from './features/kudos/kudos.handlers';
import { KudosRepository } from './features/kudos/kudos.repository';
import { KudosSchedule } from './features/kudos/kudos.schedule';
import { kudosSearchRoute } from './features/kudos/kudos.search';
import { plusHandlers } from './features/kudos/plus.handlers';
import { createKpi, type Kpi } from './features/kpi/kpi.wiring';
import { featureKpiSources } from './features/kpi/kpi.feature-sources';
import { registerHandlers } from './features/training/register.handlers';
import { trainingHandlers } from './features/training/training.handlers';
import { TrainingRepository } from './features/training/training.repository';
import { TrainingSchedule } from './features/training/training.schedule';
import { reportRoute } from './features/kpi/report.handlers';
import { paidLeaveRoute } from './features/paidleave/paidleave.handlers';
import { assignRoute } from './features/ojt/assign.handlers';
import { ojtHandlers } from './features/ojt/ojt.handlers';
import { OjtRepository } from './features/ojt/ojt.repository';
import { OjtSchedule } from './features/ojt/ojt.schedule';
import { ojtSummaryOf } from './features/ojt/ojt.summary';
import { oneononeHandlers } from './features/oneonone/oneonone.handlers';
import { OneOnOneRepository } from './features/oneonone/oneonone.repository';
import { OneOnOneSchedule } from './features/oneonone/oneonone.schedule';
import { overdueActionsOf } from './features/oneonone/overdue-actions';
import { PrivateTexts } from './features/oneonone/private-texts.repository';
import { recordHandlers } from './features/oneonone/record.handlers';
import { ReminderTimesRepository } from './features/oneonone/reminder-times.repository';
import { OrgRepository } from './features/org/org.repository';
import { RetentionSchedule } from './features/data/retention.schedule';
import { orgSyncSchedules } from './features/org/org-sync.schedule';
import { notInstalledRoute } from './features/org/reach.handlers';
import { languageRoute } from './features/preferences/language.handlers';
import { surveyHandlers } from './features/survey/survey.handlers';
import { SurveyRepository } from './features/survey/survey.repository';
import { SurveySchedule } from './features/survey/survey.schedule';
import { orgLocaleResolver, peopleLocalesResolver, personLocaleResolver } from './features/preferences/locale-resolver';
import { PreferencesRepository } from './features/preferences/preferences.repository';
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
  const delivery = createDeliveryLayer({ config, tables, references, logger, port: createConnectorPort(config), tenantIds: options.tenants, clock: options.deliveryClock });
  const localeOf = personLocaleResolver(org, preferences);
  const checkins = new CheckinRepository(tables);
  const schedules = new UnitScheduleRepository(tables);
  const ojtDeps = { ojt: new OjtRepository(tables), org, notifier: delivery.notifier, localeOf, clock };
  const oneonone = { meetings: new OneOnOneRepository(tables), texts: new PrivateTexts(tables), org, notifier: delivery.notifier, localeOf, reminderTimes: new ReminderTimesRepository(tables), ojtSummaryOf: ojtSummaryOf(ojtDeps) };

  const router = new Router(async (ctx) => help.unknown(ctx));
  const help = helpHandlers(() => router.listCommands());
  const checkin = checkinHandlers({ checkins, org, notifier: delivery.notifier, localeOf, clock, overdueActionsOf: overdueActionsOf(oneonone) });
  router.command(help.route);
  for (const route of checkin.commands) router.command(route);
  for (const route of checkin.verbs) router.verb(route);
  const settings = checkinSettingsHandlers({ org, schedules, references });
  router.command(settings.command).verb(settings.verb);
  router.command(notInstalledRoute({ org, references, reachability: delivery.reachability, clock }));
  router.command(languageRoute(preferences));
  const oneononeRoutes = oneononeHandlers({ ...oneonone, clock });
  router.command(oneononeRoutes.command);
  for (const route of [...oneononeRoutes.verbs, ...recordHandlers({ ...oneonone, clock })]) router.verb(route);
  const nearmissDeps = { reports: new NearMissRepository(tables), org, notifier: delivery.notifier, localeOf, clock };
  const nearmiss = nearmissHandlers(nearmissDeps);
  for (const route of nearmiss.commands) router.command(route);
  for (const route of nearmiss.verbs) router.verb(route);
  // Kudos and the near-miss digest read the unit's channel through this function only: the check-in settings own that table.
  const unitChannelOf = async (tenantId: string, unit: string) => (await schedules.get(tenantId, unit)).summaryChannel;
  const kudosDeps = { kudos: new KudosRepository(tables), org, preferences, notifier: delivery.notifier, localeOf, orgLocale: orgLocaleResolver(org), unitChannelOf, clock, dailyLimit: config.env.KUDOS_DAILY_LIMIT };
  for (const routes of [kudosHandlers(kudosDeps), plusHandlers(kudosDeps)]) router.command(routes.command).verb(routes.verb);
  router.search(kudosSearchRoute(kudosDeps));
  const surveyDeps = { surveys: new SurveyRepository(tables), org, notifier: delivery.notifier, localesOf: peopleLocalesResolver(org, preferences), clock, questionsFile: config.env.SURVEY_QUESTIONS_FILE };
  const survey = surveyHandlers(surveyDeps);
  router.command(survey.command).verb(survey.verb);
  const trainingDeps = { trainings: new TrainingRepository(tables), org, clock, reminderOfficeDaysBefore: config.env.TRAINING_REMINDER_DAYS_BEFORE };
  for (const routes of [registerHandlers(trainingDeps), trainingHandlers(trainingDeps)]) router.command(routes.command).verb(routes.verb);
  const ojt = ojtHandlers(ojtDeps);
  router.command(ojt.command).command(assignRoute(ojtDeps));
  for (const route of ojt.verbs) router.verb(route);
  const featureSources = featureKpiSources({ tables, org, checkins, clock });
  router.command(paidLeaveRoute({ source: featureSources.paidLeave }));

  const kpiTables = hrTablesOf(config, storage) ?? tables;
  const kpi = await createKpi({
    hrTables: kpiTables,
    repositories: { org, checkins, jobRuns: new JobRunsRepository(tables), oneonones: oneonone.meetings, nearmisses: nearmissDeps.reports, kudos: kudosDeps.kudos },
    clock,
    logger,
    rollupAt: config.env.KPI_ROLLUP_AT,
    policy: featureSources.policy,
    survey: featureSources.survey,
  });
  router.command(reportRoute({ reader: kpi.reader, org, clock }));

  const scheduler = new Scheduler({
    sources: [new CheckinSchedule({ checkins, org, notifier: delivery.notifier, localesOf: peopleLocalesResolver(org, preferences), orgLocale: orgLocaleResolver(org), schedules, overdueActionsOf: overdueActionsOf(oneonone) }), ...new OneOnOneSchedule(oneonone).sources, new KudosSchedule(kudosDeps), new NearMissSchedule({ ...nearmissDeps, orgLocale: orgLocaleResolver(org), unitChannelOf }), kpi.schedule, new SurveySchedule(surveyDeps), new TrainingSchedule({ ...trainingDeps, notifier: delivery.notifier, localesOf: peopleLocalesResolver(org, preferences) }), new OjtSchedule(ojtDeps), new RetentionSchedule({ tables, hrTables: kpiTables, clock, logger }), ...(await orgSyncSchedules({ env: config.env, tables, org, clock, logger }))],
    jobRuns: new JobRunsRepository(tables),
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
  const http = createHttpServer({ process: activityProcessor(createAdapter(config, logger), bot), logger, storageHealthy: () => tables.ping(), maxBodyBytes: config.env.MAX_BODY_BYTES });
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
