import { TableClient } from '@azure/data-tables';
import { rowKeyOf } from '../../src/delivery/conversation-references.repository';
import { CheckinRepository } from '../../src/features/checkin/checkin.repository';
import { UnitScheduleRepository } from '../../src/features/checkin/unit-schedule.repository';
import { DEFAULT_SCHEDULE } from '../../src/features/checkin/unit-schedule.schema';
import { importOrgCsv } from '../../src/directory/org-import.service';
import { OrgRepository } from '../../src/directory/org.repository';
import { formatTime, translator } from '../../src/i18n/i18n';
import { fixedClock } from '../../src/shared/clock';
import { TABLES } from '../../src/storage/table-names';
import { cardSubmit, personalInstall, personalMessage, teamInstall, type ActivityOptions } from '../helpers/activities';
import { ConnectorDouble, type RecordedCall } from '../helpers/connector-double';
import { loadKudosOrg, type KudosOrg } from '../helpers/kudos-org';
import { callText } from '../helpers/oneonone-org';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The per-instance caches of a turn (directory, settings, chosen language, the last written
 * conversation reference) and the one-call check-in save, with the caches on: whatever this
 * instance writes, and whatever is new in storage, shows on the very next message.
 */

const ja = translator('ja');
const en = translator('en');
const jst = (iso: string): Date => new Date(`${iso}+09:00`);
/** Long enough that no entry expires during a test: what is seen at once is seen because it was not cached or was evicted. */
const CACHE_ON = { DIRECTORY_CACHE_SECONDS: '600' };

const HEADER = '職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID';
const aad = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * 建設課: 課長 M; 土木 主査 S ← 主任 L; 建築 主査 S2 ← 主任 L2; 道路 主査 S3 ← 主任 L3; 主事 P (moves to 住民課).
 * 住民課: 課長 M2 ← 主事 R. N is a newcomer, in the directory only once `withNewcomer`.
 */
function directoryCsv(options: { withNewcomer?: boolean; pMoved?: boolean } = {}): string {
  const rows = [
    `DEP,副町長 二郎,,,副町長,,${aad(1)}`,
    `M,建設 課長,建設課,,課長,DEP,${aad(2)}`,
    `S,土木 主査,建設課,土木,主査,M,${aad(3)}`,
    `L,土木 主任,建設課,土木,主任,S,${aad(4)}`,
    `S2,建築 主査,建設課,建築,主査,M,${aad(5)}`,
    `L2,建築 主任,建設課,建築,主任,S2,${aad(6)}`,
    `S3,道路 主査,建設課,道路,主査,M,${aad(7)}`,
    `L3,道路 主任,建設課,道路,主任,S3,${aad(8)}`,
    options.pMoved ? `P,異動 主事,住民課,,主事,M2,${aad(9)}` : `P,異動 主事,建設課,建築,主事,L2,${aad(9)}`,
    `M2,住民 課長,住民課,,課長,DEP,${aad(10)}`,
    `R,窓口 主事,住民課,,主事,M2,${aad(11)}`,
  ];
  if (options.withNewcomer) rows.push(`N,新人 主事,住民課,,主事,M2,${aad(12)}`);
  return [HEADER, ...rows].join('\n');
}

const textOf = (call: RecordedCall): string => JSON.stringify(call.body);

