import { CheckinRepository } from '../../src/features/checkin/checkin.repository';
import { NearMissRepository } from '../../src/features/nearmiss/nearmiss.repository';
import { translator } from '../../src/i18n/i18n';
import { fixedClock } from '../../src/shared/clock';
import { loadAccessOrg, type AccessOrg } from '../helpers/access-org';
import { lastCard, submitsOf } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Who may read what, row by row, each row tried the way a person would: the command or the card
 * button with the other person's ids. The table is the README's "Who sees what". Everything is about
 * 東山 葵 (ST, 主事 in 建設課 土木): see test/helpers/access-org.ts for who is who.
 *
 * KPI reports are left out: another part of the work builds them (HR's aggregates, groups under 3
 * suppressed) and brings its own test.
 */

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const DAY = '2026-11-25';

/** What ST and the others typed; each string is unique, so finding it in a chat means it reached that person. */
const TEXT = {
  trouble: '排水ポンプの故障で現場に入れない（困りごと・検証用）',
  agenda: '来年度の資格取得について相談したい（議題・検証用）',
  record: '住民説明会の準備が丁寧だった（記録・検証用）',
  nearmissNamed: '窓口で別の方の書類を渡しかけた（記名・検証用）',
  nearmissAnonymous: '公印の押し忘れに気づかず発送しかけた（匿名・検証用）',
  kudos: '重機の手配を代わってくれて助かりました（ありがとう・検証用）',
  plus: '点検記録を自らデータ化した挑戦（プラス評価・検証用）',
} as const;
const SUMMARY_TITLE = translator('ja')('checkin.summary.title.morning', { unit: '建設課' });

type Item = 'checkin' | 'summary' | 'oneonone' | 'nearmissNamed' | 'nearmissAnonymous' | 'kudos' | 'plus';

/** The strings that must reach a person who may read the item, and nobody else. */
const NEEDLES: Record<Item, string[]> = {
  checkin: [TEXT.trouble],
  summary: [SUMMARY_TITLE],
  oneonone: [TEXT.agenda, TEXT.record],
  nearmissNamed: [TEXT.nearmissNamed],
  nearmissAnonymous: [TEXT.nearmissAnonymous],
  kudos: [TEXT.kudos],
  plus: [TEXT.plus],
};

/**
 * sees: 'answer' = in hibi's answer to what they pressed or sent; 'delivered' = in what hibi sent them
 * on its own (a card, a summary); 'no' = nowhere in their chat, and what they tried was refused.
 */
type Sees = 'answer' | 'delivered' | 'no';

