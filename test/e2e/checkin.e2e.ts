import type { Locator } from 'playwright-core';
import { compositeKey } from '../../src/storage/table-keys';
import { PLAYGROUND_TENANT_ID } from './playground-config';
import type { Row } from './store';
import { e2eSuite } from './suite';
import type { TeamsPage } from './teams-page';

/**
 * hibi's check-in flows played end to end in Microsoft 365 Agents Playground, through headless
 * Chromium, as two people of the demo town: 渡辺 健太 (A0100, 住民課 主事) and the person the
 * escalation table sends his requests for help to, 石川 浩二 (A0004, 主任 of his group). After each
 * flow both the page and Azurite are checked.
 *
 * hibi's dev clock runs at real speed, so no flow may need it to stay before a time: the scheduler is
 * on only in the flow that tests it (which needs 25 minutes before the 09:15 reminder, more than a
 * flow's budget in waits.ts), and the morning window (until 11:00) outlasts every flow after it.
 */

const TENANT = PLAYGROUND_TENANT_ID;
/** A Wednesday and an office day; 08:50 is inside the default morning window (08:45–11:00). */
const DAY = '2026-11-25';
const DEV_NOW = `${DAY}T08:50:00+09:00`;
const DAY_LABEL = '2026年11月25日(水)';
const REPORTER = 'A0100';
/** staff → the nearest 主任 up their own line (policy table in src/directory/escalation.ts). */
const HELPER = 'A0004';
/** The reporter's direct manager (主幹), who gets the request too. */
const MANAGER = 'A0002';
const UNIT = '住民課';
const MORNING_TITLE = 'おはようございます — 朝のチェックイン';

const suite = e2eSuite({
  name: 'checkin',
  // Scheduler off until the people have opened their chats: hibi can only reach someone whose
  // conversation it has stored, and the prompt flow restarts hibi with it on.
  hibi: { devNow: DEV_NOW, scheduler: false },
  people: { [REPORTER]: ['A0001', MANAGER, HELPER], [HELPER]: [REPORTER, 'A0001', MANAGER] },
});
const { flow, nameOf } = suite;
/** The page of 渡辺 健太 (reporter) and of 石川 浩二 (escalation target). */
let reporter: TeamsPage;
let helper: TeamsPage;
beforeAll(() => {
  reporter = suite.page(REPORTER);
  helper = suite.page(HELPER);
});

function entity(table: string, partitionKey: string, rowKey: string): Promise<Row | undefined> {
  return suite.store.entity(table, partitionKey, rowKey);
}

function checkinRow(slot: 'morning' | 'evening', personId: string): Promise<Row | undefined> {
  return entity('checkins', compositeKey(TENANT, UNIT, DAY), compositeKey(slot, personId));
}

function answersOf(row: Row | undefined): Record<string, unknown> {
  return typeof row?.answers === 'string' ? (JSON.parse(row.answers) as Record<string, unknown>) : {};
}

/** The outbox row once the worker has finished it (sent, failed or unreachable). */
function finishedOutboxRow(key: string): Promise<Row | undefined> {
  return suite.store.finishedOutboxRow(DAY, key);
}

flow('ヘルプ: the help card in Japanese, and hibi keeps each chat to reach the person later', async () => {
  const language = await reporter.send('言語 日本語');
  expect((await language.innerText()).trim()).toBe('表示言語を日本語にしました。');
  expect(await entity('preferences', TENANT, REPORTER)).toMatchObject({ locale: 'ja' });

  const help = await reporter.send('ヘルプ');
  await reporter.waitForCardText(help, 'hibi の使い方');
  const texts = await reporter.cardTexts(help);
  expect(texts[0]).toBe('hibi の使い方');
  // The intro lists the features, which keep growing; that it greets him by name is what matters here.
  expect(texts.some((t) => t.startsWith(`${nameOf(REPORTER)}さん、hibi は`))).toBe(true);
  for (const command of ['ヘルプ', 'チェックイン', 'ふりかえり', '休暇 11/26', '言語 English']) expect(texts).toContain(command);
  await reporter.screenshotCard(help, 'help');

  for (const [id, page] of [
    [REPORTER, reporter],
    [HELPER, helper],
  ] as const) {
    const reference = await entity('conversations', TENANT, compositeKey('person', id));
    expect(reference).toMatchObject({
      serviceUrl: `${suite.stack.playgrounds.get(id)?.url}/_connector`,
      conversationId: `personal-chat-${id.toLowerCase()}`,
      conversationType: 'personal',
    });
    // Scheduler off so far: no prompt yet, so the next flow's prompt is the scheduler's doing.
    expect(page.cardsReceived().some((card) => JSON.stringify(card).includes(MORNING_TITLE))).toBe(false);
  }
});

