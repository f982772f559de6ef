import type { Locator } from 'playwright-core';
import { compositeKey } from '../../src/storage/table-keys';
import { PLAYGROUND_TENANT_ID } from './playground-config';
import type { Row } from './store';
import { e2eSuite } from './suite';
import type { TeamsPage } from './teams-page';

/**
 * A 1on1 played end to end in the Agents Playground by a pair of the demo town: the 住民課 課長
 * 工藤 陽菜 (A0001) books it with her member, the 住民グループ 主幹 田中 隆 (A0002), who writes his
 * agenda; once the meeting is over she saves the record and he confirms it. hibi runs on the dev
 * clock: it starts at 07:00 for the booking and the agenda, then is restarted at 08:31, after the
 * 08:00–08:30 meeting, when the scheduler's catch-up sends her the record card. After each flow the
 * pages and Azurite are checked.
 *
 * The dev clock runs at real speed, so each margin the flows rely on is longer than the budgets
 * (waits.ts) that can pass before it ends: a slow machine spends a budget, never the clock. Booking and
 * agenda need it before 08:00 (60 minutes, for the setup and two flows); the scheduler is on only in
 * the flow that tests it, which needs 14 minutes before the check-in's 08:45 jobs; after it hibi runs
 * without a scheduler, so nothing else is ever due.
 */

const TENANT = PLAYGROUND_TENANT_ID;
const DAY = '2026-11-25';
const DAY_LABEL = '2026年11月25日(水)';
const MANAGER = 'A0001';
const MEMBER = 'A0002';
const UNIT = '住民課';
/** The meeting as the card books it and as every card then names it. */
const MEETING = { time: '08:00', pickerTime: '8:00', minutes: 30 };
const WHEN = `${DAY_LABEL} ${MEETING.time}（${MEETING.minutes}分）`;
/** Restarted here, the scheduler finds the meeting over (08:30) and nothing else due yet (the morning check-in opens at 08:45). */
const AFTER_MEETING = `${DAY}T08:31:00+09:00`;
/** When the morning check-in's jobs fall due: the scheduler's catch-up at 08:31 runs none of them. */
const CHECKIN_OPENS = new Date(`${DAY}T08:45:00+09:00`).toISOString();

const AGENDA = {
  topics: '窓口の繁忙期の応援体制について',
  progress: '広域交付の手順書を課内で共有できた',
  worries: '若手の育成に時間が取れていない',
};
const RECORD = {
  good: '手順書の共有が早く、課内の質問が減った',
  expectations: '繁忙期の応援体制を住民グループで先に決める',
  worriesResponse: '育成は主査と分担し、週1回の振り返りを設ける',
  action: '応援体制の案を作る',
  due: '2026-12-04',
  dueLabel: '2026年12月4日(金)',
  next: '年明けに応援体制の結果を振り返る',
};
const COMMENT = '応援体制の案は来週中にお持ちします';

const suite = e2eSuite({
  name: 'oneonone',
  // Scheduler off while booking: the 30-minute reminder and the record card come only after the restart.
  hibi: { devNow: `${DAY}T07:00:00+09:00`, scheduler: false },
  people: { [MANAGER]: [MEMBER], [MEMBER]: [MANAGER] },
});
const { flow, nameOf } = suite;
let manager: TeamsPage;
let member: TeamsPage;
beforeAll(() => {
  manager = suite.page(MANAGER);
  member = suite.page(MEMBER);
});

/** Set by the booking flow: the id hibi gave the meeting, and the cards the later flows act on. */
let meetingId = '';
let agendaCard: Locator;
let recordCard: Locator;

/** oneonones: PK = tenant|manager, RK = member|meeting — the countable facts, no text. */
function meetingRow(): Promise<Row | undefined> {
  return suite.store.entity('oneonones', compositeKey(TENANT, MANAGER), compositeKey(MEMBER, meetingId));
}

