import { compositeKey } from '../../src/storage/table-keys';
import { groupChatName, PLAYGROUND_TENANT_ID } from './playground-config';
import { e2eSuite } from './suite';
import type { TeamsPage } from './teams-page';

/**
 * ありがとう played end to end in the Agents Playground as three people of the demo town's 住民グループ:
 * 渡辺 健太 (A0100, 主事) thanks 石川 浩二 (A0004, 主任) with an @mention, the way the help card
 * teaches; then 石川's own 主幹 田中 隆 (A0002) thanks him through the ありがとう card, which makes it a
 * プラス評価. After each flow the pages and Azurite are checked.
 */

const TENANT = PLAYGROUND_TENANT_ID;
const DAY = '2026-11-25';
const SENDER = 'A0100';
const RECIPIENT = 'A0004';
/** 石川's direct manager (主幹): told of a thanks to his member, and able to give a プラス評価 himself. */
const MANAGER = 'A0002';
const UNIT = '住民課';
/** Names the value 抱え込まない in its words, so the typed thanks is sent without a card. */
const MENTION_MESSAGE = '窓口が混んだとき抱え込まないで声をかけてくれて助かりました';
const CARD_MESSAGE = '税務グループとの調整を引き受けてくれてありがとう';
const WELCOME = 'hibi をインストールしていただきありがとうございます';

const suite = e2eSuite({
  name: 'kudos',
  hibi: { devNow: `${DAY}T10:00:00+09:00`, scheduler: false },
  // The sender's Playground lists 石川 first: the group chat's @ picker offers the listed users.
  people: { [SENDER]: [RECIPIENT, MANAGER, 'A0001'], [RECIPIENT]: [SENDER, MANAGER, 'A0001'], [MANAGER]: [RECIPIENT, SENDER, 'A0001'] },
});
const { flow, nameOf } = suite;
let sender: TeamsPage;
let recipient: TeamsPage;
let manager: TeamsPage;
beforeAll(() => {
  sender = suite.page(SENDER);
  recipient = suite.page(RECIPIENT);
  manager = suite.page(MANAGER);
});

flow('ありがとう @石川 浩二 …: typed with mentions in a group chat, it reaches 石川 in his own chat and his manager is told', async () => {
  // In a group chat Teams (and the Playground) hand hibi only messages that @mention it.
  await sender.openChat(groupChatName(SENDER));
  await sender.waitForText(await sender.newBubbleAfter(0), WELCOME);
  const before = { recipient: await recipient.bubbleCount(), manager: await manager.bubbleCount() };

  const reply = await sender.sendWithMentions([{ mention: 'hibi' }, ' ありがとう ', { mention: nameOf(RECIPIENT) }, ` ${MENTION_MESSAGE}`]);
  expect((await reply.innerText()).trim()).toBe(`${nameOf(RECIPIENT)}さんに「抱え込まない」でありがとうを送りました。`);
  // The Playground sent real mentions (not "@" typed as text), and hibi asked it who the mentioned member is.
  // The panel logs the message when hibi's answer to it returns, which is after the reply is on the page.
  await sender.waitForLog(`message 200 <at>hibi</at> ありがとう <at>${nameOf(RECIPIENT)}</at> ${MENTION_MESSAGE}`);
  expect(await sender.logPanelText()).toContain('getConversationMember 200');

  const received = await recipient.newBubbleAfter(before.recipient);
  await recipient.waitForCardText(received, 'ありがとうが届きました');
  expect(await recipient.cardTexts(received)).toEqual(['ありがとうが届きました', `${nameOf(SENDER)}さんから`, '「抱え込まない」', MENTION_MESSAGE]);
  await recipient.screenshotCard(received, 'kudos-received-mention');
  const note = await manager.newBubbleAfter(before.manager);
  expect((await note.innerText()).trim()).toBe(`${nameOf(SENDER)}さんが${nameOf(RECIPIENT)}さんに「抱え込まない」でありがとうを送りました。`);

  const rows = await suite.store.partition('kudos', compositeKey(TENANT, RECIPIENT));
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ senderId: SENDER, value: 'share', message: MENTION_MESSAGE, public: false, unit: UNIT });
  const [day, submitId = ''] = String(rows[0]?.rowKey).split('|');
  expect(day).toBe(DAY);
  // The send's idempotency mark and its place in the sender's daily count.
  const sent = await suite.store.partition('kudossent', compositeKey(TENANT, SENDER));
  expect(sent.map((r) => r.rowKey).sort()).toEqual([compositeKey('d', DAY, submitId), compositeKey('id', submitId)]);
  expect(sent[0]).toMatchObject({ recipients: JSON.stringify([RECIPIENT]), value: 'share' });
  // A 主事 is not 石川's manager: no プラス評価.
  expect(await suite.store.partition('plusevals', compositeKey(TENANT, RECIPIENT))).toEqual([]);
  expect(await suite.store.finishedOutboxRow(DAY, `kudos.received|${submitId}|${RECIPIENT}`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0004',
  });
  expect(await suite.store.finishedOutboxRow(DAY, `kudos.manager|${submitId}|${MANAGER}`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0002',
  });
});

