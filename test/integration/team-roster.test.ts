import { buildDemoOrg } from '../../src/directory/demo-org';
import type { Person } from '../../src/directory/org.schema';
import { fixedClock } from '../../src/shared/clock';
import { TABLES } from '../../src/storage/table-names';
import { personalInstall, teamInstall } from '../helpers/activities';
import { teamsUserOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const UNIT = '農業委員会';

describe('a person who never opened hibi’s chat still gets their prompt', () => {
  const people = buildDemoOrg().people;
  const members = people.filter((p) => p.unit === UNIT);
  const [installed, ...rosterOnly] = members as [Person, ...Person[]];
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T08:46:00+09:00')) });
    await t.app.org.importDirectory(t.tenantId, buildDemoOrg());
    const base = { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId };
    await t.post(personalInstall(teamsUserOf(installed, base)));
    for (const person of members) t.connector.addMember({ id: `29:${person.id}`, aadObjectId: person.aadObjectId, name: person.name });
    t.connector.addMember({ id: '29:guest', aadObjectId: '0e9c1a7b-2f35-4d0e-8d7c-5a1b2c3d4e5f', name: 'ゲスト' });
    await t.post(teamInstall({ ...teamsUserOf(installed, base), teamId: '19:nougyou@thread.tacv2' }));
  });
  afterAll(() => t.stop());

  it('learns the Teams ids of directory people from the team roster on install', async () => {
    const table = t.app.tables.table(TABLES.teamsUsers);
    for (const person of members) expect((await table.getEntity(t.tenantId, person.id)).userId).toBe(`29:${person.id}`);
  });

  it('opens a personal chat for them and sends the prompt there, once', async () => {
    t.connector.reset();
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const creates = t.connector.calls.filter((c) => c.kind === 'create');
    const createdFor = creates.map((c) => (c.body.members as { id: string }[])[0]!.id).sort();
    expect(createdFor).toEqual(rosterOnly.map((p) => `29:${p.id}`).sort());
    for (const create of creates) {
      const sends = t.connector.sent().filter((c) => c.conversationId === create.responseId);
      expect(sends).toHaveLength(1);
      expect(JSON.stringify(sends[0]!.body)).toContain('今日の最優先');
    }
    const refs = t.app.tables.table(TABLES.conversations);
    for (const person of rosterOnly) expect((await refs.getEntity(t.tenantId, `person|${person.id}`)).userId).toBe(`29:${person.id}`);
  });
});
