import { TableClient } from '@azure/data-tables';
import { newMeetingId } from '../../src/features/oneonone/oneonone.deps';
import { ONEONONE_TABLES, OneOnOneRepository } from '../../src/features/oneonone/oneonone.repository';
import type { Meeting } from '../../src/features/oneonone/oneonone.schema';
import { actionKeyOf } from '../../src/features/oneonone/oneonone.service';
import { OpenActionsIndex, type IndexedMeeting } from '../../src/features/oneonone/open-actions.repository';
import { PrivateTexts } from '../../src/features/oneonone/private-texts.repository';
import { fixedClock } from '../../src/shared/clock';
import { CHECKIN_TABLES } from '../../src/features/checkin/checkin.repository';
import { loadOneOnOneOrg, type OneOnOneOrg } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { cardSubmit } from '../helpers/activities';
import { teamsUserOf } from '../helpers/people';
import { TABLES } from '../../src/storage/table-names';
import { exportPerson } from '../../src/features/data/export';
import { purgePerson } from '../../src/features/data/purge';
import { PERSON_TABLES } from '../../src/features/data/person-records';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/** Every storage call hibi makes while `work` runs, as "table method", in order. */
async function storageCalls(work: () => Promise<void>): Promise<string[]> {
  const methods = ['getEntity', 'createEntity', 'upsertEntity', 'updateEntity', 'deleteEntity', 'listEntities', 'submitTransaction'] as const;
  const calls: string[] = [];
  const spies = methods.map((method) => jest.spyOn(TableClient.prototype, method));
  try {
    await work();
  } finally {
    spies.forEach((spy, i) => {
      for (const context of spy.mock.contexts) calls.push(`${(context as TableClient).tableName} ${methods[i]}`);
      spy.mockRestore();
    });
  }
  return calls.sort();
}

/**
 * The index of open 1on1 actions per owner (oneononeopenactions): what a morning check-in shows comes
 * from the owner's one row, saving a record and pressing 完了 keep it in step, and 1on1s recorded
 * before the index existed still reach their owners.
 */
