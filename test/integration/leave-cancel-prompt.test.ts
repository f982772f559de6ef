import { fixedClock } from '../../src/shared/clock';
import type { RecordedCall } from '../helpers/connector-double';
import { personalMessage } from '../helpers/activities';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CSV = `職員番号,氏名,所属,役職,上司,AADオブジェクトID
M1,学習 課長,生涯学習課,課長,,00000000-0000-4000-8000-00000000d001
L1,取消 朝子,生涯学習課,主任,M1,00000000-0000-4000-8000-00000000d002
L2,English Am,生涯学習課,主事,M1,00000000-0000-4000-8000-00000000d003
L3,午後 休男,生涯学習課,主事,M1,00000000-0000-4000-8000-00000000d004
L4,明日 休美,生涯学習課,主事,M1,00000000-0000-4000-8000-00000000d005
L5,回答 済子,生涯学習課,主事,M1,00000000-0000-4000-8000-00000000d006
L6,後から 休太,生涯学習課,主事,M1,00000000-0000-4000-8000-00000000d007
L7,夕方 取消郎,生涯学習課,主事,M1,00000000-0000-4000-8000-00000000d008
`;

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
const MORNING = 'おはようございます — 朝のチェックイン 2026年11月25日(水)';
const EVENING = 'おつかれさまです — 夕方のふりかえり 2026年11月25日(水)';

/** A card's title and day, as the person reads them at its top. */
function cardHeading(call: RecordedCall): string | undefined {
  const content = (call.body.attachments as { content?: { body?: { text?: string }[] } }[] | undefined)?.[0]?.content;
  return content?.body ? `${content.body[0]?.text ?? ''} ${content.body[1]?.text ?? ''}` : undefined;
}

/**
 * Taking back today's 休み after the prompt time, as staff send it: the prompt the scheduler passed
 * them over for arrives then (the same card, in their language, once however often they cancel or
 * the scheduler catches up), and the reply says so; a half still ahead, a future day, a check-in
 * already answered or a prompt already sent get nothing new.
 */
