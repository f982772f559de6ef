import { runCli, type CliRun } from '../helpers/cli-process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { DeltaRound } from '../../src/directory/entra-user';
import { OrgRepository } from '../../src/directory/org.repository';
import { ORG_SYNC_TABLES, OrgSyncRepository } from '../../src/directory/org-sync.repository';
import { runOrgSync } from '../../src/directory/org-sync.runner';
import { OrgSyncSchedule, orgSyncSchedules } from '../../src/directory/org-sync.schedule';
import { parseSyncMapping } from '../../src/directory/org-sync-mapping';
import { fixedClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ALL_TABLES } from '../../src/storage/table-names';
import { AppServiceIdentityEndpoint, makeLoopbackCertificate } from '../helpers/entra-doubles';
import { GraphDouble, type DoubleUser } from '../helpers/graph-double';
import { testConnectionString } from '../helpers/test-app';

const IDENTITY_CLIENT_ID = randomUUID();

/** A small town as Entra ID has it: people who map, people who do not, and accounts the sync leaves out. */
function entraTown() {
  const yamada: DoubleUser = {
    id: randomUUID(),
    displayName: '山田 太郎',
    employeeId: 'K001',
    department: 'Construction',
    jobTitle: 'Section Chief',
    userPrincipalName: 'yamada@atsuma.example',
    mail: 'yamada@atsuma.example',
    accountEnabled: true,
    userType: 'Member',
  };
  const mayor: DoubleUser = {
    id: randomUUID(),
    displayName: '宮坂 町長',
    employeeId: 'E001',
    department: "Mayor's Office",
    jobTitle: 'Mayor',
    userPrincipalName: 'mayor@atsuma.example',
    accountEnabled: true,
    userType: 'Member',
  };
  const member = (name: string, upn: string, extra: Partial<DoubleUser> = {}): DoubleUser => ({
    id: randomUUID(),
    displayName: name,
    department: 'Construction',
    jobTitle: 'Staff',
    userPrincipalName: `${upn}@atsuma.example`,
    mail: `${upn}@atsuma.example`,
    accountEnabled: true,
    userType: 'Member',
    managerId: yamada.id,
    ...extra,
  });
  return {
    yamada,
    mayor,
    sato: member('佐藤 花子', 'sato', { employeeId: 'K002' }),
    // No employeeId: the Entra object id becomes the person id.
    takahashi: member('高橋 次郎', 'takahashi', { jobTitle: 'Lead' }),
    kobayashi: member('小林 三郎', 'kobayashi', { employeeId: 'K005' }),
    nakamura: member('中村 四郎', 'nakamura', { employeeId: 'K006' }),
    tanaka: member('田中 一', 'tanaka', { employeeId: 'K010', department: 'Planning & Finance' }),
    ito: member('伊藤 三', 'ito', { employeeId: 'K011', jobTitle: 'Counsellor' }),
    guest: member('Guest Consultant', 'consultant_example.com#EXT#', { userType: 'Guest' }),
    shared: member('窓口 共有', 'shared-counter'),
    nodept: member('テスト アカウント', 'test01', { department: undefined }),
    leaver: member('退職 予定', 'leaver', { employeeId: 'K099', accountEnabled: false }),
  };
}

const MAPPING = [
  '種別,Entra IDの値,hibiの値',
  '所属,Construction,建設課',
  '所属,Residents,住民課',
  "所属,Mayor's Office,",
  '役職,Section Chief,課長',
  '役職,Staff,主事',
  '役職,Lead,主任',
  '役職,Mayor,町長',
  '除外,shared-*@atsuma.example,',
  '人事,sato@atsuma.example,',
].join('\n');

/**
 * `npm run org:sync` as HR runs it, in its own process, against Graph's double on loopback HTTPS with
 * a token from App Service's managed identity double (DefaultAzureCredential, as in production), on
 * the run's Azurite.
 */