describe('a turn’s caches never hide a change made through this instance, nor someone just added', () => {
  const clock = fixedClock(jst('2026-11-25T09:00:00'));
  let t: TestApp;
  let org: TestOrg;
  let checkins: CheckinRepository;
  const user = (id: string): ActivityOptions => teamsUserOf(org.by(id), org.base);
  const say = (id: string, text: string): Promise<number> => t.post(personalMessage(user(id), text));
  const chat = (id: string): RecordedCall[] => t.connector.calls.filter((c) => c.conversationId === conversationOf(org.by(id)));

  beforeAll(async () => {
    t = await startTestApp(CACHE_ON, { clock });
    org = await loadTestOrg(t, directoryCsv());
    // What the import CLI writes beside the directory; without it every turn asks storage for settings that are not there.
    await t.app.org.saveSettings(t.tenantId, { defaultLocale: 'ja', importedAt: clock.now().toISOString() });
    checkins = new CheckinRepository(t.app.tables);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('the caches are on: a second message reads no directory, settings or preferences row', async () => {
    await say('M', 'ヘルプ');
    const reads = jest.spyOn(TableClient.prototype, 'getEntity');
    try {
      await say('M', 'ヘルプ');
      const tables = reads.mock.contexts.map((client) => (client as TableClient).tableName);
      const perTurn = new Set<string>([TABLES.people, TABLES.personIndex, TABLES.orgSettings, TABLES.preferences]);
      expect(tables.filter((name) => perTurn.has(name))).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    expect(textOf(t.connector.sent()[1]!)).toContain(ja('help.title'));
  });

  it('someone not yet in the directory is told so, and served on their first message after the import CLI added them', async () => {
    const newcomer: ActivityOptions = { ...org.base, user: { id: '29:N', aadObjectId: aad(12) }, conversationId: 'a:personal-N' };
    await t.post(personalMessage(newcomer, 'ヘルプ'));
    expect(t.connector.sent().map((c) => c.body.text)).toEqual([ja('notRegistered')]);

    // The CLI's own repository, as `npm run org:import` runs in another process: nothing evicts this instance's cache.
    const cli = new OrgRepository(t.app.tables);
    expect(await importOrgCsv(cli, t.tenantId, directoryCsv({ withNewcomer: true }), 'ja', new Date())).toMatchObject({ ok: true });

    t.connector.reset();
    await t.post(personalMessage(newcomer, 'ヘルプ'));
    const replies = t.connector.sent();
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0]!)).toContain(ja('help.title'));
    expect(textOf(replies[0]!)).toContain('新人 主事さん');
  });

  it('a re-import through the app’s own directory that moves someone: their next check-in is stored under the new unit', async () => {
    const day = '2026-11-25';
    await org.submit('P', { verb: 'checkin.submit', slot: 'morning', day, priority: '道路台帳の更新' });
    expect(await checkins.get(t.tenantId, '建設課', day, 'morning', 'P')).toBeDefined();

    expect(await importOrgCsv(t.app.org, t.tenantId, directoryCsv({ withNewcomer: true, pMoved: true }), 'ja', new Date())).toMatchObject({ ok: true });

    await org.submit('P', { verb: 'checkin.submit', slot: 'evening', day, done: '住民課への引き継ぎ' });
    expect((await checkins.get(t.tenantId, '住民課', day, 'evening', 'P'))?.answers.done).toBe('住民課への引き継ぎ');
    expect(await checkins.get(t.tenantId, '建設課', day, 'evening', 'P')).toBeUndefined();
  });

  it('`言語 en` holds from the very next message, and for what is sent to them from someone else’s turn', async () => {
    await say('S3', 'ヘルプ');
    expect(textOf(t.connector.sent()[0]!)).toContain(ja('help.title'));

    await say('S3', '言語 en');
    expect(t.connector.sent()[1]!.body.text).toBe(en('language.changed'));
    await say('S3', 'ヘルプ');
    expect(textOf(t.connector.sent()[2]!)).toContain(en('help.title'));

    // L3's help request goes to S3 in the language S3 chose, though S3's preferences were read (and kept) before.
    await org.submit('L3', { verb: 'checkin.submit', slot: 'morning', day: '2026-11-25', priority: '舗装補修', trouble: '業者との調整', needHelp: 'true' });
    await t.app.deliverPending();
    const card = chat('S3').find((c) => textOf(c).includes('業者との調整'));
    expect(card && textOf(card)).toContain(en('checkin.help.title'));

    await say('S3', '言語 日本語');
    await say('S3', 'ヘルプ');
    expect(textOf(t.connector.sent().at(-1)!)).toContain(ja('help.title'));
  });

  describe('the conversation reference', () => {
    const references = () => t.app.tables.table(TABLES.conversations);
    const rowKey = rowKeyOf({ kind: 'person', personId: 'R' });
    const stored = async (): Promise<{ etag: string; serviceUrl: string } | undefined> => {
      try {
        return await references().getEntity<{ serviceUrl: string }>(t.tenantId, rowKey);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    };
    let moved: ConnectorDouble;

    beforeAll(async () => {
      moved = new ConnectorDouble();
      await moved.start();
    });
    afterAll(() => moved.stop());

    it('is not written again by messages that carry the same reference', async () => {
      const before = await stored();
      expect(before?.serviceUrl).toBe(t.connector.serviceUrl);
      await say('R', 'ヘルプ');
      await say('R', 'ヘルプ');
      expect(t.connector.sent()).toHaveLength(2);
      expect((await stored())?.etag).toBe(before?.etag);
    });

    it('is rewritten when Teams moves the chat to another serviceUrl, then left alone again', async () => {
      const before = await stored();
      await t.post(personalMessage({ ...user('R'), serviceUrl: moved.serviceUrl }, 'ヘルプ'));
      expect(moved.sent()).toHaveLength(1);
      const after = await stored();
      expect(after?.serviceUrl).toBe(moved.serviceUrl);
      expect(after?.etag).not.toBe(before?.etag);

      await t.post(personalMessage({ ...user('R'), serviceUrl: moved.serviceUrl }, 'ヘルプ'));
      expect((await stored())?.etag).toBe(after?.etag);
    });

    it('is gone after uninstall and back after a re-install', async () => {
      await t.post(personalInstall(user('R'), 'remove'));
      expect(await stored()).toBeUndefined();
      await t.post(personalInstall(user('R')));
      expect((await stored())?.serviceUrl).toBe(t.connector.serviceUrl);
    });

    it('an install writes it even when this instance wrote the same one (another instance may have removed it)', async () => {
      await references().deleteEntity(t.tenantId, rowKey);
      await t.post(personalInstall(user('R')));
      expect((await stored())?.serviceUrl).toBe(t.connector.serviceUrl);
    });

    it('after an uninstall through this instance, the next message with the same reference writes it again', async () => {
      await t.post(personalInstall(user('R'), 'remove'));
      expect(await stored()).toBeUndefined();
      await say('R', 'ヘルプ');
      expect((await stored())?.serviceUrl).toBe(t.connector.serviceUrl);
    });
  });

  describe('a corrected check-in', () => {
    const day = '2026-11-26';
    const morning = (values: Record<string, string>) => ({ verb: 'checkin.submit', slot: 'morning', day, ...values });
    const helpCards = (): RecordedCall[] => t.connector.calls.filter((c) => c.kind !== 'update' && textOf(c).includes(ja('checkin.help.title')));
    /** What the person's form became after their submit (the saved card), as text. */
    const formUpdate = (formId: string): string => {
      const update = t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === formId).at(-1);
      return update ? textOf(update) : '';
    };

    beforeEach(() => clock.set(jst(`${day}T08:50:00`)));

    it('stays one row: the first createdAt, the second answers', async () => {
      await org.submit('R', morning({ priority: '窓口の予約整理', condition: '3' }), 'form-r-1');
      clock.set(jst(`${day}T09:20:00`));
      await org.submit('R', morning({ priority: '転入届の処理', condition: '4' }), 'form-r-2');

      const rows = (await checkins.listUnitDay(t.tenantId, '住民課', day)).filter((r) => r.personId === 'R');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ slot: 'morning', createdAt: jst(`${day}T08:50:00`).toISOString(), updatedAt: jst(`${day}T09:20:00`).toISOString() });
      expect(rows[0]!.answers).toMatchObject({ priority: '転入届の処理', condition: 4 });
      expect(formUpdate('form-r-2')).toContain(ja('checkin.saved.updated', { time: formatTime(jst(`${day}T09:20:00`), 'ja') }));
    });

    it('keeps who took the help request, and sends no second request to anyone', async () => {
      await org.submit('L', morning({ priority: '橋梁点検', trouble: '足場の手配', needHelp: 'true' }), 'form-l-1');
      await t.app.deliverPending();
      const toS = helpCards().filter((c) => c.conversationId === conversationOf(org.by('S')));
      expect(toS).toHaveLength(1);

      await org.submit('S', { verb: 'checkin.help.take', day, unit: '建設課', reporterId: 'L' }, toS[0]!.responseId);
      await t.app.deliverPending();
      expect((await checkins.get(t.tenantId, '建設課', day, 'morning', 'L'))?.helpTakenBy).toBe('S');

      t.connector.reset();
      clock.set(jst(`${day}T09:10:00`));
      await org.submit('L', morning({ priority: '橋梁点検', trouble: '足場の手配と交通規制', needHelp: 'true' }), 'form-l-2');
      await t.app.deliverPending();

      const record = await checkins.get(t.tenantId, '建設課', day, 'morning', 'L');
      expect(record).toMatchObject({ helpTakenBy: 'S', createdAt: jst(`${day}T08:50:00`).toISOString() });
      expect(record?.answers.trouble).toBe('足場の手配と交通規制');
      // Everything Teams got: the corrected form's own update, nothing new to anyone.
      expect(t.connector.calls.filter((c) => c.kind !== 'update')).toEqual([]);
      expect(formUpdate('form-l-2')).toContain('足場の手配と交通規制');
      expect(formUpdate('form-l-2')).not.toContain(ja('checkin.help.sentTo', { names: `${ja('role.senior')} 土木 主査` }));
    });

    it('a correction that now asks for help sends the request, once however often it is corrected again', async () => {
      await org.submit('L2', morning({ priority: '確認申請' }), 'form-l2-1');
      await t.app.deliverPending();
      expect(helpCards()).toEqual([]);

      clock.set(jst(`${day}T09:05:00`));
      await org.submit('L2', morning({ priority: '確認申請', trouble: '図面の不備', needHelp: 'true' }), 'form-l2-2');
      clock.set(jst(`${day}T09:15:00`));
      await org.submit('L2', morning({ priority: '確認申請', trouble: '図面の不備（再提出待ち）', needHelp: 'true' }), 'form-l2-3');
      await t.app.deliverPending();
      expect(helpCards().map((c) => c.conversationId)).toEqual([conversationOf(org.by('S2'))]);
      expect(formUpdate('form-l2-2')).toContain(ja('checkin.help.sentTo', { names: `${ja('role.senior')} 建築 主査` }));
    });
  });
});

