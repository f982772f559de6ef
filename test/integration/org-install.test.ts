import { runCli, type CliRun } from '../helpers/cli-process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConversationReferencesRepository } from '../../src/delivery/conversation-references.repository';
import { ReachabilityRepository } from '../../src/delivery/reachability.repository';
import { OrgRepository } from '../../src/directory/org.repository';
import type { Person } from '../../src/directory/org.schema';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ALL_TABLES } from '../../src/storage/table-names';
import { AppServiceIdentityEndpoint, makeLoopbackCertificate } from '../helpers/entra-doubles';
import { GraphDouble } from '../helpers/graph-double';
import { testConnectionString } from '../helpers/test-app';

const IDENTITY_CLIENT_ID = randomUUID();
const BOT_ID = randomUUID();
const CATALOG_ID = randomUUID();

/**
 * `npm run org:install` as HR runs it, in its own process: who the 未インストール list names gets hibi
 * in their personal scope through Graph's double, with a token from the managed identity double.
 */
describe('npm run org:install: hibi in everyone’s Teams', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hibi-orginstall-'));
  const tls = makeLoopbackCertificate(dir);
  const identity = new AppServiceIdentityEndpoint({ tenantId: randomUUID(), clientId: IDENTITY_CLIENT_ID });
  const tables = new TableClientFactory(testConnectionString());
  const graph = new GraphDouble({
    certFile: tls.certFile,
    keyFile: tls.keyFile,
    catalog: [{ id: CATALOG_ID, externalId: BOT_ID, displayName: 'hibi（日々）' }],
  });
  const tenant = randomUUID();
  const aad = { a: randomUUID(), b: randomUUID(), c: randomUUID(), d: randomUUID(), e: randomUUID(), f: randomUUID(), x: randomUUID() };
  const person = (id: string, name: string, unit: string | undefined, extra: Partial<Person> = {}): Person => ({
    id,
    name,
    unit,
    role: 'staff',
    hr: false,
    active: true,
    ...extra,
  });
  const people: Person[] = [
    person('K001', '青木 一', '建設課', { aadObjectId: aad.a }),
    person('K002', '馬場 二', '建設課', { aadObjectId: aad.b }),
    person('K003', '千葉 三', '住民課', { aadObjectId: aad.c }),
    // Imported without the Entra id: Graph is asked by the address, as a UPN.
    person('K004', '土井 四', '住民課', { email: 'doi@atsuma.example' }),
    person('K005', '江藤 五', '住民課', { aadObjectId: aad.e }),
    person('K006', '藤田 六', '住民課', { aadObjectId: aad.f }),
    person('X001', '宮坂 町長', undefined, { role: 'executive', aadObjectId: aad.x }),
  ];

  const orgInstall = (args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
    runCli('src/directory/org-install.cli.ts', ['--tenant', tenant, ...args], {
      LOG_LEVEL: 'silent',
      STORAGE_CONNECTION_STRING: testConnectionString(),
      GRAPH_BASE_URL: graph.baseUrl,
      AZURE_CLIENT_ID: IDENTITY_CLIENT_ID,
      ...identity.environment,
      NODE_EXTRA_CA_CERTS: tls.certFile,
      ...env,
    });
  const posts = () => graph.requests.filter((r) => r.method === 'POST');

  beforeAll(async () => {
    await tables.ensureTables(ALL_TABLES);
    await identity.start();
    await graph.start();
    const org = new OrgRepository(tables);
    // 江藤 五's Entra id is one Graph does not know (a typo in an old import): that install fails, named.
    await org.importDirectory(tenant, { units: [{ name: '建設課' }, { name: '住民課' }], people });
    const references = new ConversationReferencesRepository(tables);
    const chat = (personId: string) =>
      references.save(
        tenant,
        { kind: 'person', personId },
        { channelId: 'msteams', serviceUrl: 'https://smba.example/apac/', conversationId: `a:${personId}`, botId: `28:${BOT_ID}` },
      );
    await chat('K001');
    await chat('K006');
    // K006 has a chat but Teams refused the last delivery (uninstalled): the list names them too.
    await new ReachabilityRepository(tables).markUnreachable(tenant, { kind: 'person', personId: 'K006' }, 'MessageWritesBlocked', new Date());
    for (const [key, id] of Object.entries(aad))
      if (key !== 'e') graph.addUser({ id, displayName: key, userPrincipalName: key === 'd' ? 'doi@atsuma.example' : `${key}@atsuma.example` });
    graph.markInstalled(aad.b);
  });

  afterAll(async () => {
    await graph.stop();
    await identity.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the dry run lists, by unit, who the 未インストール list names, and asks Graph nothing', async () => {
    const { code, stdout } = await orgInstall([]);
    expect(code).toBe(0);
    expect(stdout).toContain('hibi を Teams にインストールする人: 5 名（未インストールの人');
    expect(stdout).toContain('建設課（1 名）: 馬場 二');
    expect(stdout).toContain('住民課（4 名）: 千葉 三、土井 四、江藤 五、藤田 六');
    expect(stdout).not.toContain('青木 一');
    expect(stdout).toContain('試行のみです');
    expect(graph.requests).toHaveLength(0);

    const all = await orgInstall(['--all']);
    expect(all.stdout).toContain('7 名（名簿の全員');
    expect(all.stdout).toContain('課なし（1 名）: 宮坂 町長');
  });

  it('--apply finds hibi in the catalog by its manifest id, installs, counts 409 as done and names each failure', async () => {
    graph.throttleNext((method, url) => method === 'POST' && url.includes(aad.c), 1);
    const production = { MicrosoftAppId: BOT_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: tenant, ALLOWED_TENANTS: tenant };
    const { code, stdout } = await orgInstall(['--apply'], production);
    expect(stdout).toContain('インストールしました: 3 名');
    expect(stdout).toContain('すでにインストール済み: 1 名');
    expect(stdout).toContain('失敗: 1 名');
    expect(stdout).toMatch(/江藤 五（K005）: Entra ID にこのユーザーがいません.*404 NotFound/);
    expect(code).toBe(1);

    const lookup = graph.requests.find((r) => r.path === '/v1.0/appCatalogs/teamsApps');
    expect(lookup?.query.get('$filter')).toBe(`externalId eq '${BOT_ID}'`);
    expect(new Set(posts().map((r) => JSON.stringify(r.body)))).toEqual(
      new Set([JSON.stringify({ 'teamsApp@odata.bind': `${graph.baseUrl}/v1.0/appCatalogs/teamsApps/${CATALOG_ID}` })]),
    );
    expect(
      posts()
        .map((r) => r.path)
        .sort(),
    ).toEqual(
      [
        ...[aad.b, aad.c, aad.c, aad.e, aad.f].map((id) => `/v1.0/users/${id}/teamwork/installedApps`),
        '/v1.0/users/doi%40atsuma.example/teamwork/installedApps',
      ].sort(),
    );
    const toC = posts().filter((r) => r.path.includes(aad.c));
    expect(toC.map((r) => r.status)).toEqual([429, 201]);
    expect((toC[1]?.at ?? 0) - (toC[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    for (const id of [aad.b, aad.c, aad.d, aad.f]) expect(graph.isInstalled(id)).toBe(true);
    expect(graph.isInstalled(aad.a)).toBe(false);
  });

  it('a second --apply finds everyone already installed: 409 Conflict is done, not a failure', async () => {
    const before = graph.requests.length;
    const { stdout } = await orgInstall(['--apply'], { TEAMS_APP_CATALOG_ID: CATALOG_ID });
    expect(stdout).toContain('インストールしました: 0 名');
    expect(stdout).toContain('すでにインストール済み: 4 名');
    expect(stdout).toContain('失敗: 1 名');
    const again = graph.requests.slice(before);
    expect(again.filter((r) => r.status === 409)).toHaveLength(4);
    expect(again.some((r) => r.path.startsWith('/v1.0/appCatalogs'))).toBe(false);
  });
});