describe('休み 取消 of today after the prompt time sends the skipped prompt', () => {
  const clock = fixedClock(jst('2026-11-25T07:30:00'));
  let t: TestApp;
  let org: TestOrg;

  /** The person's messages from hibi since call `from`, delivered through the outbox first. */
  const callsTo = async (id: string, from = 0): Promise<RecordedCall[]> => {
    await t.app.deliverPending();
    return t.connector
      .sent()
      .slice(from)
      .filter((c) => c.conversationId === conversationOf(org.by(id)));
  };
  /** The cards the person has got from hibi (since call `from`), by title and day. */
  const cardsTo = async (id: string, from = 0): Promise<string[]> => (await callsTo(id, from)).flatMap((c) => cardHeading(c) ?? []);
  /** Sends a message as the person at `at`; resolves to hibi's text answer. */
  const say = async (id: string, text: string, at?: string): Promise<string> => {
    if (at) clock.set(jst(at));
    const from = t.connector.sent().length;
    await t.post(personalMessage(teamsUserOf(org.by(id), org.base), text));
    const answer = t.connector
      .sent()
      .slice(from)
      .find((c) => c.conversationId === conversationOf(org.by(id)) && typeof c.body.text === 'string' && c.body.text !== '');
    return String(answer?.body.text ?? '');
  };
  const jobsAt = async (at: string): Promise<void> => {
    clock.set(jst(at));
    await t.app.runDueJobs();
    await t.app.deliverPending();
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadTestOrg(t, CSV);
    await say('L2', 'language English');
    for (const [id, text] of [
      ['L1', '休み'],
      ['L2', 'leave am'],
      ['L3', '午後休'],
      ['L4', '休み 11/26'],
      ['L5', '午前休'],
      ['L7', '休み'],
    ]) {
      expect(await say(id!, text!)).toMatch(/登録しました|registered/);
    }
    await jobsAt('2026-11-25T08:46:00');
    await jobsAt('2026-11-25T09:16:00');
  });
  afterAll(() => t.stop());

  it('the scheduler passed over those on leave for the morning', async () => {
    for (const id of ['L3', 'L4', 'L6']) expect(await cardsTo(id)).toEqual([MORNING]);
    for (const id of ['L1', 'L2', 'L5', 'L7']) expect(await cardsTo(id)).toEqual([]);
  });

  it('sends the morning card once at 10:00, however often the 休み is taken back, and the reply says it was sent', async () => {
    const sent =
      '2026年11月25日(水) の休暇（1日）を取り消しました。朝のチェックインのお知らせの時刻を過ぎていたため、朝のチェックインのカードをこのチャットに送りました。届いたカードから回答できます（夕方のふりかえりはいつもの時刻に届きます）。有給休暇の取得にも数えません。';
    expect(await say('L1', '休み 取消', '2026-11-25T10:00:00')).toBe(sent);
    expect(await cardsTo('L1')).toEqual([MORNING]);

    expect(await say('L1', '休み 取消')).toBe(
      '2026年11月25日(水) に登録されている休暇はないため、取り消すものはありませんでした。登録している休暇は「休み 一覧」で確認できます。',
    );
    // Registered and taken back again, then the scheduler catching up: the prompt's outbox row is already there.
    expect(await say('L1', '休み', '2026-11-25T10:05:00')).toContain('を休暇として登録しました');
    expect(await say('L1', '休み 取り消し')).toBe(sent);
    await jobsAt('2026-11-25T10:06:00');
    expect(await cardsTo('L1')).toEqual([MORNING]);
  });

  it('sends it in the person’s language, for a 午前休 taken back', async () => {
    expect(await say('L2', 'leave cancel am', '2026-11-25T10:10:00')).toBe(
      'Wed 25 Nov 2026 (morning off) is cancelled. The morning check-in time had passed, so the check-in card has been sent to this chat: answer on it (the evening check-out comes at its usual time). It no longer counts as paid leave.',
    );
    expect(await cardsTo('L2')).toEqual(['Good morning — check-in Wed 25 Nov 2026']);
  });

  it('sends nothing now for a 午後休, a future day, a check-in already answered, or a prompt already sent', async () => {
    clock.set(jst('2026-11-25T10:20:00'));
    const from = t.connector.sent().length;
    expect(await say('L3', '休み 取消 午後')).toBe(
      '2026年11月25日(水) の午後休を取り消しました。この日のチェックインのお知らせは通常どおり送ります（お知らせの時刻を過ぎていれば「チェックイン」と送って回答できます）。有給休暇の取得にも数えません。',
    );
    expect(await say('L4', '休み 取消 11/26')).toBe(
      '2026年11月26日(木) の休暇（1日）を取り消しました。この日のチェックインのお知らせは通常どおり送ります（お知らせの時刻を過ぎていれば「チェックイン」と送って回答できます）。有給休暇の取得にも数えません。',
    );

    // L5 answered the morning check-in while on 午前休.
    expect(await cardsTo('L5')).toEqual([]);
    await say('L5', 'チェックイン');
    await org.submit('L5', { verb: 'checkin.submit', slot: 'morning', day: '2026-11-25', priority: '講座の準備', condition: '4' });
    const afterAnswer = t.connector.sent().length;
    expect(await say('L5', '休み 取消')).toContain('の午前休を取り消しました。この日のチェックインのお知らせは通常どおり送ります');
    expect(await cardsTo('L5', afterAnswer)).toEqual([]);

    // L6 had the 08:46 prompt before registering the day off.
    expect(await say('L6', '休み')).toContain('を休暇として登録しました');
    expect(await say('L6', '休み 取消')).toContain('朝のチェックインのカードをこのチャットに送りました');

    await jobsAt('2026-11-25T10:30:00');
    for (const id of ['L3', 'L4', 'L6']) expect(await cardsTo(id, from)).toEqual([]);
    expect(await cardsTo('L6')).toEqual([MORNING]);
  });

  it('sends the evening card for a whole day taken back at the evening prompt time, once with the scheduler’s own prompt, which also prompts the 午後休 taken back', async () => {
    // 17:00, before the scheduler's tick has sent the evening prompts.
    expect(await say('L7', '休み 取消', '2026-11-25T17:00:00')).toBe(
      '2026年11月25日(水) の休暇（1日）を取り消しました。夕方のふりかえりのお知らせの時刻を過ぎていたため、夕方のふりかえりのカードをこのチャットに送りました。届いたカードから回答できます。有給休暇の取得にも数えません。',
    );
    // The morning check-in closed at 11:00: only the evening one is still owed.
    expect(await cardsTo('L7')).toEqual([EVENING]);

    await jobsAt('2026-11-25T17:01:00');
    expect(await cardsTo('L7')).toEqual([EVENING]);
    expect(await cardsTo('L3')).toEqual([MORNING, EVENING]);
    expect(await cardsTo('L1')).toEqual([MORNING, EVENING]);
  });

  it('the future day taken back is prompted by the scheduler on that day', async () => {
    const from = t.connector.sent().length;
    await jobsAt('2026-11-26T08:46:00');
    expect(await cardsTo('L4', from)).toEqual(['おはようございます — 朝のチェックイン 2026年11月26日(木)']);
  });
});