/** oneononetexts: PK = tenant|manager|member, RK = meeting|kind — what the pair wrote, and who wrote it. */
async function pairText(kind: 'agenda' | 'record' | 'comment'): Promise<{ authorId: unknown; body: unknown } | undefined> {
  const row = await suite.store.entity('oneononetexts', compositeKey(TENANT, MANAGER, MEMBER), compositeKey(meetingId, kind));
  return row ? { authorId: row.authorId, body: JSON.parse(String(row.body)) as unknown } : undefined;
}

flow('「1on1」: the 課長 sees her members, picks 日程を決める for 田中, books 08:00 on the card; he gets the agenda card', async () => {
  const overview = await manager.send('1on1');
  await manager.waitForCardText(overview, 'メンバーとの1on1（急ぐ順）');
  const rows = await manager.cardTexts(overview);
  // Her members are the group leaders of 住民課; none has had a 1on1, so all are due a month from today.
  expect(rows.slice(0, 5)).toEqual([
    '1on1',
    'メンバーとの1on1（急ぐ順）',
    `主幹 ${nameOf(MEMBER)}`,
    '前回: まだありません ・ 期限: 2026年12月25日(金)',
    '期限内',
  ]);
  expect(await manager.card(overview).getByRole('button', { name: '日程を決める' }).count()).toBe(4);
  await manager.screenshotCard(overview, 'oneonone-overview');

  const before = await manager.bubbleCount();
  // Equally due, the rows are in staff-number order, so 田中's row (checked above) is the first.
  await manager.card(overview).getByRole('button', { name: '日程を決める' }).first().click();
  const form = await manager.newBubbleAfter(before);
  await manager.waitForCardText(form, `主幹 ${nameOf(MEMBER)}さんとの1on1 の日程`);
  await manager.fillDate(form, '日付', DAY);
  await manager.choose(form, '開始時刻', MEETING.pickerTime);
  expect(await manager.input(form, '長さ').inputValue()).toBe(`${MEETING.minutes}分`);
  await manager.screenshotCard(form, 'oneonone-schedule-filled');

  const bubbles = await manager.bubbleCount();
  const memberBefore = await member.bubbleCount();
  await manager.card(form).getByRole('button', { name: '決める' }).click();
  await manager.waitForCardText(form, '✅ 1on1 を予定しました');
  await manager.screenshotCard(form, 'oneonone-scheduled');
  expect(await manager.cardTexts(form)).toEqual([
    '✅ 1on1 を予定しました',
    `主幹 ${nameOf(MEMBER)}さん ${WHEN}`,
    `${nameOf(MEMBER)}さんに日程と議題のカードを送りました。`,
  ]);
  expect(await manager.bubbleCount()).toBe(bubbles);

  const meetings = await suite.store.partition('oneonones', compositeKey(TENANT, MANAGER));
  expect(meetings).toHaveLength(1);
  meetingId = String(meetings[0]?.rowKey).split('|')[1] ?? '';
  expect(meetings[0]).toMatchObject({
    rowKey: compositeKey(MEMBER, meetingId),
    memberId: MEMBER,
    day: DAY,
    time: MEETING.time,
    lengthMinutes: MEETING.minutes,
    status: 'scheduled',
    unit: UNIT,
    memberRole: 'chief',
  });

  agendaCard = await member.newBubbleAfter(memberBefore);
  await member.waitForCardText(agendaCard, '1on1 の準備（議題）');
  expect(await member.cardTexts(agendaCard)).toContain(`課長 ${nameOf(MANAGER)}さんとの1on1 が ${WHEN} に決まりました。`);
  await member.screenshotCard(agendaCard, 'oneonone-agenda-received');
  expect(await suite.store.finishedOutboxRow(DAY, `oneonone.booked|${meetingId}|${DAY}T${MEETING.time}`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0002',
  });
});

