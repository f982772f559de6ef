import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { createApp, type App, type AppOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/shared/logger';
import { ConnectorDouble } from './connector-double';

export interface TestApp {
  app: App;
  connector: ConnectorDouble;
  tenantId: string;
  url: string;
  connectionString: string;
  /** Posts an activity the way Teams does; resolves to the HTTP status. */
  post(activity: object, headers?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

export function testConnectionString(): string {
  const value = process.env.TEST_STORAGE_CONNECTION_STRING;
  if (!value) throw new Error('jest global setup did not start Azurite');
  return value;
}

/**
 * A real hibi on a free port, on the run's Azurite, answering to a fresh connector double. With
 * `logTo`, every log line at any level goes there, for tests that check what is never logged.
 */
export async function startTestApp(env: Record<string, string> = {}, options: AppOptions = {}, logTo?: DestinationStream): Promise<TestApp> {
  const tenantId = env.TEST_TENANT_ID ?? randomUUID();
  const connectionString = testConnectionString();
  const config = loadConfig({ LOG_LEVEL: 'silent', STORAGE_CONNECTION_STRING: connectionString, SHUTDOWN_TIMEOUT_MS: '2000', ...env });
  const app = await createApp(config, connectionString, createLogger(logTo ? 'trace' : config.env.LOG_LEVEL, logTo), {
    background: false,
    tenants: [tenantId],
    ...options,
  });
  const port = await app.start(0, '127.0.0.1');
  const connector = new ConnectorDouble();
  await connector.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    connector,
    tenantId,
    url,
    connectionString,
    post: async (activity, headers = {}) => {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      await response.text();
      return response.status;
    },
    stop: async () => {
      await app.stop();
      await connector.stop();
    },
  };
}
