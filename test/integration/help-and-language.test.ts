import { odata } from '@azure/data-tables';
import { buildDemoOrg, DEMO_STAFF_AAD_OBJECT_ID, DEMO_STAFF_ID } from '../../src/directory/demo-org';
import { TABLES } from '../../src/storage/table-names';
import { personalInstall, personalMessage, teamInstall, type ActivityOptions } from '../helpers/activities';
import { startTestApp, type TestApp } from '../helpers/test-app';

function cardOf(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const attachments = body.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined;
  return attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

function textsOf(card: Record<string, unknown> | undefined): string {
  return JSON.stringify(card ?? {});
}

describe('hibi answers through /api/messages (Azurite + connector double)', () => {
  let t: TestApp;
  let staff: ActivityOptions;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.org.importDirectory(t.tenantId, buildDemoOrg());
    staff = { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId, user: { id: '29:staff', aadObjectId: DEMO_STAFF_AAD_OBJECT_ID } };
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it.each(['ヘルプ', 'help', 'ＨＥＬＰ'])('answers %s with the Japanese help card for a person with no language set', async (text) => {
    expect(await t.post(personalMessage(staff, text))).toBe(200);
    const replies = t.connector.sent();
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]!.body);
    expect(card).toBeDefined();
    expect(card!.version).toBe('1.5');
    expect(textsOf(card)).toContain('hibi の使い方');
    expect(textsOf(card)).toContain('言語 English');
  });

  it('speaks English after "language English", and Japanese again after "言語 日本語"', async () => {
    await t.post(personalMessage(staff, 'language English'));
    expect(t.connector.sent()[0]!.body.text).toBe('Your display language is now English.');
    await t.post(personalMessage(staff, 'ヘルプ'));
    expect(textsOf(cardOf(t.connector.sent()[1]!.body))).toContain('How to use hibi');

    const prefs = t.app.tables.table(TABLES.preferences);
    expect((await prefs.getEntity(t.tenantId, DEMO_STAFF_ID)).locale).toBe('en');

    await t.post(personalMessage(staff, '言語 日本語'));
    expect(t.connector.sent()[2]!.body.text).toBe('表示言語を日本語にしました。');
  });

  it('explains a bad language choice and keeps the current language', async () => {
    await t.post(personalMessage(staff, '言語 フランス語'));
    expect(t.connector.sent()[0]!.body.text).toContain('「フランス語」は選べません');
  });

  it('answers an unknown command with the help card naming what was typed', async () => {
    await t.post(personalMessage(staff, 'こんにちは'));
    const card = textsOf(cardOf(t.connector.sent()[0]!.body));
    expect(card).toContain('「こんにちは」はわかりませんでした');
    expect(card).toContain('hibi の使い方');
  });

  it('tells an unknown user to ask HR, stores nothing for them', async () => {
    const stranger: ActivityOptions = { ...staff, user: { id: '29:stranger', aadObjectId: '0e9c1a7b-2f35-4d0e-8d7c-5a1b2c3d4e5f' } };
    await t.post(personalMessage(stranger, 'ヘルプ'));
    const replies = t.connector.sent();
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.text).toContain('総務課 人事担当にお問い合わせください');
    expect(cardOf(replies[0]!.body)).toBeUndefined();
    const refs = t.app.tables.table(TABLES.conversations).listEntities({ queryOptions: { filter: odata`PartitionKey eq ${t.tenantId}` } });
    for await (const ref of refs) expect(ref.conversationId).not.toBe('a:personal-29:stranger');
  });

  it('matches a person by email when Teams gives no object id', async () => {
    const people = buildDemoOrg().people;
    const someone = people.find((p) => p.id === 'A0002')!;
    t.connector.addMember({ id: '29:by-email', email: someone.email, userPrincipalName: someone.email });
    await t.post(personalMessage({ ...staff, user: { id: '29:by-email' } }, 'help'));
    expect(textsOf(cardOf(t.connector.sent().at(-1)!.body))).toContain(`${someone.name}さん`);
  });

  it('stores the personal conversation reference on install and removes it on uninstall', async () => {
    const refs = t.app.tables.table(TABLES.conversations);
    await t.post(personalInstall(staff, 'add'));
    const stored = await refs.getEntity(t.tenantId, `person|${DEMO_STAFF_ID}`);
    expect(stored.conversationId).toBe('a:personal-29:staff');
    expect(stored.serviceUrl).toBe(t.connector.serviceUrl);
    await t.post(personalInstall(staff, 'remove'));
    await expect(refs.getEntity(t.tenantId, `person|${DEMO_STAFF_ID}`)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('stores a team channel reference on team install', async () => {
    const refs = t.app.tables.table(TABLES.conversations);
    await t.post(teamInstall({ ...staff, teamId: '19:team-juumin@thread.tacv2' }));
    const stored = await refs.getEntity(t.tenantId, 'channel|19:team-juumin@thread.tacv2|19:team-juumin@thread.tacv2');
    expect(stored.teamId).toBe('19:team-juumin@thread.tacv2');
    await t.post(teamInstall({ ...staff, teamId: '19:team-juumin@thread.tacv2' }, 'remove'));
    await expect(refs.getEntity(t.tenantId, 'channel|19:team-juumin@thread.tacv2|19:team-juumin@thread.tacv2')).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('reports storage reachability on /healthz', async () => {
    const response = await fetch(`${t.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', storage: 'reachable' });
  });
});
