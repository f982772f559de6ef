// First, before any library loads: how V8 sizes its heap (see the module).
import './runtime/heap-flags';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { openStorage } from './storage/open-storage';
import { storageStartFailure, type StorageTarget } from './storage/storage-target';
import { createLogger } from './shared/logger';
import { shiftedClock, systemClock } from './shared/clock';
import { startTelemetry } from './telemetry/azure-monitor';

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
  const telemetry = await startTelemetry(config.env);
  if (telemetry.enabled) logger.info('traces and metrics go to Azure Monitor');
  const storage = await openStorage(config, { reuseRunning: false });
  if (storage.local) logger.info({ port: config.env.AZURITE_TABLE_PORT }, 'Azurite table service started (development storage)');
  const clock = config.env.DEV_NOW ? shiftedClock(new Date(config.env.DEV_NOW)) : systemClock;
  // Loaded only now, not imported above: Azure Monitor's HTTP instrumentation patches modules as they
  // load, and restify's server and botbuilder's client are traced only if they load after it.
  const { createApp } = await import('./app');
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
      await telemetry.shutdown();
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