flow('ありがとう card: 田中 picks 石川 and チーム志向 on the card; it becomes the sent summary and a プラス評価', async () => {
  const form = await manager.send('ありがとう');
  await manager.waitForCardText(form, 'ありがとうを送る');
  await manager.screenshotCard(form, 'kudos-form');
  await manager.chooseMany(form, '宛先', '石川', [`${nameOf(RECIPIENT)}（${UNIT}）`]);
  await manager.choose(form, '価値観', 'チーム志向');
  await manager.input(form, 'メッセージ').fill(CARD_MESSAGE);
  await manager.screenshotCard(form, 'kudos-form-filled');

  const bubbles = await manager.bubbleCount();
  const recipientBefore = await recipient.bubbleCount();
  await manager.card(form).getByRole('button', { name: '送る' }).click();
  const title = `${nameOf(RECIPIENT)}さんに「チーム志向」でありがとうを送りました。`;
  await manager.waitForCardText(form, title);
  await manager.screenshotCard(form, 'kudos-sent');
  // Replaced in place: the same card cannot be sent twice.
  expect(await manager.bubbleCount()).toBe(bubbles);
  expect(await manager.card(form).getByRole('button').count()).toBe(0);
  const shown = await form.innerText();
  for (const text of [title, nameOf(RECIPIENT), 'チーム志向', CARD_MESSAGE, `${nameOf(RECIPIENT)}さんへのプラス評価として記録しました（令和8年度 下期）。`])
    expect(shown).toContain(text);

  const received = await recipient.newBubbleAfter(recipientBefore);
  await recipient.waitForCardText(received, 'ありがとうが届きました');
  expect(await recipient.cardTexts(received)).toEqual(['ありがとうが届きました', `${nameOf(MANAGER)}さんから`, '「チーム志向」', CARD_MESSAGE]);
  await recipient.screenshotCard(received, 'kudos-received-card');

  const rows = await suite.store.partition('kudos', compositeKey(TENANT, RECIPIENT));
  const fromManager = rows.filter((r) => r.senderId === MANAGER);
  expect(fromManager).toHaveLength(1);
  expect(fromManager[0]).toMatchObject({ value: 'team', message: CARD_MESSAGE, public: false, unit: UNIT });
  const submitId = String(fromManager[0]?.rowKey).split('|')[1] ?? '';
  const plus = await suite.store.partition('plusevals', compositeKey(TENANT, RECIPIENT));
  expect(plus).toHaveLength(1);
  expect(plus[0]).toMatchObject({ managerId: MANAGER, value: 'team', message: CARD_MESSAGE });
  expect(plus[0]?.rowKey).toBe(compositeKey(String(plus[0]?.period), DAY, submitId));
  expect(await suite.store.finishedOutboxRow(DAY, `kudos.received|${submitId}|${RECIPIENT}`)).toMatchObject({ status: 'sent', result: 'Succeeded' });
  // 田中 is 石川's manager himself: no note to him about his own thanks.
  expect(await suite.store.outboxRow(DAY, `kudos.manager|${submitId}|${MANAGER}`)).toBeUndefined();
});

suite.logPanelsClean();
