import { createApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { openStorage } from './storage/open-storage';
import { storageStartFailure, type StorageTarget } from './storage/storage-target';
import { createLogger } from './shared/logger';
import { shiftedClock, systemClock } from './shared/clock';

export interface Running {
  config: AppConfig;
  port: number;
  storage: StorageTarget;
  stop(): Promise<void>;
}

/** Reads the environment, starts Azurite in development, starts the bot. */
export async function start(source: NodeJS.ProcessEnv = process.env): Promise<Running> {
  const config = loadConfig(source);
  const logger = createLogger(config.env.LOG_LEVEL);
  for (const warning of config.warnings) logger.warn(warning);
  const storage = await openStorage(config, { reuseRunning: false });
  if (storage.local) logger.info({ port: config.env.AZURITE_TABLE_PORT }, 'Azurite table service started (development storage)');
  const clock = config.env.DEV_NOW ? shiftedClock(new Date(config.env.DEV_NOW)) : systemClock;
  const app = await createApp(config, storage.main, logger, { clock }).catch(async (error: unknown) => {
    await storage.close();
    const reason = storageStartFailure(error, config.env);
    throw reason ? new ConfigError(reason) : error;
  });
  const port = await app.start(config.env.PORT);
  logger.info({ port, production: config.production, storage: 'url' in storage.main ? 'entra-id' : 'connection-string' }, 'hibi listening on /api/messages');
  return {
    config,
    port,
    storage: storage.main,
    stop: async () => {
      await app.stop();
      await storage.close();
    },
  };
}

function exitOnSignals(running: Running): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  start().then(exitOnSignals, (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
