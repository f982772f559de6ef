import { KUDOS_TABLES } from '../../src/features/kudos/kudos.repository';
import { fixedClock } from '../../src/shared/clock';
import { cardProblems } from '../helpers/card-validation';
import { BOT_MENTION, loadKudosOrg, type KudosOrg } from '../helpers/kudos-org';
import { inputsOf, lastCard, submitsOf } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('ありがとう (kudos) through /api/messages: send, deliver, rules', () => {
  const clock = fixedClock(jst('2026-11-25T10:00:00'));
  let t: TestApp;
  let org: KudosOrg;

  async function rows(table: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${t.tenantId}|' and PartitionKey lt '${t.tenantId}}'`;
    for await (const e of t.app.tables.table(table).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }
  const lastText = (id: string): string => org.chat(id).at(-1) ?? '';
  const card = (id: string): Record<string, unknown> | undefined => lastCard(t, org.by(id));

  beforeAll(async () => {
    t = await startTestApp({ KUDOS_DAILY_LIMIT: '3' }, { clock });
    org = await loadKudosOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('one mention: the recipient gets a card, their manager a short note, the sender a confirmation', async () => {
    await org.say('L', 'ありがとう <at>建築 主事</at> 窓口の応援、抱え込まないでくれて助かりました', [org.mention('X')]);
    expect(lastText('L')).toContain('建築 主事さんに「抱え込まない」でありがとうを送りました');
    await t.app.deliverPending();

    const received = card('X');
    expect(JSON.stringify(received)).toContain('土木 主任');
    expect(JSON.stringify(received)).toContain('抱え込まない');
    expect(JSON.stringify(received)).toContain('窓口の応援、抱え込まないでくれて助かりました');
    expect(cardProblems(received!)).toEqual([]);
    expect(lastText('M')).toContain('土木 主任さんが建築 主事さんに「抱え込まない」でありがとうを送りました');
    // Not a manager's kudos to their own member: no プラス評価 entry.
    expect(await rows(KUDOS_TABLES.plus)).toEqual([]);
  });

  it('several mentions, the bot’s own ignored: each recipient is thanked; a manager is not told of their own kudos', async () => {
    const text = '<at>hibi</at> ありがとう <at>土木 主任</at> <at>建築 主事</at> 研修の資料づくり、学び続ける姿勢に感謝です';
    await org.say('S', text, [BOT_MENTION, org.mention('L'), org.mention('X')]);
    expect(lastText('S')).toContain('土木 主任さん、建築 主事さんに「学び続ける」でありがとうを送りました');
    await t.app.deliverPending();

    expect(card('L') && JSON.stringify(card('L'))).toContain('研修の資料づくり');
    expect(card('X') && JSON.stringify(card('X'))).toContain('研修の資料づくり');
    // S is L's manager (no note to S); X's manager M is told.
    expect(org.chat('S').filter((c) => c.includes('でありがとうを送りました')).length).toBe(1);
    expect(lastText('M')).toContain('土木 主査さんが建築 主事さんに「学び続ける」でありがとうを送りました');
    expect(lastText('M')).not.toContain('土木 主任');

    // S → own member L is a プラス評価 for the current half; S → X (not S's member) is not.
    const plus = await rows(KUDOS_TABLES.plus);
    expect(plus).toHaveLength(1);
    expect(plus[0]).toMatchObject({ partitionKey: `${t.tenantId}|L`, managerId: 'S', period: 'FY2026H2', value: 'learn' });
  });

  it('`ありがとう` alone opens the card: their own 課 listed (not oneself), the nine values, message, 公開 off', async () => {
    await org.say('X', 'ありがとう');
    const form = card('X')!;
    expect(cardProblems(form)).toEqual([]);
    const text = JSON.stringify(form);
    for (const label of ['目的を言葉に', '抱え込まない', '学び続ける', '誠実に', 'データで改善', '町民志向', '自立志向', 'チーム志向', '改革志向']) {
      expect(text).toContain(label);
    }
    // X's 課 and manager are listed; anyone else (人事 主事 of 総務課, not thanked yet) is found by type-ahead.
    expect(text).toContain('{"title":"建設 課長（建設課）","value":"M"}');
    expect(text).toContain('{"title":"土木 主任（建設課）","value":"L"}');
    expect(text).not.toContain('人事 主事');
    expect(text).toContain('"choices.data":{"type":"Data.Query","dataset":"kudos.people"}');
    expect(text).not.toContain('"value":"X"');
    expect(inputsOf(form)).toMatchObject({ recipients: '', value: '', message: '', public: 'false' });
    expect(submitsOf(form)[0]).toMatchObject({ verb: 'kudos.send', submitId: expect.any(String) });
  });

  it('a manager’s card to their own member is recorded once as プラス評価, even when submitted twice', async () => {
    const submit = { verb: 'kudos.send', submitId: 'card-m-1', recipients: 'X', value: 'team', message: '繁忙期の応援ありがとう', public: 'false' };
    await org.submit('M', submit, 'form-m');
    await org.submit('M', submit, 'form-m');
    await t.app.deliverPending();

    expect(org.chat('X').filter((c) => c.includes('繁忙期の応援ありがとう'))).toHaveLength(1);
    expect(org.chat('M').filter((c) => c.includes('でありがとうを送りました') && c.includes('建設 課長さんが'))).toEqual([]);
    const kudos = (await rows(KUDOS_TABLES.kudos)).filter((r) => r.message === '繁忙期の応援ありがとう');
    expect(kudos).toHaveLength(1);
    const plus = (await rows(KUDOS_TABLES.plus)).filter((r) => r.managerId === 'M');
    expect(plus).toHaveLength(1);
    expect(plus[0]).toMatchObject({ partitionKey: `${t.tenantId}|X`, period: 'FY2026H2', value: 'team' });
    const confirmation = t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === 'form-m');
    expect(JSON.stringify(confirmation.at(-1)?.body)).toContain('プラス評価');
  });

  it('never lets one sender’s card overwrite another’s kudos by reusing its submit id', async () => {
    await org.submit(
      'X',
      { verb: 'kudos.send', submitId: 'card-x-1', recipients: 'L', value: 'sincere', message: '丁寧な引き継ぎ', public: 'false' },
      'form-x',
    );
    // S is L's manager: the copied card would also have written a プラス評価.
    await org.submit('S', { verb: 'kudos.send', submitId: 'card-x-1', recipients: 'L', value: 'team', message: '上書きの試み', public: 'false' }, 'form-s');
    await t.app.deliverPending();

    const kept = (await rows(KUDOS_TABLES.kudos)).filter((r) => r.partitionKey === `${t.tenantId}|L` && String(r.rowKey).endsWith('|card-x-1'));
    expect(kept.map((r) => [r.senderId, r.message])).toEqual([['X', '丁寧な引き継ぎ']]);
    expect((await rows(KUDOS_TABLES.plus)).filter((r) => r.message === '上書きの試み')).toEqual([]);
    expect(org.chat('L').filter((c) => c.includes('上書きの試み'))).toEqual([]);
    expect(org.chat('S').filter((c) => c.includes('古いか壊れています'))).toHaveLength(1);
  });

  it('refuses oneself, unknown and missing recipients and an empty message, quoting or keeping what was typed', async () => {
    await org.say('X', 'ありがとう <at>建築 主事</at> 自分をほめたい', [org.mention('X')]);
    expect(lastText('X')).toContain('自分自身');
    expect(lastText('X')).toContain('自分をほめたい');

    const stranger = { type: 'mention', mentioned: { id: '29:someone-else', name: '外部 花子' }, text: '<at>外部 花子</at>' };
    await org.say('X', 'ありがとう <at>外部 花子</at> 資料の件', [stranger]);
    expect(lastText('X')).toContain('外部 花子');
    expect(lastText('X')).toContain('名簿');
    expect(lastText('X')).toContain('資料の件');

    await org.say('X', 'ありがとう 助かりました');
    expect(lastText('X')).toContain('宛先');
    expect(lastText('X')).toContain('助かりました');

    await org.submit('X', { verb: 'kudos.send', submitId: 'card-x-empty', recipients: 'L', value: 'sincere', message: '   ', public: 'true' }, 'form-x');
    const back = card('X')!;
    expect(inputsOf(back)).toMatchObject({ recipients: 'L', value: 'sincere', public: 'true' });
    expect(JSON.stringify(back)).toContain('メッセージを入力してください');

    await org.submit(
      'X',
      { verb: 'kudos.send', submitId: 'card-x-self', recipients: 'X,L', value: 'sincere', message: 'いつも丁寧', public: 'false' },
      'form-x',
    );
    expect(JSON.stringify(card('X'))).toContain('自分自身');
    expect(inputsOf(card('X'))).toMatchObject({ recipients: 'X,L', message: 'いつも丁寧' });

    await t.app.deliverPending();
    expect(org.chat('L').filter((c) => c.includes('いつも丁寧'))).toEqual([]);
  });

  it('a text kudos without a value comes back as the card, recipients and message filled in', async () => {
    await org.say('H', 'ありがとう <at>総務 課長</at> 決裁を早めてくださって', [org.mention('M2')]);
    const form = card('H')!;
    expect(inputsOf(form)).toMatchObject({ recipients: 'M2', message: '決裁を早めてくださって', value: '' });
    expect(JSON.stringify(form)).toContain('価値観を選んで');
  });

  it('at most KUDOS_DAILY_LIMIT sends a day per sender; the next day is open again', async () => {
    for (const n of [1, 2, 3]) {
      await org.submit('H', { verb: 'kudos.send', submitId: `limit-${n}`, recipients: 'M2', value: 'data', message: `集計${n}`, public: 'false' });
    }
    await org.submit('H', { verb: 'kudos.send', submitId: 'limit-4', recipients: 'M2', value: 'data', message: '集計4', public: 'false' });
    expect(JSON.stringify(card('H'))).toContain('1日3回まで');
    expect(inputsOf(card('H'))).toMatchObject({ message: '集計4' });
    await org.say('H', 'ありがとう <at>総務 課長</at> データで改善の集計5', [org.mention('M2')]);
    expect(lastText('H')).toContain('1日3回まで');
    expect(lastText('H')).toContain('集計5');

    clock.set(jst('2026-11-26T10:00:00'));
    try {
      await org.say('H', 'ありがとう <at>総務 課長</at> データで改善の集計6', [org.mention('M2')]);
      expect(lastText('H')).toContain('ありがとうを送りました');
    } finally {
      clock.set(jst('2026-11-25T10:00:00'));
    }
  });
});
