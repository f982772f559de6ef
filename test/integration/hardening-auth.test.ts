import { CHECKIN_TABLES } from '../../src/features/checkin/checkin.repository';
import { buildDemoOrg, DEMO_STAFF_AAD_OBJECT_ID } from '../../src/directory/demo-org';
import { fixedClock } from '../../src/shared/clock';
import { TABLES } from '../../src/storage/table-names';
import { cardSubmit, personalInstall, personalMessage } from '../helpers/activities';
import { changedRows, FEATURE_TABLES, LogLines, snapshotTenant } from '../helpers/hardening';
import { ONEONONE_CSV } from '../helpers/oneonone-org';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { channelClaims, newSigningKey, seedOutboundToken, signToken, TokenIssuer } from '../helpers/token-issuer';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const TENANT = '66666666-7777-4888-9999-000000000000';
const FOREIGN_TENANT = '77777777-7777-4777-8777-777777777777';
const TODAY = '2026-11-25';

/**
 * Production mode (MicrosoftAppId set) with hibi reading its signing keys from a loopback OpenID
 * document (BOT_OPENID_METADATA_URL), so a test can sign a token Bot Framework would have signed.
 */
describe('Bot Framework tokens in production mode', () => {
  const published = newSigningKey();
  const issuer = new TokenIssuer([published]);
  const logs = new LogLines();
  let t: TestApp;
  let org: TestOrg;
  let serviceUrl: string;
  const tables = [...FEATURE_TABLES, TABLES.conversations, TABLES.teamsUsers];

  const valid = () => signToken(published, channelClaims(APP_ID, serviceUrl));
  const submit = () =>
    cardSubmit(teamsUserOf(org.by('X'), org.base), { verb: 'checkin.submit', slot: 'morning', day: TODAY, priority: '窓口の案内', condition: '4' }, 'card-1');
  const post = (activity: object, authorization?: string) => t.post(activity, authorization === undefined ? {} : { authorization });

  beforeAll(async () => {
    // botbuilder logs every refused token with console.error; the statuses are what this test reads.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await issuer.start();
    t = await startTestApp(
      {
        TEST_TENANT_ID: TENANT,
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        ALLOWED_TENANTS: TENANT,
        BOT_OPENID_METADATA_URL: issuer.metadataUrl,
      },
      { clock: fixedClock(new Date(`${TODAY}T09:00:00+09:00`)) },
      logs,
    );
    serviceUrl = t.connector.serviceUrl;
    seedOutboundToken(APP_ID);
    // The directory is loaded directly, and the installs carry a valid token: the people are known before the refusals.
    const authorized = { ...t, post: (activity: object) => t.post(activity, { authorization: `Bearer ${valid()}` }) };
    org = await loadTestOrg(authorized, ONEONONE_CSV);
    await t.app.org.importDirectory(FOREIGN_TENANT, buildDemoOrg());
    t.connector.reset();
  });
  afterAll(async () => {
    await t.stop();
    await issuer.stop();
    jest.restoreAllMocks();
  });

  it('handles a token signed by the published key, with hibi as audience and the activity’s serviceUrl', async () => {
    expect(await post(submit(), `Bearer ${valid()}`)).toBe(200);
    const update = t.connector.calls.find((c) => c.kind === 'update' && c.conversationId === conversationOf(org.by('X')));
    expect(JSON.stringify(update?.body)).toContain('朝のチェックインを記録しました');
    const rows = [];
    for await (const row of t.app.tables
      .table(CHECKIN_TABLES.checkins)
      .listEntities({ queryOptions: { filter: `PartitionKey eq '${TENANT}|建設課|${TODAY}'` } }))
      rows.push(row);
    expect(rows).toHaveLength(1);
  });

  describe('refuses with 401, and runs no handler', () => {
    const nowSeconds = () => Math.floor(Date.now() / 1000);
    const forger = newSigningKey(published.kid);
    const cases: [string, () => string | undefined][] = [
      ['no Authorization header', () => undefined],
      ['an empty header', () => ''],
      ['a token that is not a JWT', () => 'Bearer not.a.jwt'],
      ['a bearer without a token', () => 'Bearer'],
      ['another scheme', () => `Basic ${Buffer.from('hibi:secret').toString('base64')}`],
      ['a token signed by another key under the published key id', () => `Bearer ${signToken(forger, channelClaims(APP_ID, serviceUrl))}`],
      ['a token signed by a key that is not published', () => `Bearer ${signToken(newSigningKey(), channelClaims(APP_ID, serviceUrl))}`],
      ['a token for another bot (audience)', () => `Bearer ${signToken(published, channelClaims('99999999-2222-4333-8444-555555555555', serviceUrl))}`],
      ['a token from another issuer', () => `Bearer ${signToken(published, { ...channelClaims(APP_ID, serviceUrl), iss: 'https://sts.example.com/' })}`],
      ['an expired token', () => `Bearer ${signToken(published, channelClaims(APP_ID, serviceUrl, nowSeconds() - 7200))}`],
      ['a token for another serviceUrl', () => `Bearer ${signToken(published, channelClaims(APP_ID, 'https://smba.example.com/'))}`],
      ['an unsigned token (alg none)', () => `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${valid().split('.')[1]}.`],
    ];

    it.each(cases)('%s', async (_name, authorization) => {
      const before = await snapshotTenant(t.app.tables, TENANT, tables);
      const logsBefore = logs.lines.length;
      t.connector.reset();
      expect(await post(submit(), authorization())).toBe(401);
      expect(await post(personalMessage(teamsUserOf(org.by('X'), org.base), 'ヘルプ'), authorization())).toBe(401);
      expect(t.connector.calls).toEqual([]);
      expect(logs.lines.slice(logsBefore).filter((l) => l.msg === 'message')).toEqual([]);
      expect(changedRows(before, await snapshotTenant(t.app.tables, TENANT, tables))).toEqual([]);
    });
  });

  it('gives a validly signed activity from a tenant outside ALLOWED_TENANTS no answer, and stores nothing', async () => {
    const foreign = { serviceUrl, tenantId: FOREIGN_TENANT, user: { id: '29:foreign', aadObjectId: DEMO_STAFF_AAD_OBJECT_ID } };
    const before = await snapshotTenant(t.app.tables, FOREIGN_TENANT, tables);
    t.connector.reset();
    expect(await post(personalInstall(foreign), `Bearer ${valid()}`)).toBe(200);
    expect(await post(personalMessage(foreign, 'ヘルプ'), `Bearer ${valid()}`)).toBe(200);
    expect(await post(cardSubmit(foreign, { verb: 'checkin.submit', slot: 'morning', day: TODAY, priority: 'x' }), `Bearer ${valid()}`)).toBe(200);
    expect(t.connector.calls).toEqual([]);
    expect(changedRows(before, await snapshotTenant(t.app.tables, FOREIGN_TENANT, tables))).toEqual([]);
  });
});
