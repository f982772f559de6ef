import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDemoOrg, DEMO_STAFF_AAD_OBJECT_ID } from '../../src/directory/demo-org';
import { TABLES } from '../../src/storage/table-names';
import { personalInstall, personalMessage, type ActivityOptions } from '../helpers/activities';
import { killLeftovers, startServer } from '../helpers/server-process';
import { startTestApp, testConnectionString, type TestApp } from '../helpers/test-app';

const ROOT = path.join(__dirname, '..', '..');

describe('production mode (MicrosoftAppId set)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: '66666666-7777-4888-9999-000000000000',
      ALLOWED_TENANTS: '66666666-7777-4888-9999-000000000000',
    });
  });
  afterAll(() => t.stop());

  it('refuses a request without a Bot Framework token with 401 and runs no handler', async () => {
    const staff: ActivityOptions = { serviceUrl: t.connector.serviceUrl, tenantId: '66666666-7777-4888-9999-000000000000', user: { id: '29:x' } };
    expect(await t.post(personalMessage(staff, 'ヘルプ'))).toBe(401);
    expect(await t.post(personalMessage(staff, 'ヘルプ'), { authorization: 'Bearer not.a.jwt' })).toBe(401);
    expect(t.connector.calls).toHaveLength(0);
  });
});

describe('tenant gate', () => {
  let t: TestApp;
  const foreignTenant = 'f0f0f0f0-0000-4000-8000-000000000000';
  beforeAll(async () => {
    t = await startTestApp({ TEST_TENANT_ID: 'a1a1a1a1-0000-4000-8000-000000000000', ALLOWED_TENANTS: 'a1a1a1a1-0000-4000-8000-000000000000' });
    await t.app.org.importDirectory(t.tenantId, buildDemoOrg());
    await t.app.org.importDirectory(foreignTenant, buildDemoOrg());
  });
  afterAll(() => t.stop());

  it('gives an activity from a tenant outside ALLOWED_TENANTS no answer and stores nothing', async () => {
    const foreign: ActivityOptions = {
      serviceUrl: t.connector.serviceUrl,
      tenantId: foreignTenant,
      user: { id: '29:f', aadObjectId: DEMO_STAFF_AAD_OBJECT_ID },
    };
    await t.post(personalInstall(foreign));
    await t.post(personalMessage(foreign, 'ヘルプ'));
    expect(t.connector.calls).toHaveLength(0);
    const refs: unknown[] = [];
    for await (const ref of t.app.tables.table(TABLES.conversations).listEntities({ queryOptions: { filter: `PartitionKey eq '${foreignTenant}'` } }))
      refs.push(ref);
    expect(refs).toEqual([]);
  });

  it('answers the allowed tenant', async () => {
    const allowed: ActivityOptions = { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId, user: { id: '29:a', aadObjectId: DEMO_STAFF_AAD_OBJECT_ID } };
    await t.post(personalMessage(allowed, 'ヘルプ'));
    expect(t.connector.sent()).toHaveLength(1);
  });
});

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const loader = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', loader, path.join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', STORAGE_CONNECTION_STRING: testConnectionString(), LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('configuration', () => {
  it('stops the start with one line naming a bad variable', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty' });
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.startsWith('invalid environment variable'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toContain('"eighty"');
  });

  it('requires ALLOWED_TENANTS and the password in production', async () => {
    const { code, stderr } = await runMain({
      MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
      MicrosoftAppTenantId: '66666666-7777-4888-9999-000000000000',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('MicrosoftAppPassword');
    expect(stderr).toContain('ALLOWED_TENANTS');
  });

  it('exits before listening when production names no storage, and starts no local Azurite', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'hibi-prod-')), 'data');
    const { code, stderr } = await runMain({
      MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: '66666666-7777-4888-9999-000000000000',
      ALLOWED_TENANTS: '66666666-7777-4888-9999-000000000000',
      STORAGE_CONNECTION_STRING: '',
      DATA_DIR: dataDir,
    });
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.startsWith('invalid environment variable'));
    expect(lines).toEqual([expect.stringMatching(/STORAGE_ACCOUNT_URL.*STORAGE_CONNECTION_STRING/)]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('starts, answers /healthz and exits 0 on SIGTERM', async () => {
    // No scheduler: the real clock would make it fan out to every tenant left in the shared Azurite.
    const server = await startServer('healthz', { SCHEDULER_ENABLED: 'false' });
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });

  afterAll(killLeftovers);
});
