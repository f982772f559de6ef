import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { startAzurite, type RunningAzurite } from '../../src/storage/azurite';
import { TABLES } from '../../src/storage/table-names';
import { personalMessage } from '../helpers/activities';
import { ConnectorDouble } from '../helpers/connector-double';
import { AppServiceIdentityEndpoint, makeLoopbackCertificate, testStorageCredential } from '../helpers/entra-doubles';
import { freePort } from '../helpers/free-port';
import { ONEONONE_CSV } from '../helpers/oneonone-org';
import { killLeftovers, startServer, type ServerProcess } from '../helpers/server-process';

const ROOT = path.join(__dirname, '..', '..');
const ENTRA_TENANT = randomUUID();
const IDENTITY_CLIENT_ID = randomUUID();

/**
 * Storage reached the way production reaches it: an HTTPS Table endpoint that takes Entra ID tokens
 * (Azurite with --oauth basic) and the web app's managed identity (App Service's identity endpoint,
 * on loopback), through DefaultAzureCredential in the real server and CLI processes. No account key
 * is given to either.
 */
describe('keyless storage (STORAGE_ACCOUNT_URL with a managed identity)', () => {
  let dir: string;
  let certFile: string;
  let azurite: RunningAzurite;
  const identity = new AppServiceIdentityEndpoint({ tenantId: ENTRA_TENANT, clientId: IDENTITY_CLIENT_ID });
  const connector = new ConnectorDouble();
  const tenant = randomUUID();
  let keyless: Record<string, string>;

  const table = (name: string, credential: TokenCredential) =>
    new TableClient(azurite.tableUrl, name, credential, { tlsOptions: { ca: readFileSync(certFile) } });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hibi-keyless-'));
    const tls = makeLoopbackCertificate(dir);
    certFile = tls.certFile;
    azurite = await startAzurite({ port: await freePort(), oauth: tls });
    await identity.start();
    await connector.start();
    keyless = {
      // As Bicep's primaryEndpoints.table gives it, with the trailing slash.
      STORAGE_ACCOUNT_URL: `${azurite.tableUrl}/`,
      STORAGE_CONNECTION_STRING: '',
      AZURE_CLIENT_ID: IDENTITY_CLIENT_ID,
      ...identity.environment,
      // The loopback certificate is trusted the way a PC trusts a corporate proxy's: by the process, not by hibi's code.
      NODE_EXTRA_CA_CERTS: certFile,
    };
  });

  afterAll(async () => {
    await killLeftovers();
    await connector.stop();
    await identity.stop();
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm run org:import loads the directory with the identity’s token', async () => {
    const file = path.join(dir, 'org.csv');
    writeFileSync(file, ONEONONE_CSV);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src', 'directory', 'org-import.cli.ts'), file, '--tenant', tenant],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...keyless } },
    );
    expect(stdout).toContain('9 名を取り込みました');
    expect(identity.requests.length).toBeGreaterThan(0);
    expect(identity.requests.every((r) => r.headerOk && r.clientId === IDENTITY_CLIENT_ID && r.apiVersion === '2019-08-01')).toBe(true);
    expect(identity.requests.map((r) => r.resource)).toContain('https://storage.azure.com');

    const people: unknown[] = [];
    for await (const row of table(TABLES.people, testStorageCredential({ tenantId: ENTRA_TENANT, clientId: IDENTITY_CLIENT_ID })).listEntities({
      queryOptions: { filter: `PartitionKey eq '${tenant}'` },
    }))
      people.push(row);
    expect(people).toHaveLength(9);
  });

  it('the server starts on it, reports storage reachable and answers a person of that directory', async () => {
    const before = identity.requests.length;
    const server: ServerProcess = await startServer('keyless', { ...keyless, SCHEDULER_ENABLED: 'false', ALLOWED_TENANTS: tenant });
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', storage: 'reachable' });
    expect(identity.requests.length).toBeGreaterThan(before);
    expect(server.logs.find((l) => l.msg === 'hibi listening on /api/messages')).toMatchObject({ storage: 'entra-id' });

    const user = { id: '29:keyless-x', aadObjectId: '00000000-0000-4000-8000-000000000007' };
    const response = await fetch(`http://127.0.0.1:${server.port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(personalMessage({ serviceUrl: connector.serviceUrl, tenantId: tenant, user }, 'ヘルプ')),
    });
    expect(response.status).toBeLessThan(300);
    expect(connector.sent().length).toBeGreaterThan(0);
    const references: unknown[] = [];
    for await (const row of table(TABLES.conversations, testStorageCredential({ tenantId: ENTRA_TENANT, clientId: IDENTITY_CLIENT_ID })).listEntities({
      queryOptions: { filter: `PartitionKey eq '${tenant}'` },
    }))
      references.push(row);
    expect(references.length).toBeGreaterThan(0);

    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });

  it('is refused what a real account refuses: an expired token, a token for another audience', async () => {
    const expired = testStorageCredential({ tenantId: ENTRA_TENANT, clientId: IDENTITY_CLIENT_ID, lifetimeSeconds: -120 });
    await expect(table(TABLES.people, expired).listEntities().next()).rejects.toMatchObject({ statusCode: expect.any(Number) });
    const otherAudience = testStorageCredential({ tenantId: ENTRA_TENANT, clientId: IDENTITY_CLIENT_ID, audience: 'https://vault.azure.net' });
    const error = await table(TABLES.people, otherAudience)
      .listEntities()
      .next()
      .then(
        () => undefined,
        (e: { statusCode?: number }) => e,
      );
    expect([401, 403]).toContain(error?.statusCode);
  });

  it('stops the server at start when its identity gets no token, with one line naming the variables', async () => {
    const stranger = randomUUID();
    const error = await startServer('keyless-wrong-identity', { ...keyless, AZURE_CLIENT_ID: stranger, SCHEDULER_ENABLED: 'false' }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/exited before listening \(code 1/);
    expect(error?.message).toContain(
      `storage: no Entra ID token for STORAGE_ACCOUNT_URL=${azurite.tableUrl}/ from the managed identity AZURE_CLIENT_ID=${stranger}`,
    );
    expect(error?.message).toContain('No User Assigned or Delegated Managed Identity found');
  });
});
