import type { AppConfig } from './config';
import { createAdapter } from './bot/adapter';
import { HibiBot } from './bot/hibi-bot';
import { InstallCapture } from './bot/install-capture';
import { Router } from './bot/router';
import { ConversationReferencesRepository } from './delivery/conversation-references.repository';
import { helpHandlers } from './features/help/help.handlers';
import { OrgRepository } from './features/org/org.repository';
import { languageRoute } from './features/preferences/language.handlers';
import { PreferencesRepository } from './features/preferences/preferences.repository';
import { createHttpServer } from './server/http';
import type { Logger } from './shared/logger';
import { TableClientFactory } from './storage/table-client-factory';
import { ALL_TABLES } from './storage/table-names';

export interface App {
  tables: TableClientFactory;
  org: OrgRepository;
  /** Starts listening; resolves to the bound port (0 picks a free one). */
  start(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
}

/** Builds hibi from its configuration and a storage connection; the composition root for main and tests. */
export async function createApp(config: AppConfig, connectionString: string, logger: Logger): Promise<App> {
  const tables = new TableClientFactory(connectionString);
  await tables.ensureTables(ALL_TABLES);

  const org = new OrgRepository(tables);
  const preferences = new PreferencesRepository(tables);
  const references = new ConversationReferencesRepository(tables);

  const router = new Router(async (ctx) => help.unknown(ctx));
  const help = helpHandlers(() => router.listCommands());
  router.command(help.route).command(languageRoute(preferences));

  const bot = new HibiBot({
    org,
    preferences,
    capture: new InstallCapture(references),
    router,
    logger,
    allowedTenants: config.env.ALLOWED_TENANTS,
    fallbackTenantId: config.production ? undefined : config.env.DEV_TENANT_ID,
  });
  const http = createHttpServer({ adapter: createAdapter(config, logger), bot, logger, storageHealthy: () => tables.ping() });

  return {
    tables,
    org,
    start: (port, host) => http.listen(port, host),
    stop: () => http.stop(config.env.SHUTDOWN_TIMEOUT_MS),
  };
}
