import type { Locator } from 'playwright-core';
import { compositeKey } from '../../src/storage/table-keys';
import { PLAYGROUND_TENANT_ID } from './playground-config';
import { writtenSince, type Row } from './store';
import { e2eSuite } from './suite';
import type { TeamsPage } from './teams-page';

/**
 * ヒヤリハット played end to end in the Agents Playground as three people of the demo town's 住民課:
 * 渡辺 健太 (A0100, 主事) reports twice, once named and once anonymously; the named report goes
 * where the escalation table sends him (主任 石川 浩二 A0004), the anonymous one only to the 課長
 * 工藤 陽菜 (A0001), and each of them acknowledges the report they received. After each flow
 * the pages and Azurite are checked, and for the anonymous report that nothing hibi wrote or
 * logged leads back to 渡辺.
 */

const TENANT = PLAYGROUND_TENANT_ID;
const DAY = '2026-11-25';
const DAY_LABEL = '2026年11月25日(水)';
/** An afternoon office hour, with the scheduler off: nothing is due whatever the clock reaches. */
const DEV_NOW = `${DAY}T16:05:00+09:00`;
const FISCAL_YEAR = '2026';
const REPORTER = 'A0100';
/** staff → the nearest 主任 up their own line (the escalation table); 影響度 2 adds nobody. */
const LEAD = 'A0004';
/** The 課長 of 住民課: the only recipient of an anonymous report below 影響度 4. */
const UNIT_HEAD = 'A0001';
const UNIT = '住民課';

const NAMED = {
  id: `NM-${FISCAL_YEAR}-0001`,
  time: '15:30',
  what: '転出証明書の交付で、同姓同名の別の方の住所を印字しかけた',
  consequence: '別人の個人情報を渡してしまうところだった',
  idea: '交付前に生年月日も読み上げて確認する',
};
const ANONYMOUS = {
  id: `NM-${FISCAL_YEAR}-0002`,
  time: '14:30',
  what: '公印を押した書類を決裁前の箱に戻してしまっていた',
};

const suite = e2eSuite({
  name: 'nearmiss',
  hibi: { devNow: DEV_NOW, scheduler: false },
  people: { [REPORTER]: [LEAD, UNIT_HEAD], [LEAD]: [REPORTER, UNIT_HEAD], [UNIT_HEAD]: [REPORTER, LEAD] },
});
const { flow, nameOf } = suite;
let reporter: TeamsPage;
let lead: TeamsPage;
let unitHead: TeamsPage;
beforeAll(() => {
  reporter = suite.page(REPORTER);
  lead = suite.page(LEAD);
  unitHead = suite.page(UNIT_HEAD);
});

/** nearmisses: PK = tenant|fiscal year, RK = the year's sequence number in 5 digits. */
function reportRow(id: string): Promise<Row | undefined> {
  return suite.store.entity('nearmisses', compositeKey(TENANT, FISCAL_YEAR), id.slice(-4).padStart(5, '0'));
}

/** Opens the report card with 「ヒヤリハット」 and fills what both reports share. */
async function openForm(time: string): Promise<Locator> {
  const form = await reporter.send('ヒヤリハット');
  await reporter.waitForCardText(form, '⚠ ヒヤリハットを報告');
  // Today and the current minute are filled in; the near-miss happened earlier in the afternoon.
  expect(await reporter.input(form, '発生日').inputValue()).toBe('2026年11月25日');
  await reporter.choose(form, '発生時刻', time);
  return form;
}

/** The report as it arrived in a recipient's chat, once it shows its number. */
async function arrivedView(page: TeamsPage, before: number, id: string): Promise<Locator> {
  const view = await page.newBubbleAfter(before);
  await page.waitForCardText(view, `⚠ ヒヤリハット ${id}`);
  return view;
}