flow('scheduled prompt: hibi started inside the morning window sends the check-in card to the chat', async () => {
  const before = { reporter: await reporter.bubbleCount(), helper: await helper.bubbleCount() };
  const started = Date.now();
  await suite.stack.hibi.stop();
  // The scheduler's tick at start is its catch-up after a restart: 08:50 is past 08:45, so the
  // unit's morning prompt is due now.
  await suite.stack.hibi.start({ devNow: DEV_NOW, scheduler: true });

  for (const [id, page, count] of [
    [REPORTER, reporter, before.reporter],
    [HELPER, helper, before.helper],
  ] as const) {
    await page.newBubbleAfter(count);
    // By its title, not position: another scheduled job due at 08:50 may add a bubble of its own.
    const prompt = page.bubbles().filter({ hasText: MORNING_TITLE }).first();
    await page.waitForCardText(prompt, MORNING_TITLE);
    expect(await page.cardTexts(prompt)).toEqual(expect.arrayContaining([DAY_LABEL]));
    expect(await page.input(prompt, '今日の最優先').inputValue()).toBe('');
    await page.screenshotCard(prompt, 'scheduled-morning-prompt');
    const card = page.cardsReceived().find((c) => JSON.stringify(c).includes(MORNING_TITLE));
    expect(card?.actions).toEqual([expect.objectContaining({ type: 'Action.Submit', data: { verb: 'checkin.submit', slot: 'morning', day: DAY } })]);
    expect(await finishedOutboxRow(`checkin.prompt|morning|${id}`)).toMatchObject({
      status: 'sent',
      result: 'Succeeded',
      conversationId: `personal-chat-${id.toLowerCase()}`,
    });
  }
  console.log(`scheduled prompt shown ${Date.now() - started} ms after hibi was restarted`);
  // The graceful stop waits for the scheduler's tick, so the job runs read next are all there are.
  await suite.stack.hibi.stop();
  expect(await entity('jobruns', compositeKey(TENANT, DAY), compositeKey(`checkin.prompt|morning|${UNIT}`))).toBeDefined();
  // Nothing else was due at 08:50: the reminder (09:15) and the summary (11:00) wait for their time.
  for (const [job, due] of [
    ['reminder', '09:15'],
    ['summary', '11:00'],
  ] as const) {
    const run = await entity('jobruns', compositeKey(TENANT, DAY), compositeKey(`checkin.${job}|morning|${UNIT}`));
    expect({ job, ranBefore: run !== undefined && String(run.finishedAt) < new Date(`${DAY}T${due}:00+09:00`).toISOString() }).toEqual({
      job,
      ranBefore: false,
    });
  }
  // The rest of the story needs no scheduler: off, no later job can add a bubble however long the flows take.
  await suite.stack.hibi.start({ devNow: DEV_NOW, scheduler: false });
});

/** The request as it arrived in 石川's chat; by position, so his reply bubble after it does not move it. */
let helpRequest: Locator;

flow('morning check-in: 「チェックイン」, answers with 助けが必要, the card becomes the saved summary', async () => {
  const morningCard = await reporter.send('チェックイン');
  await reporter.waitForCardText(morningCard, MORNING_TITLE);
  await reporter.input(morningCard, '今日の最優先').fill('住民票の広域交付の手順書を仕上げる');
  await reporter.input(morningCard, 'なぜやるか').fill('窓口の待ち時間を減らすため');
  await reporter.input(morningCard, '困りごと').fill('戸籍の附票の写しの扱いで判断に迷っています');
  await reporter.card(morningCard).getByRole('checkbox', { name: '助けが必要' }).check();
  await reporter.card(morningCard).getByRole('radio', { name: '4', exact: true }).check();
  await reporter.screenshotCard(morningCard, 'morning-form-filled');

  const bubbles = await reporter.bubbleCount();
  const helperBefore = await helper.bubbleCount();
  await reporter.card(morningCard).getByRole('button', { name: '送信' }).click();
  await reporter.waitForCardText(morningCard, '✅ 朝のチェックインを記録しました');
  await reporter.screenshotCard(morningCard, 'morning-saved');

  // Replaced in place: no new bubble, and no inputs left to send twice.
  expect(await reporter.bubbleCount()).toBe(bubbles);
  expect(await reporter.card(morningCard).locator('input, textarea').count()).toBe(0);
  const shown = await morningCard.innerText();
  for (const text of [
    DAY_LABEL,
    '住民票の広域交付の手順書を仕上げる',
    '窓口の待ち時間を減らすため',
    '戸籍の附票の写しの扱いで判断に迷っています',
    '助けが必要',
    'はい',
    '体調',
  ]) {
    expect(shown).toContain(text);
  }
  expect(shown).toContain(`助けの依頼を 主任 ${nameOf(HELPER)}、主幹 ${nameOf(MANAGER)} に送りました。`);

  const row = await checkinRow('morning', REPORTER);
  expect(row).toMatchObject({ personId: REPORTER, slot: 'morning', helpTakenBy: '' });
  expect(answersOf(row)).toEqual({
    priority: '住民票の広域交付の手順書を仕上げる',
    purpose: '窓口の待ち時間を減らすため',
    trouble: '戸籍の附票の写しの扱いで判断に迷っています',
    needHelp: true,
    condition: 4,
  });
  expect(await finishedOutboxRow(`checkin.help|${DAY}|${REPORTER}|${HELPER}`)).toMatchObject({ status: 'sent', result: 'Succeeded' });
  // The 主幹 never opened hibi in this run, so hibi has no chat with him; the row says so.
  expect(await finishedOutboxRow(`checkin.help|${DAY}|${REPORTER}|${MANAGER}`)).toMatchObject({ result: 'RecipientNotFound' });

  // The request itself is the next flow's; here only that it reached the helper's chat.
  helpRequest = await helper.newBubbleAfter(helperBefore);
  await helper.waitForCardText(helpRequest, '🆘 助けが必要です');
});

