import path from 'node:path';
import type { AppConfig } from '../config';
import { azuriteConnectionString, startAzurite } from './azurite';
import type { TokenCredential } from '@azure/identity';
import { azureCredential, hrStorageOf, mainStorageOf, type StorageTarget } from './storage-target';
import { TableClientFactory } from './table-client-factory';

export interface OpenedStorage {
  main: StorageTarget;
  /** HR's own account for the KPI rollups; undefined = the main storage. */
  hr: StorageTarget | undefined;
  /** True when this is development's Azurite rather than a configured account. */
  local: boolean;
  /** Stops the Azurite this call started, if any. */
  close(): Promise<void>;
}

/**
 * The storage the environment names; without one (development only: production's config refuses
 * it) the Azurite of `npm start` under DATA_DIR, reused when it is running, else started.
 */
export async function openStorage(config: AppConfig, options: { reuseRunning: boolean }): Promise<OpenedStorage> {
  let credential: TokenCredential | undefined;
  const oneCredential = (): TokenCredential => (credential ??= azureCredential(config.env));
  const hr = hrStorageOf(config.env, oneCredential);
  const main = mainStorageOf(config.env, oneCredential);
  if (main) return { main, hr, local: false, close: async () => undefined };
  if (config.production) throw new Error('production never runs on local storage: set STORAGE_ACCOUNT_URL or STORAGE_CONNECTION_STRING');
  const local = azuriteConnectionString(config.env.AZURITE_TABLE_PORT);
  if (options.reuseRunning && (await new TableClientFactory(local).ping()))
    return { main: { connectionString: local }, hr, local: true, close: async () => undefined };
  const azurite = await startAzurite({ port: config.env.AZURITE_TABLE_PORT, location: path.resolve(config.env.DATA_DIR, 'azurite') });
  return { main: { connectionString: azurite.connectionString }, hr, local: true, close: azurite.stop };
}
