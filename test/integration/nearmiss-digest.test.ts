import { UnitScheduleRepository } from '../../src/features/checkin/unit-schedule.repository';
import { NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import type { RecordedCall } from '../helpers/connector-double';
import { DEFAULT_SCHEDULE } from '../../src/features/checkin/unit-schedule.schema';
import { fixedClock } from '../../src/shared/clock';
import { teamInstall } from '../helpers/activities';
import { cardProblems } from '../helpers/card-validation';
import { loadNearMissOrg, textOf, type NearMissOrg } from '../helpers/nearmiss-org';
import { conversationOf, teamsUserOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const TEAM = '19:somu@thread.tacv2';
const TITLE = 'ヒヤリハットから学ぶ（2026年11月）';

describe('ヒヤリハット learning digest: first office day of the month, anonymised, then 共有済', () => {
  const clock = fixedClock(jst('2026-10-30T17:05:00'));
  let t: TestApp;
  let org: NearMissOrg;
  /** The digest cards (not the envelope, which carries the recipient's own id) sent to one conversation. */
  const digestsTo = (conversationId: string): string[] =>
    t.connector
      .sent()
      .filter((c) => c.conversationId === conversationId && textOf(c).includes(TITLE))
      .map((c) => JSON.stringify((c.body as { attachments?: { content: unknown }[] }).attachments?.[0]?.content));
  const chat = (id: string): string[] =>
    t.connector
      .sent()
      .filter((c) => c.conversationId === conversationOf(org.by(id)))
      .map(textOf);
  /** Where NM-2026-0002 reached each of its recipients: the activity id of the card in their chat. */
  const cardOf = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadNearMissOrg(t);
    // 総務課 reads it together in the channel HR set for its check-in summary; 建設課 has none.
    await t.post(teamInstall({ ...teamsUserOf(org.by('M2'), { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId }), teamId: TEAM }));
    await new UnitScheduleRepository(t.app.tables).save(t.tenantId, '総務課', { ...DEFAULT_SCHEDULE, summaryChannel: { teamId: TEAM, channelId: TEAM } });
    await org.report('ST', { what: '十月の報告', date: '2026-10-30' });
    clock.set(jst('2026-11-25T17:05:00'));
    await org.report('ST', { what: '封筒の宛名違い', impact: '3', category: 'personal' });
    await org.report('RPTZ9', { what: '釣銭の数え間違い', category: 'money', cause: 'time' });
    await org.report('L1', { what: '番号札の配り忘れ', anonymous: 'true', impact: '2' });
    await org.report('OUT', { what: '公印の押し忘れ', category: 'documents' });
    await org.submit('M', { verb: 'nearmiss.decide', id: 'NM-2026-0002', countermeasure: '宛名を二人で読み合わせる', owner: '建築グループ' });
    await t.app.deliverPending();
    const decided = (await new NearMissRepository(t.app.tables).get(t.tenantId, 'NM-2026-0002'))?.report;
    for (const id of decided?.recipientIds ?? []) {
      const card = t.connector.sent().find((c) => c.conversationId === conversationOf(org.by(id)) && textOf(c).includes('封筒の宛名違い'));
      if (card?.responseId) cardOf.set(id, card.responseId);
    }
    t.connector.reset();

    clock.set(jst('2026-12-01T09:05:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
  });
  afterAll(() => t.stop());

  it('reaches each person, or the unit’s channel instead where HR set one', () => {
    const personally = org.people
      .filter((p) => digestsTo(conversationOf(p)).length === 1)
      .map((p) => p.id)
      .sort();
    expect(personally).toEqual(['AP', 'C', 'DEP', 'L1', 'L2', 'M', 'MAY', 'RPTZ9', 'S1', 'S2', 'ST']);
    expect(digestsTo(TEAM)).toHaveLength(1);
  });

  it('holds last month’s reports by category with 影響度 and countermeasure, and counts per unit', () => {
    const digest = digestsTo(conversationOf(org.by('ST')))[0] ?? '';
    for (const expected of [
      '個人情報（1件）',
      '金銭・会計（1件）',
      '窓口対応（1件）',
      '文書・公印（1件）',
      '3 重大',
      '宛名を二人で読み合わせる',
      '検討中',
      '釣銭の数え間違い',
      '番号札の配り忘れ',
    ]) {
      expect(digest).toContain(expected);
    }
    expect(digest).not.toContain('十月の報告');
    expect(digest).toMatch(/"title":"建設課","value":"3件"/);
    expect(digest).toMatch(/"title":"総務課","value":"1件"/);
    expect(cardProblems(JSON.parse(digest) as object)).toEqual([]);
  });

  it('names nobody: no reporter’s (or decider’s) name or id appears in any digest', () => {
    const digests = [...digestsTo(TEAM), ...org.people.flatMap((p) => digestsTo(conversationOf(p)))];
    expect(digests.length).toBe(12);
    for (const id of ['ST', 'RPTZ9', 'L1', 'OUT', 'M']) {
      const person = org.by(id);
      for (const digest of digests) {
        expect(digest).not.toContain(person.name);
        expect(digest).not.toMatch(new RegExp(`\\b${id}\\b`));
      }
    }
  });

  it('shows 共有済 in place on every recipient’s card of a shared report', () => {
    expect([...cardOf.keys()].sort()).toEqual(['L2', 'M']);
    for (const [id, activityId] of cardOf) {
      const updates = t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === activityId && c.conversationId === conversationOf(org.by(id)));
      expect(updates).toHaveLength(1);
      const card = textOf(updates[0] as RecordedCall);
      expect(card).toContain('状態: 共有済');
      expect(card).toContain('宛名を二人で読み合わせる');
      expect(card).not.toContain('"verb":"nearmiss.');
    }
  });

  it('moves the reports it shared with a countermeasure to 共有済 and tells their named reporter, once', async () => {
    expect(chat('ST').join()).toContain('あなたのヒヤリハット NM-2026-0002 は、対策とともに');
    expect(chat('RPTZ9').join()).not.toContain('対策とともに');
    t.connector.reset();
    await org.say('HR1', 'ヒヤリハット一覧');
    const list = chat('HR1').join();
    expect(list).toContain('NM-2026-0002・共有済');
    expect(list).toContain('NM-2026-0003・受付');

    t.connector.reset();
    clock.set(jst('2026-12-01T10:00:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    expect(t.connector.sent().filter((c) => textOf(c).includes('ヒヤリハットから学ぶ') || textOf(c).includes('対策とともに'))).toEqual([]);
  });
});