flow('agenda: 田中 writes what he wants to talk about before the meeting; the card keeps it and says when it was saved', async () => {
  await member.input(agendaCard, '話したいこと').fill(AGENDA.topics);
  await member.input(agendaCard, 'できたこと・達成度').fill(AGENDA.progress);
  await member.input(agendaCard, '悩み・相談').fill(AGENDA.worries);
  const bubbles = await member.bubbleCount();
  await member.card(agendaCard).getByRole('button', { name: '保存' }).click();
  await member.waitForCardText(agendaCard, '✅ 保存しました（');
  await member.screenshotCard(agendaCard, 'oneonone-agenda-saved');
  // Still a form: he may rewrite it until 08:00.
  expect(await member.input(agendaCard, '話したいこと').inputValue()).toBe(AGENDA.topics);
  expect(await member.input(agendaCard, '悩み・相談').inputValue()).toBe(AGENDA.worries);
  expect(await member.bubbleCount()).toBe(bubbles);

  expect(await pairText('agenda')).toEqual({ authorId: MEMBER, body: AGENDA });
  // The facts HR's figures read hold none of what the pair wrote.
  expect(JSON.stringify(await meetingRow())).not.toContain(AGENDA.worries);
});

flow("after the meeting: hibi restarted at 08:31, the scheduler sends the 課長 the record card with 田中's agenda", async () => {
  const before = await manager.bubbleCount();
  await suite.stack.hibi.stop();
  await suite.stack.hibi.start({ devNow: AFTER_MEETING, scheduler: true });

  recordCard = await manager.newBubbleAfter(before);
  const title = `📝 ${nameOf(MEMBER)}さんとの1on1 の記録（${WHEN}）`;
  await manager.waitForCardText(recordCard, title);
  const shown = await recordCard.innerText();
  for (const text of [`${nameOf(MEMBER)}さんの議題`, AGENDA.topics, AGENDA.progress, AGENDA.worries]) expect(shown).toContain(text);
  await manager.screenshotCard(recordCard, 'oneonone-record-form');

  expect(await suite.store.finishedOutboxRow(DAY, `oneonone.recordprompt|${meetingId}`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0001',
  });
  // The graceful stop waits for the scheduler's tick, so the job runs read next are all there are.
  await suite.stack.hibi.stop();
  // The catch-up ran that job and no other 1on1 or check-in job: the reminder before the meeting had passed, the
  // check-in was not open yet (a run at 08:45 or later is the scheduler's minute tick, on a machine slow enough
  // for the clock to get there). Nightly jobs (KPI rollup, data retention), due since the small hours, run in it too,
  // and so does the marker saying the directory's 1on1 pairs are stored (`oneonone.pairs|…`), which sends nothing.
  const jobs = await suite.store.partition('jobruns', compositeKey(TENANT, DAY));
  const record = compositeKey(`oneonone.record|${meetingId}`);
  expect(jobs.map((job) => job.rowKey)).toContain(record);
  const others = jobs.filter((job) => job.rowKey !== record && /^(oneonone\.(?!pairs\|)|checkin\.)/.test(String(job.rowKey)));
  expect(others.filter((job) => String(job.finishedAt) < CHECKIN_OPENS).map((job) => job.rowKey)).toEqual([]);
  expect(await meetingRow()).toMatchObject({ status: 'scheduled' });
  // The rest needs no scheduler: off, nothing can fall due however long the flows take.
  await suite.stack.hibi.start({ devNow: AFTER_MEETING, scheduler: false });
});

