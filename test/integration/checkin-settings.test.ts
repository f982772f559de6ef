import { buildDemoOrg } from '../../src/directory/demo-org';
import type { Person } from '../../src/directory/org.schema';
import { fixedClock } from '../../src/shared/clock';
import { cardSubmit, personalInstall, personalMessage, teamInstall } from '../helpers/activities';
import { cardProblems, shownInputValue } from '../helpers/card-validation';
import { conversationOf, teamsUserOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const UNIT = '農業委員会';
const TEAM = '19:nougyou-team@thread.tacv2';
const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('HR sets a unit’s check-in schedule and summary channel', () => {
  const clock = fixedClock(jst('2026-11-25T08:40:00'));
  const people = buildDemoOrg().people;
  const hr = people.find((p) => p.hr) as Person;
  const staff = people.find((p) => !p.hr && p.role === 'staff') as Person;
  const members = people.filter((p) => p.unit === UNIT);
  let t: TestApp;
  const base = () => ({ serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId });
  const valid = {
    verb: 'checkin.settings.save',
    unit: UNIT,
    morningAt: '09:00',
    morningCloseAt: '10:30',
    eveningAt: '17:15',
    eveningCloseAt: '18:30',
    reminderAfterMinutes: '0',
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    await t.app.org.importDirectory(t.tenantId, buildDemoOrg());
    for (const person of [...members, hr, staff]) await t.post(personalInstall(teamsUserOf(person, base())));
    await t.post(teamInstall({ ...teamsUserOf(hr, base()), teamId: TEAM }));
    t.connector.reset();
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('is refused to anyone who is not HR', async () => {
    await t.post(personalMessage(teamsUserOf(staff, base()), `チェックイン設定 ${UNIT}`));
    expect(t.connector.sent()[0]!.body.text).toBe('チェックインの設定は総務課 人事担当のみが変更できます。');
    await t.post(cardSubmit(teamsUserOf(staff, base()), valid));
    expect(t.connector.sent()[1]!.body.text).toBe('チェックインの設定は総務課 人事担当のみが変更できます。');
  });

  it('shows HR the current values and the installed team channel as a choice', async () => {
    await t.post(personalMessage(teamsUserOf(hr, base()), `チェックイン設定 ${UNIT}`));
    const card = (t.connector.sent()[0]!.body.attachments as { content: Record<string, unknown> }[])[0]!.content;
    const text = JSON.stringify(card);
    expect(text).toContain(`${UNIT} チェックインの設定`);
    expect(text).toContain('"value":"08:45"');
    expect(text).toContain(`${TEAM}|${TEAM}`);
    expect(cardProblems(card)).toEqual([]);
    expect(shownInputValue(card, 'reminderAfterMinutes')).toBe(30);
  });

  it('keeps typed values and names the problem when the close is before the prompt', async () => {
    await t.post(cardSubmit(teamsUserOf(hr, base()), { ...valid, morningCloseAt: '08:30', reminderAfterMinutes: '200' }, 'settings-card'));
    const update = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === 'settings-card')!;
    const text = JSON.stringify(update.body);
    expect(text).toContain('締め切りは、お知らせと再通知より後にしてください');
    expect(text).toContain('0〜120 の分数で入力してください');
    expect(text).toContain('"value":"08:30"');
    expect(shownInputValue((update.body.attachments as { content: object }[])[0]!.content, 'reminderAfterMinutes')).toBe(200);
  });

  it('applies the saved times to the schedule and posts the summary in the chosen channel too', async () => {
    await t.post(cardSubmit(teamsUserOf(hr, base()), { ...valid, channel: `${TEAM}|${TEAM}` }, 'settings-card'));
    const saved = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === 'settings-card')!;
    expect(saved.body.text).toContain('農業委員会 の設定を保存しました。朝 09:00〜10:30');

    clock.set(jst('2026-11-25T08:50:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const unitConversations = new Set(members.map(conversationOf));
    expect(t.connector.sent().filter((c) => unitConversations.has(c.conversationId ?? ''))).toEqual([]);

    clock.set(jst('2026-11-25T09:01:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    expect(
      t.connector
        .sent()
        .filter((c) => unitConversations.has(c.conversationId ?? ''))
        .map((c) => c.conversationId)
        .sort(),
    ).toEqual([...unitConversations].sort());

    t.connector.reset();
    clock.set(jst('2026-11-25T10:31:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const toChannel = t.connector.sent().filter((c) => c.conversationId === TEAM);
    expect(toChannel).toHaveLength(1);
    expect(JSON.stringify(toChannel[0]!.body)).toContain(`${UNIT} 朝のチェックインのまとめ`);
  });

  it('lists for HR who hibi cannot reach: not installed, or refused by Teams', async () => {
    const refusing = members[1]!;
    t.connector.intercept((call) => (call.conversationId === conversationOf(refusing) ? { status: 403, code: 'MessageWritesBlocked' } : undefined));
    clock.set(jst('2026-11-25T17:16:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    t.connector.reset();

    await t.post(personalMessage(teamsUserOf(hr, base()), '未インストール'));
    const text = String(t.connector.sent()[0]!.body.text);
    expect(text).toContain(`${UNIT}: 2 / ${members.length} 名に届きます`);
    expect(text).toContain(`受信不可（ブロック・無効化）: ${refusing.name}`);
    const juumin = people.filter((p) => p.unit === '住民課');
    const installed = juumin.filter((p) => p.id === staff.id || p.id === hr.id);
    expect(text).toContain(`住民課: ${installed.length} / ${juumin.length} 名に届きます`);
    const missing = juumin.find((p) => !installed.includes(p))!;
    expect(text).toMatch(new RegExp(`未インストール: [^\n]*${missing.name}`));

    await t.post(personalMessage(teamsUserOf(staff, base()), '未インストール'));
    expect(t.connector.sent()[1]!.body.text).toBe('この一覧は総務課 人事担当のみが見られます。');

    // Unblocked: the next morning's prompt reaches them, and that delivery clears the mark.
    t.connector.intercept(undefined);
    clock.set(jst('2026-11-26T09:01:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    expect(t.connector.sent().some((c) => c.conversationId === conversationOf(refusing))).toBe(true);
    t.connector.reset();
    await t.post(personalMessage(teamsUserOf(hr, base()), '未インストール'));
    expect(String(t.connector.sent()[0]!.body.text)).not.toContain(refusing.name);
  });
});