describe('ありがとう 公開しない holds at once, even on an instance that had read the recipient’s preferences', () => {
  const clock = fixedClock(jst('2026-11-25T10:00:00'));
  const TEAM = '19:kensetsu-cache@thread.tacv2';
  let first: TestApp;
  let second: TestApp;
  let org: KudosOrg;
  const toChannel = (): string[] =>
    first.connector
      .sent()
      .filter((c) => c.conversationId === TEAM)
      .map(callText);
  /** H sends a public kudos to L through the second instance. */
  const sendThroughSecond = (submitId: string, message: string) =>
    second.post(
      cardSubmit(
        teamsUserOf(org.by('H'), org.base),
        { verb: 'kudos.send', submitId, value: 'team', public: 'true', recipients: 'L', message },
        `form-${submitId}`,
      ),
    );

  beforeAll(async () => {
    first = await startTestApp(CACHE_ON, { clock });
    org = await loadKudosOrg(first);
    await first.post(teamInstall({ ...teamsUserOf(org.by('M'), org.base), teamId: TEAM }));
    await new UnitScheduleRepository(first.app.tables).save(first.tenantId, '建設課', {
      ...DEFAULT_SCHEDULE,
      summaryChannel: { teamId: TEAM, channelId: TEAM },
    });
    second = await startTestApp({ ...CACHE_ON, TEST_TENANT_ID: first.tenantId }, { clock });
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  it('an opt-out said through one instance stops the next public post sent through another', async () => {
    // The second instance reads L's preferences: L's own message (their language) and a public kudos to L.
    await second.post(org.message('L', 'ヘルプ'));
    await sendThroughSecond('before-optout', '点検記録の整理ありがとう');
    await first.app.deliverPending();
    expect(toChannel().filter((p) => p.includes('点検記録の整理ありがとう'))).toHaveLength(1);

    await org.say('L', 'ありがとう 公開しない');
    expect(org.chat('L').at(-1)).toContain('公開しません');

    await sendThroughSecond('after-optout', '現場写真の整理ありがとう');
    await first.app.deliverPending();
    expect(toChannel().some((p) => p.includes('現場写真の整理ありがとう'))).toBe(false);
    expect(org.chat('L').some((c) => c.includes('現場写真の整理ありがとう'))).toBe(true);
    const confirmation = first.connector.calls.filter((c) => c.kind === 'update' && c.activityId === 'form-after-optout').at(-1);
    expect(confirmation && callText(confirmation)).toContain('土木 主任さんは公開しない設定');
  });
});