flow('named report: 渡辺 fills the card, it is filed as NM-2026-0001 and reaches 主任 石川', async () => {
  const form = await openForm(NAMED.time);
  await reporter.screenshotCard(form, 'nearmiss-form');
  await reporter.choose(form, '業務区分', '窓口対応');
  await reporter.input(form, '何が起きたか').fill(NAMED.what);
  await reporter.input(form, '起きていたらどうなったか').fill(NAMED.consequence);
  await reporter.card(form).getByRole('radio', { name: '2 中程度', exact: true }).check();
  await reporter.choose(form, '原因', '確認不足');
  await reporter.input(form, '対策案').fill(NAMED.idea);
  await reporter.screenshotCard(form, 'nearmiss-named-filled');

  const bubbles = await reporter.bubbleCount();
  const leadBefore = await lead.bubbleCount();
  await reporter.card(form).getByRole('button', { name: '報告する' }).click();
  await reporter.waitForCardText(form, `受付番号 ${NAMED.id}`);
  await reporter.screenshotCard(form, 'nearmiss-named-thanks');
  expect(await reporter.cardTexts(form)).toEqual([
    '報告ありがとうございます。同じことを防ぐ力になります。',
    `受付番号 ${NAMED.id}`,
    `主任 ${nameOf(LEAD)} に届けました。対応が進むとお知らせします。`,
  ]);
  // Replaced in place: no second report from the same card.
  expect(await reporter.bubbleCount()).toBe(bubbles);
  expect(await reporter.card(form).locator('input, textarea').count()).toBe(0);

  expect(await reportRow(NAMED.id)).toMatchObject({
    day: DAY,
    unit: UNIT,
    anonymous: false,
    reporterId: REPORTER,
    occurredAt: new Date(`${DAY}T${NAMED.time}:00+09:00`).toISOString(),
    category: 'counter',
    impact: 2,
    what: NAMED.what,
    consequence: NAMED.consequence,
    cause: 'check',
    idea: NAMED.idea,
    recipientIds: JSON.stringify([LEAD]),
    status: 'received',
  });
  const view = await arrivedView(lead, leadBefore, NAMED.id);
  expect(await lead.cardTexts(view)).toEqual(expect.arrayContaining([`${UNIT} 住民グループ 主事 ${nameOf(REPORTER)}さん`, '状態: 受付']));
  const shown = await view.innerText();
  for (const text of [`${DAY_LABEL} ${NAMED.time}`, '窓口対応', '2 中程度', NAMED.what, NAMED.consequence, '確認不足', NAMED.idea])
    expect(shown).toContain(text);
  expect(await lead.card(view).getByRole('button', { name: '確認しました' }).count()).toBe(1);
  await lead.screenshotCard(view, 'nearmiss-named-received');
  expect(await suite.store.finishedOutboxRow(DAY, `nearmiss.report|${NAMED.id}|${LEAD}`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0004',
  });
});

flow('named report: 石川 presses 確認しました, his card shows 確認済 without the button, and 渡辺 is told', async () => {
  const view = await lead.bubbleWithText(`⚠ ヒヤリハット ${NAMED.id}`);
  const leadBefore = await lead.bubbleCount();
  const reporterBefore = await reporter.bubbleCount();
  await lead.card(view).getByRole('button', { name: '確認しました' }).click();
  await lead.waitForCardText(view, `確認: ${nameOf(LEAD)}さん`);
  await lead.screenshotCard(view, 'nearmiss-named-acknowledged');
  // The status line joins its steps with an ideographic space.
  expect(await lead.cardTexts(view)).toContain(`状態: 確認済\u3000確認: ${nameOf(LEAD)}さん`);
  expect(await lead.card(view).getByRole('button', { name: '確認しました' }).count()).toBe(0);
  // The next step, deciding a countermeasure, stays open to him.
  expect(await lead.card(view).getByRole('button', { name: '対策を決める' }).count()).toBe(1);
  expect(await lead.bubbleCount()).toBe(leadBefore);

  const notice = await reporter.newBubbleAfter(reporterBefore);
  expect((await notice.innerText()).trim()).toBe(`あなたのヒヤリハット ${NAMED.id} を ${nameOf(LEAD)}さんが確認しました。`);
  expect(await reportRow(NAMED.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: LEAD, reporterId: REPORTER });
  expect(await suite.store.finishedOutboxRow(DAY, `nearmiss.step|${NAMED.id}|acknowledged`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0100',
  });
});