// prettier-ignore
const TABLE: [Item, string, string, Sees, string][] = [
  ['checkin', 'ST', '主事 (the member)', 'delivered', 'the saved card of their own check-in'],
  ['checkin', 'P', '主事 (a colleague)', 'no', '対応します with ST’s ids is refused'],
  ['checkin', 'L', '主任 (ST’s manager, the 主任 the escalation table names)', 'answer', 'the help request; 対応します takes it'],
  ['checkin', 'S', '主査 (another group)', 'no', 'refused'],
  ['checkin', 'M', '課長 of the unit', 'delivered', 'the 11:00 summary lists the 困りごと (対応します is refused: not asked)'],
  ['checkin', 'M2', '課長 of another unit', 'no', 'refused'],
  ['checkin', 'H', 'HR', 'no', 'refused'],
  ['checkin', 'C', 'ST’s manager’s manager (主幹)', 'no', 'refused'],

  ['summary', 'ST', '主事 (the member)', 'no', 'summaries go to the unit’s 課長'],
  ['summary', 'P', '主事 (a colleague)', 'no', ''],
  ['summary', 'L', '主任 (ST’s manager)', 'no', ''],
  ['summary', 'S', '主査 (another group)', 'no', ''],
  ['summary', 'M', '課長 of the unit', 'delivered', 'at 11:00 (and 19:00)'],
  ['summary', 'M2', '課長 of another unit', 'no', 'gets their own unit’s only'],
  ['summary', 'H', 'HR', 'no', ''],
  ['summary', 'C', 'ST’s manager’s manager (主幹)', 'no', ''],

  ['oneonone', 'ST', '主事 (the member)', 'answer', 'the pair’s record view'],
  ['oneonone', 'P', '主事 (a colleague)', 'no', 'oneonone.open with the pair’s ids: 本人と上司のみ'],
  ['oneonone', 'L', '主任 (ST’s manager, the pair’s manager)', 'answer', 'the pair’s record view'],
  ['oneonone', 'S', '主査 (another group)', 'no', 'refused'],
  ['oneonone', 'M', '課長 of the unit', 'no', 'refused: the pair only'],
  ['oneonone', 'M2', '課長 of another unit', 'no', 'refused'],
  ['oneonone', 'H', 'HR', 'no', 'refused: HR counts 1on1s from dates and held flags only'],
  ['oneonone', 'C', 'ST’s manager’s manager (主幹)', 'no', 'refused'],

  ['nearmissNamed', 'ST', '主事 (the reporter)', 'answer', 'ヒヤリハット一覧 and the report'],
  ['nearmissNamed', 'P', '主事 (a colleague)', 'no', 'nearmiss.view with the id is refused'],
  ['nearmissNamed', 'L', '主任 (routed to: the escalation table’s answer for a 主事)', 'answer', 'ヒヤリハット一覧 and the report'],
  ['nearmissNamed', 'S', '主査 (another group)', 'no', 'refused'],
  ['nearmissNamed', 'M', '課長 of the unit', 'no', 'refused: 影響度 2 goes to the 主任; from 3 the 課長 too'],
  ['nearmissNamed', 'M2', '課長 of another unit', 'no', 'refused'],
  ['nearmissNamed', 'H', 'HR', 'answer', 'HR reads every report'],
  ['nearmissNamed', 'C', 'ST’s manager’s manager (主幹)', 'no', 'refused'],

  ['nearmissAnonymous', 'ST', '主事 (the reporter)', 'no', 'nothing links them to it, so not even they can list it'],
  ['nearmissAnonymous', 'P', '主事 (a colleague)', 'no', 'refused'],
  ['nearmissAnonymous', 'L', '主任 (ST’s manager)', 'no', 'refused: an anonymous report goes to the 課長 only'],
  ['nearmissAnonymous', 'S', '主査 (another group)', 'no', 'refused'],
  ['nearmissAnonymous', 'M', '課長 of the unit', 'answer', 'routed to them'],
  ['nearmissAnonymous', 'M2', '課長 of another unit', 'no', 'refused'],
  ['nearmissAnonymous', 'H', 'HR', 'answer', 'HR reads every report (with no reporter in it)'],
  ['nearmissAnonymous', 'C', 'ST’s manager’s manager (主幹)', 'no', 'refused'],

  ['kudos', 'ST', '主事 (the recipient)', 'delivered', 'the kudos card (プラス評価 @themself is refused)'],
  ['kudos', 'P', '主事 (a colleague)', 'no', 'プラス評価 @ST is refused'],
  ['kudos', 'L', '主任 (ST’s manager)', 'answer', 'プラス評価 @ST (his note on the kudos names no message)'],
  ['kudos', 'S', '主査 (another group)', 'no', 'refused'],
  ['kudos', 'M', '課長 of the unit', 'answer', 'プラス評価 @ST: a 課長 reads their whole 課'],
  ['kudos', 'M2', '課長 of another unit', 'no', 'refused'],
  ['kudos', 'H', 'HR', 'no', 'refused'],
  ['kudos', 'C', 'ST’s manager’s manager (主幹)', 'no', 'refused: direct reports, or a 課長’s own 課'],

  ['plus', 'ST', '主事 (the member)', 'delivered', 'it is a kudos they received'],
  ['plus', 'P', '主事 (a colleague)', 'no', 'プラス評価 @ST is refused'],
  ['plus', 'L', '主任 (ST’s manager, who wrote it)', 'answer', 'プラス評価 @ST'],
  ['plus', 'S', '主査 (another group)', 'no', 'refused'],
  ['plus', 'M', '課長 of the unit', 'answer', 'プラス評価 @ST'],
  ['plus', 'M2', '課長 of another unit', 'no', 'refused'],
  ['plus', 'H', 'HR', 'no', 'refused'],
  ['plus', 'C', 'ST’s manager’s manager (主幹)', 'no', 'refused'],
];

