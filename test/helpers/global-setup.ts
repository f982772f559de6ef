import { createServer } from 'node:net';
import { startAzurite } from '../../src/storage/azurite';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** One in-memory Azurite for the whole run; each test file isolates itself by tenant id. */
export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite({ port: await freePort() });
  process.env.TEST_STORAGE_CONNECTION_STRING = azurite.connectionString;
  process.env.TEST_AZURITE_PID = String(azurite.pid);
  (globalThis as { __azurite__?: typeof azurite }).__azurite__ = azurite;
}