flow('record: the 課長 saves it, the meeting is held, and 田中 receives the record with a 確認しました button', async () => {
  await manager.input(recordCard, '良かった点').fill(RECORD.good);
  await manager.input(recordCard, '期待すること').fill(RECORD.expectations);
  await manager.card(recordCard).getByRole('radio', { name: '4', exact: true }).check();
  await manager.input(recordCard, '悩みへの対応').fill(RECORD.worriesResponse);
  await manager.input(recordCard, 'アクション 1').fill(RECORD.action);
  await manager.choose(recordCard, '担当', '上司');
  await manager.fillDate(recordCard, '期限', RECORD.due);
  await manager.input(recordCard, '次回').fill(RECORD.next);
  await manager.screenshotCard(recordCard, 'oneonone-record-filled');

  const memberBefore = await member.bubbleCount();
  await manager.card(recordCard).getByRole('button', { name: '記録を保存' }).click();
  await manager.waitForText(recordCard, `✅ 記録を保存しました。${nameOf(MEMBER)}さんに届けます。`);
  expect(await manager.card(recordCard).count()).toBe(0);

  const view = await member.newBubbleAfter(memberBefore);
  await member.waitForCardText(view, `課長 ${nameOf(MANAGER)}さんとの1on1 の記録（${WHEN}）`);
  const shown = await view.innerText();
  const actionLine = `・${RECORD.action}（担当: 上司、期限 ${RECORD.dueLabel}）`;
  for (const text of [...Object.values(AGENDA), RECORD.good, RECORD.expectations, RECORD.worriesResponse, actionLine, RECORD.next])
    expect(shown).toContain(text);
  expect(await member.card(view).getByRole('button', { name: '確認しました' }).count()).toBe(1);
  await member.screenshotCard(view, 'oneonone-record-received');

  expect(await meetingRow()).toMatchObject({ status: 'held', heldDay: DAY, confirmedAt: '' });
  expect(await pairText('record')).toEqual({
    authorId: MANAGER,
    body: {
      good: RECORD.good,
      expectations: RECORD.expectations,
      achievement: 4,
      worriesResponse: RECORD.worriesResponse,
      next: RECORD.next,
      actions: [{ text: RECORD.action, owner: 'manager', due: RECORD.due }],
    },
  });
  expect(await suite.store.finishedOutboxRow(DAY, `oneonone.record|${meetingId}`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0002',
  });
});

flow('confirm: 田中 adds a comment and presses 確認しました; his card says so and the 課長 is told', async () => {
  const view = await member.bubbleWithText(`課長 ${nameOf(MANAGER)}さんとの1on1 の記録`);
  await member.input(view, 'コメント').fill(COMMENT);
  const managerBefore = await manager.bubbleCount();
  await member.card(view).getByRole('button', { name: '確認しました' }).click();
  await member.waitForCardText(view, `✔ ${nameOf(MEMBER)}さんが確認しました`);
  await member.screenshotCard(view, 'oneonone-record-confirmed');
  expect(await member.cardTexts(view)).toContain(`コメント: ${COMMENT}`);
  expect(await member.card(view).getByRole('button').count()).toBe(0);

  const notice = await manager.newBubbleAfter(managerBefore);
  const text = await notice.innerText();
  expect(text).toContain(`${nameOf(MEMBER)}さんが1on1（${WHEN}）の記録を確認しました。`);
  expect(text).toContain(`コメント: ${COMMENT}`);

  // Stamped by hibi's clock, which has run on from 08:31 since the restart.
  const confirmedAt = String((await meetingRow())?.confirmedAt);
  expect(await meetingRow()).toMatchObject({ status: 'held' });
  expect(Date.parse(confirmedAt)).toBeGreaterThanOrEqual(Date.parse(AFTER_MEETING));
  expect(Date.parse(confirmedAt)).toBeLessThanOrEqual(suite.stack.hibi.devClock().latest.getTime());
  expect(await pairText('comment')).toEqual({ authorId: MEMBER, body: COMMENT });
  expect(await suite.store.finishedOutboxRow(DAY, `oneonone.confirmed|${meetingId}`)).toMatchObject({
    status: 'sent',
    result: 'Succeeded',
    conversationId: 'personal-chat-a0001',
  });
});

suite.logPanelsClean();
