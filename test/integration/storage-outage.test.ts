import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { buildDemoOrg, DEMO_STAFF_AAD_OBJECT_ID } from '../../src/directory/demo-org';
import { createLogger } from '../../src/shared/logger';
import { startAzurite, type RunningAzurite } from '../../src/storage/azurite';
import { personalMessage } from '../helpers/activities';
import { ConnectorDouble } from '../helpers/connector-double';
import { freePort } from '../helpers/free-port';

describe('storage outage', () => {
  let azurite: RunningAzurite;
  let app: App;
  let url: string;
  const connector = new ConnectorDouble();
  const tenantId = 'b2b2b2b2-0000-4000-8000-000000000000';

  beforeAll(async () => {
    // Its own Azurite: this test stops it, and the rest of the run must keep theirs.
    azurite = await startAzurite({ port: await freePort() });
    const config = loadConfig({ LOG_LEVEL: 'silent', STORAGE_CONNECTION_STRING: azurite.connectionString, SHUTDOWN_TIMEOUT_MS: '2000' });
    app = await createApp(config, azurite.connectionString, createLogger('silent'), { background: false, tenants: [tenantId] });
    url = `http://127.0.0.1:${await app.start(0, '127.0.0.1')}`;
    await connector.start();
    await app.org.importDirectory(tenantId, buildDemoOrg());
  });
  afterAll(async () => {
    await app.stop();
    await connector.stop();
    await azurite.stop();
  });

  it('tells the person, in their language, that nothing was saved when storage does not answer', async () => {
    const staff = { serviceUrl: connector.serviceUrl, tenantId, user: { id: '29:staff', aadObjectId: DEMO_STAFF_AAD_OBJECT_ID } };
    const post = (text: string) =>
      fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(staff, text)) });
    expect((await post('ヘルプ')).status).toBe(200);
    expect(connector.sent()).toHaveLength(1);

    // Who they are and their language are kept in memory (DIRECTORY_CACHE_SECONDS): ヘルプ would still be
    // answered; choosing a language is a write, and it is what fails.
    await azurite.stop();
    const response = await post('言語 en');
    expect(response.status).toBeLessThan(600);
    await connector.waitFor((calls) => calls.filter((c) => c.kind === 'reply' || c.kind === 'send').length === 2, 15000);
    expect(connector.sent()[1]!.body.text).toBe(
      '保存できませんでした（記録装置に接続できません）。入力内容はそのままです。少し時間をおいてもう一度送ってください。',
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(503);
  });
});