flow('escalation target: 石川 presses 対応します, his card says so and 渡辺 is told', async () => {
  const request = helpRequest;
  expect(await helper.cardTexts(request)).toContain(`${UNIT} 住民グループ 主事 ${nameOf(REPORTER)}さん（${DAY_LABEL}）`);
  const shown = await request.innerText();
  expect(shown).toContain('住民票の広域交付の手順書を仕上げる');
  expect(shown).toContain('戸籍の附票の写しの扱いで判断に迷っています');
  await helper.screenshotCard(request, 'help-request');

  const helperBefore = await helper.bubbleCount();
  const reporterBefore = await reporter.bubbleCount();
  await helper.card(request).getByRole('button', { name: '対応します' }).click();
  await helper.waitForCardText(request, `✔ ${nameOf(HELPER)}さんが対応します`);
  expect(await helper.card(request).getByRole('button', { name: '対応します' }).count()).toBe(0);
  await helper.screenshotCard(request, 'help-request-taken');
  const reply = await helper.newBubbleAfter(helperBefore);
  expect((await reply.innerText()).trim()).toBe(`対応をお願いします。${nameOf(REPORTER)}さんに伝えました。`);

  const notice = await reporter.newBubbleAfter(reporterBefore);
  expect((await notice.innerText()).trim()).toBe(`${nameOf(HELPER)}さんがあなたの困りごとに対応します。`);

  expect(await checkinRow('morning', REPORTER)).toMatchObject({ helpTakenBy: HELPER });
  expect(await finishedOutboxRow(`checkin.help.taken|${DAY}|${REPORTER}`)).toMatchObject({ status: 'sent', result: 'Succeeded' });
});

flow('evening check-in: 時間外 700 is refused on the card with the answers kept, then 18:30 is saved', async () => {
  const evening = await reporter.send('ふりかえり');
  await reporter.waitForCardText(evening, 'おつかれさまです — 夕方のふりかえり');
  const typed = {
    できたこと: '広域交付の手順書を課内レビューに回した',
    持ち越し: '附票の扱いを石川さんと確認する',
    今日の学び: '迷ったら早めに聞く',
  };
  for (const [label, text] of Object.entries(typed)) await reporter.input(evening, label).fill(text);
  await reporter.input(evening, '時間外').fill('700');
  await reporter.card(evening).getByRole('radio', { name: '4', exact: true }).check();
  await reporter.screenshotCard(evening, 'evening-form-filled');

  const bubbles = await reporter.bubbleCount();
  await reporter.card(evening).getByRole('button', { name: '送信' }).click();
  await reporter.waitForCardText(evening, '入力内容を確認してください。入力した内容はそのまま残っています。');
  await reporter.screenshotCard(evening, 'evening-error');
  expect(await reporter.cardTexts(evening)).toContain('0〜600 の分数、または 17:15〜 の退庁時刻（例 18:30）で入力してください');
  expect(await reporter.input(evening, '時間外').inputValue()).toBe('700');
  for (const [label, text] of Object.entries(typed)) expect(await reporter.input(evening, label).inputValue()).toBe(text);
  expect(await reporter.card(evening).getByRole('radio', { name: '4', exact: true }).isChecked()).toBe(true);
  expect(await reporter.bubbleCount()).toBe(bubbles);
  expect(await checkinRow('evening', REPORTER)).toBeUndefined();

  await reporter.input(evening, '時間外').fill('18:30');
  await reporter.card(evening).getByRole('button', { name: '送信' }).click();
  await reporter.waitForCardText(evening, '✅ 夕方のふりかえりを記録しました');
  await reporter.screenshotCard(evening, 'evening-saved');
  const shown = await evening.innerText();
  for (const text of [DAY_LABEL, ...Object.values(typed), '75分']) expect(shown).toContain(text);
  expect(await reporter.bubbleCount()).toBe(bubbles);

  expect(answersOf(await checkinRow('evening', REPORTER))).toEqual({
    done: typed.できたこと,
    carryOver: typed.持ち越し,
    overtime: 75,
    satisfaction: 4,
    learning: typed.今日の学び,
  });
});

suite.logPanelsClean();
