import { UnitScheduleRepository } from '../../src/features/checkin/unit-schedule.repository';
import { DEFAULT_SCHEDULE } from '../../src/features/checkin/unit-schedule.schema';
import { fixedClock } from '../../src/shared/clock';
import { teamInstall } from '../helpers/activities';
import { cardProblems } from '../helpers/card-validation';
import { loadKudosOrg, type KudosOrg } from '../helpers/kudos-org';
import { lastCard, submitsOf } from '../helpers/oneonone-org';
import { teamsUserOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const TEAM = '19:kensetsu@thread.tacv2';

describe('ありがとう: public posts, プラス評価 for the evaluation, monthly digests', () => {
  // Wednesday 2026-11-25, in 令和8年度 下期 (FY2026H2).
  const clock = fixedClock(jst('2026-11-25T10:00:00'));
  let t: TestApp;
  let org: KudosOrg;
  const toChannel = () =>
    t.connector
      .sent()
      .filter((c) => c.conversationId === TEAM)
      .map((c) => JSON.stringify(c.body));
  const send = (from: string, submitId: string, values: Record<string, string>) =>
    org.submit(from, { verb: 'kudos.send', submitId, value: 'team', public: 'false', ...values }, `form-${submitId}`);
  const confirmation = (submitId: string): string =>
    JSON.stringify(t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === `form-${submitId}`).at(-1)?.body ?? null);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadKudosOrg(t);
    // 建設課's channel is the one HR set for its check-in summary; 総務課 has none.
    await t.post(teamInstall({ ...teamsUserOf(org.by('M'), { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId }), teamId: TEAM }));
    await new UnitScheduleRepository(t.app.tables).save(t.tenantId, '建設課', { ...DEFAULT_SCHEDULE, summaryChannel: { teamId: TEAM, channelId: TEAM } });
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('posts to the recipient’s unit channel only when 公開 is chosen', async () => {
    await send('H', 'pub-off', { recipients: 'X', message: '書類の確認ありがとう（非公開）' });
    await send('H', 'pub-on', { recipients: 'X', message: '書類の確認ありがとう（公開）', public: 'true' });
    await t.app.deliverPending();
    const posts = toChannel();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('書類の確認ありがとう（公開）');
    expect(posts[0]).toContain('人事 主事さんから 建築 主事さんへ');
    expect(confirmation('pub-on')).toContain('課のチャンネルにも公開します');
  });

  it('a recipient who opted out (`ありがとう 公開しない`) is never posted; the sender is told why', async () => {
    await org.say('L', 'ありがとう 公開しない');
    expect(org.chat('L').at(-1)).toContain('公開しません');
    await send('H', 'pub-optout', { recipients: 'L,X', message: '現場の写真整理ありがとう', public: 'true' });
    await send('X', 'pub-nochannel', { recipients: 'H', message: '研修の案内ありがとう', public: 'true' });
    await t.app.deliverPending();

    const posts = toChannel();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('建築 主事さんへ');
    expect(posts[0]).not.toContain('土木 主任');
    expect(confirmation('pub-optout')).toContain('土木 主任さんは公開しない設定');
    expect(confirmation('pub-nochannel')).toContain('チャンネルが設定されていない');
    expect(org.chat('L').some((c) => c.includes('現場の写真整理ありがとう'))).toBe(true);

    await org.say('L', 'ありがとう 公開する');
    await send('H', 'pub-optin', { recipients: 'L', message: '測量の段取りありがとう', public: 'true' });
    await t.app.deliverPending();
    expect(toChannel().filter((p) => p.includes('測量の段取りありがとう'))).toHaveLength(1);
  });

  it('`プラス評価 @name`: the member’s own manager sees this half’s kudos and プラス評価; others are refused', async () => {
    await send('M', 'plus-m-x', { recipients: 'X', message: '災害対応の段取り、さすがでした', value: 'residents' });
    await send('S', 'plus-s-l', { recipients: 'L', message: '点検記録のデータ化', value: 'data' });

    await org.say('M', 'プラス評価 <at>建築 主事</at>', [org.mention('X')]);
    const view = lastCard(t, org.by('M'))!;
    const text = JSON.stringify(view);
    expect(cardProblems(view)).toEqual([]);
    expect(text).toContain('プラス評価 — 建築 主事さん');
    expect(text).toContain('令和8年度 下期');
    expect(text).toContain('災害対応の段取り、さすがでした');
    expect(text).toContain('書類の確認ありがとう（公開）');
    expect(text).toContain('町民志向');

    // A 課長 sees the whole 課 (L reports to S); the 主査 S sees L but not X; another 課の課長 sees neither.
    await org.say('M', 'プラス評価 <at>土木 主任</at>', [org.mention('L')]);
    expect(JSON.stringify(lastCard(t, org.by('M')))).toContain('点検記録のデータ化');
    await org.say('S', 'プラス評価 <at>建築 主事</at>', [org.mention('X')]);
    expect(org.chat('S').at(-1)).toContain('あなたのメンバーではない');
    await org.say('M2', 'プラス評価 <at>建築 主事</at>', [org.mention('X')]);
    expect(org.chat('M2').at(-1)).toContain('あなたのメンバーではない');
    expect(org.chat('M2').at(-1)).not.toContain('災害対応');
    await org.submit('M2', { verb: 'kudos.plus.show', memberId: 'L' });
    expect(org.chat('M2').at(-1)).toContain('あなたのメンバーではない');
    await org.say('X', 'プラス評価');
    expect(org.chat('X').at(-1)).toContain('メンバーのいる上司だけ');
  });

  it('`プラス評価` alone gives a manager the choice of their own members only', async () => {
    await org.say('S', 'プラス評価');
    const chooser = lastCard(t, org.by('S'))!;
    expect(cardProblems(chooser)).toEqual([]);
    expect(JSON.stringify(chooser)).toContain('"value":"L"');
    expect(JSON.stringify(chooser)).not.toContain('"value":"X"');
    expect(submitsOf(chooser)[0]).toMatchObject({ verb: 'kudos.plus.show' });
    await org.submit('S', { verb: 'kudos.plus.show', memberId: 'L' });
    expect(JSON.stringify(lastCard(t, org.by('S')))).toContain('点検記録のデータ化');
  });

  it('on the first office day of the month: each person’s counts by value, privately; the unit channel counts only', async () => {
    clock.set(jst('2026-12-01T09:05:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();

    const digest = org.chat('X').find((c) => c.includes('2026年11月のありがとう'));
    expect(digest).toBeDefined();
    expect(digest).toContain('4件');
    expect(digest).toContain('チーム志向');
    expect(digest).toContain('町民志向');
    expect(digest).not.toContain('災害対応');
    expect(org.chat('M').some((c) => c.includes('2026年11月のありがとう'))).toBe(false);

    const posts = toChannel();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain('建設課 2026年11月のありがとう');
    for (const person of ['建築 主事', '土木 主任', '人事 主事', '建設 課長', '土木 主査']) expect(posts[0]).not.toContain(person);

    t.connector.reset();
    clock.set(jst('2026-12-01T10:00:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    expect(t.connector.sent().filter((c) => JSON.stringify(c.body).includes('のありがとう'))).toEqual([]);
  });
});
