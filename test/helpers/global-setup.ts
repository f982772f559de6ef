import { startAzurite } from '../../src/storage/azurite';
import { freePort } from './free-port';

/** One in-memory Azurite for the whole run; each test file isolates itself by tenant id. */
export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite({ port: await freePort() });
  process.env.TEST_STORAGE_CONNECTION_STRING = azurite.connectionString;
  process.env.TEST_AZURITE_PID = String(azurite.pid);
  (globalThis as { __azurite__?: typeof azurite }).__azurite__ = azurite;
}
