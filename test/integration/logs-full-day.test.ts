import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { fixedClock } from '../../src/shared/clock';
import { loadAccessOrg, type AccessOrg } from '../helpers/access-org';
import { lastCard, submitsOf } from '../helpers/oneonone-org';
import { conversationOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A whole office day through /api/messages with every log line captured, then scanned for what must
 * never be in a log: what people typed, people's names, 1on1 and near-miss content. The day is
 * Monday 2026-06-01, the first office day of the month, so the Monday 1on1 digest and the monthly
 * digests run too.
 */

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const DAY = '2026-06-01';

/** Every free text typed during the day. Each is unique, so a hit in a log line can only come from the typing. */
const TYPED = {
  priority: '側溝清掃の業者調整（最優先・ログ検証）',
  purpose: '梅雨前に冠水を防ぐため（目的・ログ検証）',
  trouble: '見積が二社から届かず判断できない（困りごと・ログ検証）',
  otherMorning: '道路台帳の更新（最優先・別の人・ログ検証）',
  done: '業者二社と日程を確定した（できたこと・ログ検証）',
  carryOver: '三社目の見積依頼（持ち越し・ログ検証）',
  learning: '相見積の手順を学んだ（学び・ログ検証）',
  overtime: '18:30',
  agendaTopics: '異動希望について話したい（議題・ログ検証）',
  agendaProgress: '点検計画は七割（達成度・ログ検証）',
  agendaWorries: '家族の介護で残業が難しい（悩み・ログ検証）',
  recordGood: '業者との調整が早かった（良かった点・ログ検証）',
  recordExpectations: '次は見積比較表を作ってほしい（期待・ログ検証）',
  recordWorries: '定時退庁できるよう担当を分ける（悩みへの対応・ログ検証）',
  recordNext: '来月は研修計画（次回・ログ検証）',
  recordAction: '比較表の様式を作る（アクション・ログ検証）',
  confirmComment: '担当の分け方に感謝します（コメント・ログ検証）',
  nearmissWhat: '別の世帯の証明書を封入しかけた（記名・ログ検証）',
  nearmissConsequence: '個人情報の漏えいになっていた（ログ検証）',
  nearmissIdea: '封入前に二人で読み合わせる（対策案・ログ検証）',
  anonymousWhat: '公用車の鍵を挿したまま離れた（匿名・ログ検証）',
  countermeasure: '封入時の読み合わせを手順書に追加（対策・ログ検証）',
  countermeasureOwner: '窓口担当の主任（担当・ログ検証）',
  // Typed commands are NFKC-normalised before use, so no full-width punctuation in these two.
  kudosTyped: '抱え込まないで早めに相談してくれて助かりました ありがとう ログ検証',
  kudosCard: '議事録を丁寧にまとめてくれた（プラス評価・ログ検証）',
  chatter: '今日は梅雨寒ですね 雑談 ログ検証',
} as const;

describe('logs of a full office day hold no message text, names, 1on1 or near-miss content', () => {
  const clock = fixedClock(jst(`${DAY}T08:45:00`));
  const lines: string[] = [];
  let t: TestApp;
  let org: AccessOrg;

  const at = async (time: string): Promise<void> => {
    clock.set(jst(`${DAY}T${time}:00`));
    await t.app.runDueJobs();
    await t.app.deliverPending();
  };
  const morning = (id: string, fields: Record<string, string>) =>
    org.submit(id, { verb: 'checkin.submit', slot: 'morning', day: DAY, needHelp: 'false', condition: '4', ...fields }, `morning-${id}`);
  const evening = (id: string, fields: Record<string, string>) =>
    org.submit(id, { verb: 'checkin.submit', slot: 'evening', day: DAY, satisfaction: '4', ...fields }, `evening-${id}`);
  /** The activity id Teams gave the last card hibi sent to the person that contains `text`: what their press replies to. */
  const sentCardId = (id: string, text: string): string =>
    String(
      t.connector
        .sent()
        .filter((c) => c.conversationId === conversationOf(org.by(id)) && JSON.stringify(c.body).includes(text))
        .at(-1)?.responseId ?? '',
    );

  beforeAll(async () => {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    t = await startTestApp({}, { clock }, sink);
    org = await loadAccessOrg(t);

    await at('08:45');
    await morning('ST', { priority: TYPED.priority, purpose: TYPED.purpose, trouble: TYPED.trouble, needHelp: 'true', condition: '2' });
    for (const id of ['P', 'K', 'S']) await morning(id, { priority: TYPED.otherMorning });
    await t.app.deliverPending();
    await org.submit('L', { verb: 'checkin.help.take', day: DAY, unit: '建設課', reporterId: 'ST' }, sentCardId('L', TYPED.trouble));
    await at('09:00');
    await at('09:15');

    await org.submit('L', { verb: 'oneonone.schedule.save', memberId: 'ST', date: DAY, time: '15:00', length: '30' }, 'schedule-form');
    await t.app.deliverPending();
    const agendaSave = submitsOf(lastCard(t, org.by('ST'))).find((d) => d.verb === 'oneonone.agenda.save');
    await org.submit('ST', { ...agendaSave, topics: TYPED.agendaTopics, progress: TYPED.agendaProgress, worries: TYPED.agendaWorries });

    clock.set(jst(`${DAY}T10:00:00`));
    const report = { verb: 'nearmiss.submit', date: DAY, time: '09:40', category: 'personal', impact: '3', cause: 'check' };
    await org.submit('P', { ...report, what: TYPED.nearmissWhat, consequence: TYPED.nearmissConsequence, idea: TYPED.nearmissIdea, anonymous: 'false' });
    await org.submit('K', { ...report, category: 'safety', impact: '2', what: TYPED.anonymousWhat, anonymous: 'true' });
    await t.app.deliverPending();
    await org.submit('L', { verb: 'nearmiss.ack', id: 'NM-2026-0001' });
    await org.submit('L', { verb: 'nearmiss.decide', id: 'NM-2026-0001', countermeasure: TYPED.countermeasure, owner: TYPED.countermeasureOwner });
    await org.say('H', 'ヒヤリハット一覧');

    await org.say('K', `ありがとう <at>${org.by('ST').name}</at> ${TYPED.kudosTyped}`, ['ST']);
    await org.submit('L', { verb: 'kudos.send', submitId: 'logs-plus', recipients: 'ST', value: 'purpose', message: TYPED.kudosCard, public: 'false' });
    await org.say('L', `プラス評価 <at>${org.by('ST').name}</at>`, ['ST']);
    await org.say('M', TYPED.chatter);
    await t.app.deliverPending();

    await at('11:00');
    await at('14:30');
    await at('15:30');
    const meetingId = String(agendaSave?.meetingId ?? '');
    await org.submit('L', {
      verb: 'oneonone.record.save',
      managerId: 'L',
      memberId: 'ST',
      meetingId,
      good: TYPED.recordGood,
      expectations: TYPED.recordExpectations,
      achievement: '4',
      worriesResponse: TYPED.recordWorries,
      next: TYPED.recordNext,
      action1Text: TYPED.recordAction,
      action1Owner: 'member',
      action1Due: '2026-06-05',
    });
    await t.app.deliverPending();
    await org.submit('ST', { verb: 'oneonone.record.confirm', managerId: 'L', memberId: 'ST', meetingId, comment: TYPED.confirmComment });
    await org.say('L', '1on1');

    await at('17:00');
    await evening('ST', { done: TYPED.done, carryOver: TYPED.carryOver, overtime: TYPED.overtime, learning: TYPED.learning });
    await at('17:30');
    await at('19:00');
  });
  afterAll(() => t.stop());

  it('the day happened: its texts and names reached Teams, and the log recorded every step', () => {
    const delivered = t.connector.calls.map((c) => JSON.stringify(c.body)).join('\n');
    for (const text of Object.values(TYPED)) expect(delivered).toContain(text);
    for (const person of org.people.filter((p) => p.unit)) expect(delivered).toContain(person.name);

    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; kind?: string; job?: string });
    expect(entries.filter((e) => e.msg === 'message' && e.kind === 'submit').length).toBeGreaterThanOrEqual(15);
    expect(entries.filter((e) => e.msg === 'message' && e.kind === 'command').length).toBeGreaterThanOrEqual(5);
    expect(entries.filter((e) => e.msg === 'outbox row sent').length).toBeGreaterThanOrEqual(40);
    const jobs = entries.filter((e) => e.msg === 'scheduled job done').map((e) => e.job ?? '');
    for (const job of [
      'checkin.prompt|morning',
      'checkin.reminder|morning',
      'checkin.summary|morning',
      'checkin.prompt|evening',
      'checkin.reminder|evening',
      'checkin.summary|evening',
      'oneonone.soon',
      'oneonone.record',
      'oneonone.digest',
    ]) {
      expect(jobs.some((id) => id.startsWith(job))).toBe(true);
    }
  });

  it('the capture is at least the default level: every line the default (info) would write is in it', () => {
    expect(loadConfig({}).env.LOG_LEVEL).toBe('info');
    // startTestApp logs at trace when given a destination: a superset of info.
    expect(lines.length).toBeGreaterThan(0);
  });

  it('no log line holds anything typed, a person’s name, or 1on1 / near-miss content', () => {
    const names = org.people.flatMap((p) => [p.name, p.name.replace(/\s/g, ''), ...p.name.split(/\s/).filter((part) => part.length >= 2)]);
    const needles = [...Object.values(TYPED), ...names];
    const hits = lines.flatMap((line) => needles.filter((needle) => line.includes(needle)).map((needle) => `${needle} in ${line}`));
    expect(hits).toEqual([]);
  });
});