describe('who sees what: every row tried through /api/messages as that person', () => {
  const clock = fixedClock(jst(`${DAY}T08:50:00`));
  let t: TestApp;
  let org: AccessOrg;
  let meetingId = '';
  const reportIds = { nearmissNamed: '', nearmissAnonymous: '' };

  /** What each item's reader does to get at it; the summary is only ever sent, so there is nothing to press. */
  const TRIES: Record<Item, ((viewer: string) => Promise<void>) | undefined> = {
    checkin: (viewer) => org.submit(viewer, { verb: 'checkin.help.take', day: DAY, unit: '建設課', reporterId: 'ST' }, `forged-${viewer}`),
    summary: undefined,
    oneonone: async (viewer) => {
      await org.submit(viewer, { verb: 'oneonone.open', managerId: 'L', memberId: 'ST', meetingId });
      await org.say(viewer, '1on1');
    },
    nearmissNamed: async (viewer) => {
      await org.say(viewer, 'ヒヤリハット一覧');
      await org.submit(viewer, { verb: 'nearmiss.view', id: reportIds.nearmissNamed });
    },
    nearmissAnonymous: async (viewer) => {
      await org.say(viewer, 'ヒヤリハット一覧');
      await org.submit(viewer, { verb: 'nearmiss.view', id: reportIds.nearmissAnonymous });
    },
    kudos: async (viewer) => {
      await org.say(viewer, `プラス評価 <at>${org.by('ST').name}</at>`, ['ST']);
      await org.submit(viewer, { verb: 'kudos.plus.show', memberId: 'ST' });
    },
    plus: async (viewer) => {
      await org.say(viewer, `プラス評価 <at>${org.by('ST').name}</at>`, ['ST']);
      await org.submit(viewer, { verb: 'kudos.plus.show', memberId: 'ST' });
    },
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadAccessOrg(t);

    // Morning: ST's check-in with a trouble and 助けが必要, a 1on1 booked for 15:00 and its agenda.
    await org.submit(
      'ST',
      { verb: 'checkin.submit', slot: 'morning', day: DAY, priority: '側溝の点検', trouble: TEXT.trouble, needHelp: 'true', condition: '3' },
      'form-ST',
    );
    await org.submit('L', { verb: 'oneonone.schedule.save', memberId: 'ST', date: DAY, time: '15:00', length: '30' }, 'form-1on1');
    await t.app.deliverPending();
    const agendaSave = submitsOf(lastCard(t, org.by('ST'))).find((d) => d.verb === 'oneonone.agenda.save');
    meetingId = String(agendaSave?.meetingId ?? '');
    await org.submit('ST', { ...agendaSave, topics: TEXT.agenda });

    // Two near-misses by ST, one named and one anonymous; two kudos to ST, one from their manager (プラス評価).
    const report = { verb: 'nearmiss.submit', date: DAY, time: '08:30', category: 'counter', impact: '2', cause: 'check' };
    await org.submit('ST', { ...report, what: TEXT.nearmissNamed, anonymous: 'false' });
    await org.submit('ST', { ...report, what: TEXT.nearmissAnonymous, anonymous: 'true' });
    await org.submit('K', { verb: 'kudos.send', submitId: 'access-peer', recipients: 'ST', value: 'share', message: TEXT.kudos, public: 'false' });
    await org.submit('L', { verb: 'kudos.send', submitId: 'access-plus', recipients: 'ST', value: 'learn', message: TEXT.plus, public: 'false' });
    await t.app.deliverPending();
    const reports = await new NearMissRepository(t.app.tables).listAll(t.tenantId);
    reportIds.nearmissNamed = reports.find((r) => r.what === TEXT.nearmissNamed)?.id ?? '';
    reportIds.nearmissAnonymous = reports.find((r) => r.what === TEXT.nearmissAnonymous)?.id ?? '';

    // 11:00 the unit's summary; after the 1on1 the manager saves the record.
    clock.set(jst(`${DAY}T11:00:00`));
    await t.app.runDueJobs();
    clock.set(jst(`${DAY}T15:40:00`));
    await t.app.runDueJobs();
    await org.submit('L', { verb: 'oneonone.record.save', managerId: 'L', memberId: 'ST', meetingId, good: TEXT.record, achievement: '4' });
    await t.app.deliverPending();
  });
  afterAll(() => t.stop());

  it('the data the table is about exists and reached its first readers', () => {
    expect(meetingId).toMatch(/^m\d{14}-[0-9a-f]{6}$/);
    expect(reportIds.nearmissNamed).toMatch(/^NM-2026-\d{4}$/);
    expect(reportIds.nearmissAnonymous).toMatch(/^NM-2026-\d{4}$/);
    const seen = t.connector.calls.map((c) => JSON.stringify(c.body)).join('\n');
    for (const needles of Object.values(NEEDLES)) for (const needle of needles) expect(seen).toContain(needle);
  });

  it.each(TABLE)('%s — %s (%s): %s, %s', async (item, viewer, _role, sees, _how) => {
    const before = org.chat(viewer).length;
    await TRIES[item]?.(viewer);
    const chat = org.chat(viewer);
    const answer = chat.slice(before);
    if (TRIES[item]) expect(answer.length).toBeGreaterThan(0);
    for (const needle of NEEDLES[item]) {
      if (sees === 'answer') expect(answer.some((c) => c.includes(needle))).toBe(true);
      else expect(chat.some((c) => c.includes(needle))).toBe(sees === 'delivered');
    }
  });

  it('a forged 対応します was refused in words and took nothing: the 主任 it went to took the request', async () => {
    for (const id of ['ST', 'P', 'S', 'M', 'M2', 'H', 'C']) expect(org.chat(id).some((c) => c.includes(translator('ja')('checkin.help.notYours')))).toBe(true);
    const record = await new CheckinRepository(t.app.tables).get(t.tenantId, '建設課', DAY, 'morning', 'ST');
    expect(record?.helpTakenBy).toBe('L');
  });
});