flow('anonymous report: only the 課長 receives it, acknowledges it, and nothing hibi wrote or logged carries 渡辺', async () => {
  const form = await openForm(ANONYMOUS.time);
  // From here on hibi must not link anything to 渡辺: every row written and every log line is checked.
  const before = await suite.store.snapshot();
  const logStart = suite.stack.hibi.logged.length;
  await reporter.choose(form, '業務区分', '文書・公印');
  await reporter.input(form, '何が起きたか').fill(ANONYMOUS.what);
  await reporter.card(form).getByRole('radio', { name: '3 重大', exact: true }).check();
  await reporter.card(form).getByRole('checkbox', { name: '匿名で報告する' }).check();
  await reporter.screenshotCard(form, 'nearmiss-anonymous-filled');

  const headBefore = await unitHead.bubbleCount();
  await reporter.card(form).getByRole('button', { name: '報告する' }).click();
  await reporter.waitForCardText(form, `受付番号 ${ANONYMOUS.id}`);
  await reporter.screenshotCard(form, 'nearmiss-anonymous-thanks');
  expect(await reporter.cardTexts(form)).toContain('匿名で所属の課長に届けました。あなたの名前・職員番号・会話は記録していません。');

  const view = await arrivedView(unitHead, headBefore, ANONYMOUS.id);
  const texts = await unitHead.cardTexts(view);
  expect(texts).toEqual(
    expect.arrayContaining([`匿名の報告（${UNIT}）`, '状態: 受付', '匿名の報告です。報告者を特定できる情報は記録していません。探さないでください。']),
  );
  expect(await view.innerText()).not.toContain(nameOf(REPORTER));
  await unitHead.screenshotCard(view, 'nearmiss-anonymous-received');
  await unitHead.card(view).getByRole('button', { name: '確認しました' }).click();
  await unitHead.waitForCardText(view, `確認: ${nameOf(UNIT_HEAD)}さん`);
  expect(await unitHead.card(view).getByRole('button', { name: '確認しました' }).count()).toBe(0);
  await unitHead.screenshotCard(view, 'nearmiss-anonymous-acknowledged');

  // Times cut to the hour, for both when it happened and when it was filed; the 課長 alone received it.
  const report = await reportRow(ANONYMOUS.id);
  expect(report).toMatchObject({
    anonymous: true,
    reporterId: '',
    unit: UNIT,
    occurredAt: `${DAY}T14:00:00.000+09:00`,
    category: 'documents',
    impact: 3,
    what: ANONYMOUS.what,
    recipientIds: JSON.stringify([UNIT_HEAD]),
    status: 'acknowledged',
    acknowledgedBy: UNIT_HEAD,
  });
  // Filed at the hour hibi's clock was in when the report came (16:00 unless the run took long enough to pass 17:00).
  const clock = suite.stack.hibi.devClock();
  expect(report?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000\+09:00$/);
  expect(Date.parse(String(report?.createdAt))).toBeGreaterThanOrEqual(Date.parse(`${DAY}T16:00:00+09:00`));
  expect(Date.parse(String(report?.createdAt))).toBeLessThanOrEqual(clock.latest.getTime());
  expect(await suite.store.finishedOutboxRow(DAY, `nearmiss.report|${ANONYMOUS.id}|${UNIT_HEAD}`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0001',
  });
  // Nobody to tell: there is no reporter to send the 確認 notice to.
  expect(await suite.store.outboxRow(DAY, `nearmiss.step|${ANONYMOUS.id}|acknowledged`)).toBeUndefined();

  const written = writtenSince(before, await suite.store.snapshot());
  // Through a pipe, hibi's log arrives a little after it was written: read once the report's send is in it.
  const logged = (await suite.stack.hibi.loggedOnce(new RegExp(`nearmiss\\.report\\|${ANONYMOUS.id}\\|${UNIT_HEAD}.*outbox row sent`), logStart)).split('\n');
  // The scan sees what this flow did: the report, its card in the outbox, the submit in the log.
  expect(written.some((row) => row.startsWith('nearmisses/') && row.includes(ANONYMOUS.what))).toBe(true);
  expect(written.some((row) => row.startsWith('outbox/'))).toBe(true);
  expect(logged.some((line) => line.includes('"kind":"submit"'))).toBe(true);
  const person = suite.stack.directory.people.find((p) => p.id === REPORTER);
  const needles = [REPORTER, nameOf(REPORTER), person?.aadObjectId ?? '', person?.email ?? '', `personal-chat-${REPORTER.toLowerCase()}`].filter(Boolean);
  expect(needles).toHaveLength(5);
  // The scan can see them: before this report the store held each (directory, his chat, his named report).
  const stored = [...before.values()].map((row) => row.json).join('\n');
  for (const needle of needles) expect(stored).toContain(needle);
  for (const needle of needles) {
    expect(written.filter((row) => row.includes(needle))).toEqual([]);
    expect(logged.filter((line) => line.includes(needle))).toEqual([]);
  }
});

suite.logPanelsClean();
