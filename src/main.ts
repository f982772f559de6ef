import path from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { startAzurite, type RunningAzurite } from './storage/azurite';
import { createLogger } from './shared/logger';
import { shiftedClock, systemClock } from './shared/clock';

export interface Running {
  config: AppConfig;
  port: number;
  connectionString: string;
  stop(): Promise<void>;
}

/** Reads the environment, starts Azurite in development, starts the bot. */
export async function start(source: NodeJS.ProcessEnv = process.env): Promise<Running> {
  const config = loadConfig(source);
  const logger = createLogger(config.env.LOG_LEVEL);
  let azurite: RunningAzurite | undefined;
  let connectionString = config.env.STORAGE_CONNECTION_STRING;
  if (!connectionString) {
    azurite = await startAzurite({ port: config.env.AZURITE_TABLE_PORT, location: path.resolve(config.env.DATA_DIR, 'azurite') });
    connectionString = azurite.connectionString;
    logger.info({ port: azurite.port }, 'Azurite table service started (development storage)');
  }
  const clock = config.env.DEV_NOW ? shiftedClock(new Date(config.env.DEV_NOW)) : systemClock;
  const app = await createApp(config, connectionString, logger, { clock });
  const port = await app.start(config.env.PORT);
  logger.info({ port, production: config.production }, 'hibi listening on /api/messages');
  return {
    config,
    port,
    connectionString,
    stop: async () => {
      await app.stop();
      await azurite?.stop();
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