describe('1on1 actions past due come from the open actions index, kept in step by the record and 完了', () => {
  // Tuesday 2026-11-24; the actions fall due on Thursday 11-26, the mornings are Friday 11-27 and Monday 11-30.
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;
  let index: OpenActionsIndex;
  let meetingId = '';

  const morning = (id: string, day: string) =>
    org.submit(id, { verb: 'checkin.submit', slot: 'morning', day, priority: '窓口対応', needHelp: 'false' }, `checkin-${id}-${day}`);
  const savedCard = (id: string, day: string): string =>
    JSON.stringify(t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === `checkin-${id}-${day}`).at(-1)?.body ?? null);
  const rowOf = async (id: string): Promise<string | undefined> => {
    const row = await index.get(t.tenantId, id);
    return row && JSON.stringify(row);
  };

  beforeAll(async () => {
    t = await startTestApp({ DIRECTORY_CACHE_SECONDS: '600' }, { clock });
    org = await loadOneOnOneOrg(t);
    index = new OpenActionsIndex(t.app.tables);
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'X', date: '2026-11-24', time: '14:00', length: '30' });
    const filter = `PartitionKey eq '${t.tenantId}|M'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.meetings).listEntities<{ meetingId: string }>({ queryOptions: { filter } }))
      meetingId = e.meetingId;
    clock.set(jst('2026-11-24T15:00:00'));
    await org.submit('M', {
      verb: 'oneonone.record.save',
      managerId: 'M',
      memberId: 'X',
      meetingId,
      action1Text: '確認申請の手順書を作る',
      action1Owner: 'member',
      action1Due: '2026-11-26',
      action2Text: '研修の予算を確保する',
      action2Owner: 'manager',
      action2Due: '2026-11-26',
      action3Text: '現場見学の日程を決める',
      action3Owner: 'member',
    });
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('saving the record indexes each owner’s dated open actions by key and due day, never their text', async () => {
    const member = JSON.parse((await rowOf('X')) ?? 'null') as IndexedMeeting[];
    const manager = JSON.parse((await rowOf('M')) ?? 'null') as IndexedMeeting[];
    expect(member).toEqual([{ managerId: 'M', memberId: 'X', meetingId, actions: [{ key: expect.stringMatching(/^[0-9a-f]{12}$/), due: '2026-11-26' }] }]);
    expect(manager).toEqual([{ managerId: 'M', memberId: 'X', meetingId, actions: [{ key: expect.stringMatching(/^[0-9a-f]{12}$/), due: '2026-11-26' }] }]);
    expect(member[0]?.actions[0]?.key).not.toBe(manager[0]?.actions[0]?.key);
    expect(`${await rowOf('X')}${await rowOf('M')}`).not.toMatch(/確認申請|研修|現場見学/);
  });

  it('the member’s and the 課長’s morning submits list their own overdue action read through the index, not the meetings', async () => {
    clock.set(jst('2026-11-27T08:50:00'));
    const memberCalls = await storageCalls(() => morning('X', '2026-11-27'));
    const managerCalls = await storageCalls(() => morning('M', '2026-11-27'));
    expect(savedCard('X', '2026-11-27')).toContain('確認申請の手順書を作る（期限 2026年11月26日(木)）');
    expect(savedCard('X', '2026-11-27')).not.toContain('研修の予算');
    expect(savedCard('M', '2026-11-27')).toContain('研修の予算を確保する（期限 2026年11月26日(木)）');
    expect(savedCard('M', '2026-11-27')).not.toContain('確認申請');
    for (const calls of [memberCalls, managerCalls]) {
      expect(calls.filter((c) => c.startsWith(`${ONEONONE_TABLES.meetings} `))).toEqual([]);
      expect(calls.filter((c) => c.startsWith(`${ONEONONE_TABLES.openActions} `))).toEqual([`${ONEONONE_TABLES.openActions} getEntity`]);
    }
  });

  it('a morning submit with nothing past due costs the check-in and one index read: nothing else is read or written', async () => {
    clock.set(jst('2026-11-27T08:50:00'));
    // The first morning builds the 課長's row from the meetings; every morning after reads it.
    await morning('M2', '2026-11-26');
    expect(await rowOf('M2')).toBe('[]');
    for (const id of ['M2', 'L']) {
      if (id === 'L') await morning('L', '2026-11-26');
      const calls = await storageCalls(() => morning(id, '2026-11-27'));
      expect(calls).toEqual([`${CHECKIN_TABLES.checkins} createEntity`, `${ONEONONE_TABLES.openActions} getEntity`]);
      expect(savedCard(id, '2026-11-27')).toContain('朝のチェックインを記録しました');
    }
  });

  it('完了 takes the action out of its owner’s row; the next morning does not list it, and a second press changes nothing', async () => {
    clock.set(jst('2026-11-30T08:50:00'));
    await morning('X', '2026-11-30');
    expect(savedCard('X', '2026-11-30')).toContain('確認申請の手順書を作る');
    const done = {
      verb: 'oneonone.action.done',
      managerId: 'M',
      memberId: 'X',
      meetingId,
      action: actionKeyOf({ text: '確認申請の手順書を作る', owner: 'member' }),
    };
    await org.submit('X', done);
    expect(await rowOf('X')).toBe('[]');
    expect(await rowOf('M')).toContain('2026-11-26');
    await org.submit('X', done);
    expect(await rowOf('X')).toBe('[]');

    clock.set(jst('2026-12-01T08:50:00'));
    await morning('X', '2026-12-01');
    expect(savedCard('X', '2026-12-01')).toContain('朝のチェックインを記録しました');
    expect(savedCard('X', '2026-12-01')).not.toContain('期限を過ぎた');
    await morning('M', '2026-12-01');
    expect(savedCard('M', '2026-12-01')).toContain('研修の予算を確保する');
  });

  it('a 1on1 recorded before the index existed still reaches its owners, and their rows are built from it once', async () => {
    // Written straight to the meetings and texts, as hibi did before the index: no row for C or S.
    const meetings = new OneOnOneRepository(t.app.tables);
    const texts = new PrivateTexts(t.app.tables);
    const at = jst('2026-11-24T10:00:00');
    const meeting: Meeting = {
      tenantId: t.tenantId,
      managerId: 'C',
      memberId: 'S',
      meetingId: newMeetingId(jst('2026-11-10T09:00:00')),
      unit: '建設課',
      memberRole: 'senior',
      day: '2026-11-24',
      time: '10:00',
      lengthMinutes: 30,
      status: 'held',
      heldDay: '2026-11-24',
      heldAt: at.toISOString(),
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    };
    await meetings.save(meeting);
    const actions = [
      { text: '測量図の確認', owner: 'member' as const, due: '2026-11-25' },
      { text: '外注先に連絡する', owner: 'manager' as const, due: '2026-11-25' },
    ];
    await texts.update(t.tenantId, 'C', meeting, 'record', () => ({ value: { actions }, result: undefined }), at);
    expect(await rowOf('S')).toBeUndefined();
    expect(await rowOf('C')).toBeUndefined();

    clock.set(jst('2026-12-01T08:50:00'));
    await morning('S', '2026-12-01');
    await morning('C', '2026-12-01');
    expect(savedCard('S', '2026-12-01')).toContain('測量図の確認（期限 2026年11月25日(水)）');
    expect(savedCard('S', '2026-12-01')).not.toContain('外注先');
    expect(savedCard('C', '2026-12-01')).toContain('外注先に連絡する（期限 2026年11月25日(水)）');
    expect(savedCard('C', '2026-12-01')).not.toContain('測量図');
    expect(await rowOf('S')).toContain(meeting.meetingId);
    expect(await rowOf('C')).toContain(meeting.meetingId);

    // Built once: the next morning reads the row, not the meetings.
    clock.set(jst('2026-12-02T08:50:00'));
    const calls = await storageCalls(() => morning('C', '2026-12-02'));
    expect(calls.filter((c) => c.startsWith(`${ONEONONE_TABLES.meetings} `))).toEqual([]);
    expect(savedCard('C', '2026-12-02')).toContain('外注先に連絡する');
  });

  it('another instance reads the tenant’s stored chats once: nobody’s first message to it writes their reference again', async () => {
    const second = await startTestApp({ DIRECTORY_CACHE_SECONDS: '600', TEST_TENANT_ID: t.tenantId }, { clock });
    try {
      const post = (id: string, day: string) =>
        second.post(
          cardSubmit(teamsUserOf(org.by(id), { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId }), {
            verb: 'checkin.submit',
            slot: 'evening',
            day,
            done: '図面の確認',
            overtime: '0',
          }),
        );
      clock.set(jst('2026-12-02T17:10:00'));
      const calls = [
        ...(await storageCalls(async () => void (await post('S', '2026-12-02')))),
        ...(await storageCalls(async () => void (await post('L', '2026-12-02')))),
      ];
      expect(calls.filter((c) => c.startsWith(`${TABLES.conversations} `))).toEqual([`${TABLES.conversations} listEntities`]);
      expect(calls.filter((c) => c.startsWith(`${CHECKIN_TABLES.checkins} `))).toHaveLength(2);
    } finally {
      await second.stop();
    }
  });
  it('a departed member’s export shows their own row; the purge deletes it and takes their pair out of their 課長’s row', async () => {
    const rule = PERSON_TABLES.filter((table) => table.table === ONEONONE_TABLES.openActions);
    const scope = { tables: t.app.tables, tenantId: t.tenantId, personId: 'X' };
    const exported = await exportPerson(scope, { exportedAt: new Date(), hibiVersion: 'test' }, rule);
    expect(exported.sections.map((section) => section.rows)).toEqual([[{ relation: 'owner', partitionKey: `${t.tenantId}|X`, rowKey: '', meetings: [] }]]);
    expect(await rowOf('M')).toContain('"memberId":"X"');

    expect(await purgePerson(scope, true, rule)).toEqual([expect.objectContaining({ deleted: 1, anonymised: 1 })]);
    expect(await rowOf('X')).toBeUndefined();
    expect(await rowOf('M')).toBe('[]');
    expect(await purgePerson(scope, false, rule)).toEqual([expect.objectContaining({ deleted: 0, anonymised: 0 })]);
  });
});