describe('npm run org:sync: the directory from Entra ID through Microsoft Graph', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hibi-orgsync-'));
  const tls = makeLoopbackCertificate(dir);
  const mappingFile = path.join(dir, 'org-sync.mapping.csv');
  const identity = new AppServiceIdentityEndpoint({ tenantId: randomUUID(), clientId: IDENTITY_CLIENT_ID });
  const tables = new TableClientFactory(testConnectionString());
  const org = new OrgRepository(tables);
  const syncStore = new OrgSyncRepository(tables);
  let graph: GraphDouble;
  let town: ReturnType<typeof entraTown>;
  let tenant: string;

  const orgSync = (...args: string[]): Promise<CliRun> =>
    runCli('src/directory/org-sync.cli.ts', ['--tenant', tenant, ...args], {
      LOG_LEVEL: 'silent',
      STORAGE_CONNECTION_STRING: testConnectionString(),
      GRAPH_BASE_URL: graph.baseUrl,
      AZURE_CLIENT_ID: IDENTITY_CLIENT_ID,
      ...identity.environment,
      // The double's certificate is trusted by the process, as a PC trusts a proxy's: not by hibi's code.
      NODE_EXTRA_CA_CERTS: tls.certFile,
    });
  const deltaRequests = () => graph.requests.filter((r) => r.path === '/v1.0/users/delta');

  beforeAll(async () => {
    writeFileSync(mappingFile, MAPPING);
    await tables.ensureTables([...ALL_TABLES, ...Object.values(ORG_SYNC_TABLES)]);
    await identity.start();
  });

  beforeEach(async () => {
    tenant = randomUUID();
    town = entraTown();
    graph = new GraphDouble({ certFile: tls.certFile, keyFile: tls.keyFile, pageSize: 2 });
    await graph.start();
    for (const user of Object.values(town)) graph.addUser(user);
  });

  afterEach(async () => {
    await graph.stop();
  });

  afterAll(async () => {
    await identity.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the dry run shows who is added, what is not mapped and what is left out, and writes nothing', async () => {
    const { code, stdout, stderr } = await orgSync('--mapping', mappingFile);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('全員を読み込み');
    expect(stdout).toContain('追加 6 名:');
    for (const name of [
      '山田 太郎（K001） 建設課・課長',
      '佐藤 花子（K002） 建設課・主事',
      `高橋 次郎（${town.takahashi.id}） 建設課・主任`,
      '宮坂 町長（E001） 課なし・町長・副町長',
    ])
      expect(stdout).toContain(name);
    expect(stdout).toContain('所属「Planning & Finance」 1 名: 田中 一');
    expect(stdout).toContain('役職「Counsellor」 1 名: 伊藤 三');
    expect(stdout).toContain('除外（取り込みません）: ゲスト 1 名 / 除外パターン 1 名 / 所属なし 1 名');
    expect(stdout).not.toContain('退職 予定');
    expect(stdout).toContain('試行のみです');

    expect(await org.listPeople(tenant)).toEqual([]);
    expect(await org.getSettings(tenant)).toBeUndefined();
    expect(await syncStore.getState(tenant)).toBeUndefined();
    expect((await syncStore.listUsers(tenant)).size).toBe(0);

    // Graph was read the documented way: manager tracked through $select, every page followed, with a token for Graph.
    const requests = deltaRequests();
    expect(requests).toHaveLength(6);
    expect(requests[0]?.query.get('$select')?.split(',')).toEqual(
      expect.arrayContaining(['department', 'jobTitle', 'employeeId', 'accountEnabled', 'userType', 'manager']),
    );
    expect(requests.slice(1).every((r) => r.query.has('$skiptoken'))).toBe(true);
    expect(graph.requests.every((r) => r.status === 200 && r.audience === graph.baseUrl)).toBe(true);
    expect(identity.requests.map((r) => r.resource)).toContain(graph.baseUrl);
  });

  it('--apply writes the directory; the next run reads only the changes from the delta link and applies them', async () => {
    const first = await orgSync('--mapping', mappingFile, '--apply');
    expect(first.stdout).toContain('名簿に反映しました: 追加 6 / 変更 0 / 無効化 0');
    const people = new Map((await org.listPeople(tenant)).map((p) => [p.id, p]));
    expect([...people.keys()].sort()).toEqual(['E001', 'K001', 'K002', 'K005', 'K006', town.takahashi.id].sort());
    expect(people.get('K001')).toMatchObject({
      name: '山田 太郎',
      unit: '建設課',
      role: 'manager',
      aadObjectId: town.yamada.id,
      email: 'yamada@atsuma.example',
      active: true,
    });
    expect(people.get('K002')).toMatchObject({ unit: '建設課', role: 'staff', managerId: 'K001', hr: true });
    expect(people.get(town.takahashi.id)).toMatchObject({ role: 'lead', managerId: 'K001', aadObjectId: town.takahashi.id, hr: false });
    expect(people.get('E001')).toMatchObject({ role: 'executive', unit: undefined });
    expect((await org.findPerson(tenant, { aadObjectId: town.sato.id }))?.id).toBe('K002');
    expect((await org.getSettings(tenant))?.defaultLocale).toBe('ja');
    expect((await syncStore.getState(tenant))?.deltaLink).toMatch(/\$deltatoken=/);

    graph.updateUser(town.sato.id, { department: 'Residents', jobTitle: 'Lead' });
    graph.updateUser(town.takahashi.id, { managerId: town.mayor.id });
    graph.updateUser(town.kobayashi.id, { accountEnabled: false });
    graph.deleteUser(town.nakamura.id);
    graph.addUser({
      id: randomUUID(),
      displayName: '渡辺 五郎',
      employeeId: 'K007',
      department: 'Construction',
      jobTitle: 'Staff',
      userPrincipalName: 'watanabe@atsuma.example',
      accountEnabled: true,
      managerId: town.yamada.id,
    });
    const mark = graph.requests.length;

    const dry = await orgSync('--mapping', mappingFile);
    expect(dry.stdout).toContain('前回の反映からの変更を読み込み');
    expect(dry.stdout).toContain('追加 1 名:\n  + 渡辺 五郎（K007） 建設課・主事');
    expect(dry.stdout).toContain('~ 佐藤 花子（K002） 課: 建設課 → 住民課 / 役職: 主事 → 主任');
    expect(dry.stdout).toContain('~ 高橋 次郎');
    expect(dry.stdout).toContain('上司: 山田 太郎 → 宮坂 町長');
    expect(dry.stdout).toContain('- 小林 三郎（K005） Entra ID でアカウントが無効');
    expect(dry.stdout).toContain('- 中村 四郎（K006） Entra ID から削除');
    expect((await org.getPerson(tenant, 'K002'))?.unit).toBe('建設課');

    const apply = await orgSync('--mapping', mappingFile, '--apply');
    expect(apply.stdout).toContain('名簿に反映しました: 追加 1 / 変更 2 / 無効化 2');
    // Both runs started from the stored delta link (no new full round), and Graph named only the five users that changed.
    const later = graph.requests.slice(mark);
    expect(later.filter((r) => r.query.has('$deltatoken'))).toHaveLength(2);
    expect(later.filter((r) => r.query.has('$select'))).toHaveLength(0);
    expect(later.reduce((n, r) => n + (r.returned ?? 0), 0)).toBe(2 * 5);

    const after = new Map((await org.listPeople(tenant)).map((p) => [p.id, p]));
    expect(after.get('K002')).toMatchObject({ unit: '住民課', role: 'lead', managerId: 'K001', active: true });
    expect(after.get(town.takahashi.id)).toMatchObject({ managerId: 'E001', active: true });
    expect(after.get('K005')?.active).toBe(false);
    expect(after.get('K006')?.active).toBe(false);
    expect(after.get('K007')).toMatchObject({ name: '渡辺 五郎', unit: '建設課', managerId: 'K001', active: true });
    expect(after.get('K001')).toEqual(people.get('K001'));
    expect(await org.findPerson(tenant, { aadObjectId: town.kobayashi.id })).toBeUndefined();
  });

  it('waits out a 429 with Retry-After and finishes the round', async () => {
    graph.throttleNext((method, url) => method === 'GET' && url.includes('$skiptoken'), 1);
    const { code, stdout } = await orgSync('--mapping', mappingFile);
    expect(code).toBe(0);
    expect(stdout).toContain('追加 6 名:');
    const throttled = graph.requests.findIndex((r) => r.status === 429);
    const [refused, retried] = [graph.requests[throttled], graph.requests[throttled + 1]];
    expect(refused?.url).toContain('$skiptoken');
    expect(retried).toMatchObject({ url: refused?.url, status: 200 });
    expect((retried?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('refuses a mapping with a bad row, naming it, before reading Graph', async () => {
    const bad = path.join(dir, 'bad.mapping.csv');
    writeFileSync(bad, `${MAPPING}\n役職,Chief,部長`);
    const { code, stderr } = await orgSync('--mapping', bad, '--apply');
    expect(code).toBe(1);
    expect(stderr).toContain('11行目: 「部長」は役職として使えません');
    expect(graph.requests).toHaveLength(0);
    expect(await org.listPeople(tenant)).toEqual([]);
  });

  it('the nightly job applies what changed with the mapping HR last applied, leaves other tenants alone, and logs a failure without retrying all day', async () => {
    const parsed = parseSyncMapping(MAPPING);
    if (!parsed.ok) throw new Error('mapping');
    const lines: { msg: string; err?: string; added?: number; tenantId?: string }[] = [];
    const logger = createLogger(
      'info',
      new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(JSON.parse(chunk.toString('utf8')) as never), done()) }),
    );
    const rounds: (DeltaRound | Error)[] = [];
    const links: (string | undefined)[] = [];
    const readUsers = async (link: string | undefined) => {
      links.push(link);
      const next = rounds.shift();
      if (!next || next instanceof Error) throw next ?? new Error('no round');
      return { ...next, restarted: false };
    };
    const deps = { readUsers, store: syncStore, org, clock: fixedClock(new Date('2026-12-01T03:00:00+09:00')), logger };
    const job = new OrgSyncSchedule(deps, '03:00');
    const upsert = (u: DoubleUser) => ({
      kind: 'upsert' as const,
      id: u.id,
      fields: { displayName: u.displayName, department: u.department, jobTitle: u.jobTitle, employeeId: u.employeeId, userPrincipalName: u.userPrincipalName },
    });

    // A tenant HR never applied: the job is due but reads nothing and writes nothing.
    const [due] = await job.occurrences(tenant);
    expect(due).toMatchObject({ id: 'org.sync', from: '03:00' });
    await due?.run();
    expect(links).toEqual([]);
    expect(await org.listPeople(tenant)).toEqual([]);

    rounds.push({ full: true, changes: [upsert(town.yamada)], deltaLink: `${graph.baseUrl}/v1.0/users/delta?$deltatoken=one` });
    await runOrgSync(deps, tenant, { mapping: parsed.mapping, apply: true, now: deps.clock.now() });
    rounds.push({ full: false, changes: [upsert({ ...town.sato, managerId: undefined })], deltaLink: `${graph.baseUrl}/v1.0/users/delta?$deltatoken=two` });
    await due?.run();
    expect(links.at(-1)).toBe(`${graph.baseUrl}/v1.0/users/delta?$deltatoken=one`);
    expect((await org.listPeople(tenant)).map((p) => p.id).sort()).toEqual(['K001', 'K002']);
    expect(lines.find((l) => l.msg === 'org sync applied')).toMatchObject({ tenantId: tenant, added: 1 });
    expect((await syncStore.getState(tenant))?.deltaLink).toContain('deltatoken=two');

    rounds.push(new Error('Graph refused'));
    await expect(due?.run()).resolves.toBeUndefined();
    expect(lines.find((l) => l.msg === 'org sync failed; tried again tomorrow')?.err).toContain('Graph refused');
    expect((await syncStore.getState(tenant))?.deltaLink).toContain('deltatoken=two');

    expect(
      await orgSyncSchedules({ env: { GRAPH_BASE_URL: graph.baseUrl, AZURE_CLIENT_ID: IDENTITY_CLIENT_ID }, tables, org, clock: deps.clock, logger }),
    ).toEqual([]);
    expect(
      await orgSyncSchedules({
        env: { ORG_SYNC_AT: '03:00', GRAPH_BASE_URL: graph.baseUrl, AZURE_CLIENT_ID: IDENTITY_CLIENT_ID },
        tables,
        org,
        clock: deps.clock,
        logger,
      }),
    ).toEqual([expect.any(OrgSyncSchedule)]);
  });
});
