import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { cardProblems } from '../helpers/card-validation';
import { inputsOf, lastCard, loadOneOnOneOrg, submitsOf, type OneOnOneOrg } from '../helpers/oneonone-org';
import { logCapture } from '../helpers/storage-snapshot';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);
type Submit = Record<string, unknown>;

describe('記録する at any time, overdue actions on the morning prompt, and 完了 (through /api/messages)', () => {
  // Friday 2026-11-20. The 1on1 of 課長 M and 主幹 C is on Tuesday 11-24 at 14:00 (Monday 11-23 is a holiday).
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;
  let meetingId = '';
  let fromReminder: Submit = {};
  /** The 完了 buttons on the owners' prompts: the member's action on C's, the manager's on M's. */
  let membersDone: Submit = {};
  let managersDone: Submit = {};
  const { sink, lines: logLines } = logCapture();

  const record = {
    verb: 'oneonone.record.save',
    managerId: 'M',
    memberId: 'C',
    good: '点検計画を前倒しで進めた',
    achievement: '4',
    action1Text: '確認申請の手順書を作る',
    action1Owner: 'member',
    action1Due: '2026-11-26',
    action2Text: '研修の予算を確保する',
    action2Owner: 'manager',
    action2Due: '2026-11-26',
    action3Text: '現場見学の日程を決める',
    action3Owner: 'member',
    action3Due: '2026-12-10',
  };

  async function storedRecord(): Promise<{ actions: { text: string; doneAt?: string; doneBy?: string }[] }> {
    const filter = `PartitionKey eq '${t.tenantId}|M|C' and RowKey eq '${meetingId}|record'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.texts).listEntities<{ body: string }>({ queryOptions: { filter } })) return JSON.parse(e.body);
    throw new Error('no record stored');
  }

  /** Runs the jobs due at `at` and delivers them. */
  async function runAt(at: string): Promise<void> {
    t.connector.reset();
    clock.set(jst(at));
    await t.app.runDueJobs();
    await t.app.deliverPending();
  }

  const said = (id: string): string => org.chat(id).join('\n');
  const doneButtons = (card: unknown): Submit[] => submitsOf(card).filter((d) => d.verb === 'oneonone.action.done');
  /** The morning check-in prompt the scheduler sent the person (the card with the check-in submit). */
  const morningPrompt = (id: string): unknown =>
    org
      .chat(id)
      .map((text) => JSON.parse(text) as unknown)
      .find((card) => submitsOf(card).some((d) => d.verb === 'checkin.submit'));

  beforeAll(async () => {
    t = await startTestApp({}, { clock }, sink);
    org = await loadOneOnOneOrg(t);
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'C', date: '2026-11-24', time: '14:00', length: '30' });
    const filter = `PartitionKey eq '${t.tenantId}|M'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.meetings).listEntities<{ meetingId: string }>({ queryOptions: { filter } }))
      meetingId = e.meetingId;
    await org.submit('C', { verb: 'oneonone.agenda.save', managerId: 'M', meetingId, topics: '橋梁点検の優先順位' });
    await t.app.deliverPending();
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('the reminder card carries 記録する; before the 1on1 begins it only says when it can be used', async () => {
    await runAt('2026-11-20T16:00:00');
    const reminder = lastCard(t, org.by('M'));
    expect(JSON.stringify(reminder)).toContain('橋梁点検の優先順位');
    fromReminder = submitsOf(reminder).find((d) => d.verb === 'oneonone.record.open') ?? {};
    expect(fromReminder).toEqual({ verb: 'oneonone.record.open', managerId: 'M', memberId: 'C', meetingId });
    expect(cardProblems(reminder!)).toEqual([]);
    t.connector.reset();
    await org.submit('M', fromReminder);
    expect(said('M')).toContain('始まってから');
    expect(lastCard(t, org.by('M'))).toBeUndefined();
  });

  it('once the 1on1 has begun, 記録する on the overview row gives the manager the record card with the agenda', async () => {
    clock.set(jst('2026-11-24T14:05:00'));
    await org.say('M', '1on1');
    const row = submitsOf(lastCard(t, org.by('M'))).find((d) => d.verb === 'oneonone.record.open');
    expect(row).toEqual({ verb: 'oneonone.record.open', managerId: 'M', memberId: 'C', meetingId });
    t.connector.reset();
    await org.submit('M', row!);
    const form = lastCard(t, org.by('M'));
    expect(JSON.stringify(form)).toContain('橋梁点検の優先順位');
    expect(inputsOf(form)).toMatchObject({ good: '', action1Text: '' });
    expect(submitsOf(form)).toEqual([expect.objectContaining({ verb: 'oneonone.record.save', meetingId })]);
    expect(cardProblems(form!)).toEqual([]);
  });

  it('anyone else pressing 記録する with the same ids is refused and sees nothing; the member is told the manager records', async () => {
    for (const asker of ['H', 'DEP', 'S', 'X']) {
      await org.submit(asker, fromReminder);
      expect(said(asker)).toContain('本人と上司のみ');
      expect(said(asker)).not.toContain('橋梁点検');
      expect(lastCard(t, org.by(asker))).toBeUndefined();
    }
    await org.submit('C', fromReminder);
    expect(said('C')).toContain('上司が書きます');
    expect(said('C')).not.toContain('oneonone.record.save');
  });

  it('after the record is saved, 記録する brings the card back filled with the saved record', async () => {
    clock.set(jst('2026-11-24T14:40:00'));
    await org.submit('M', { ...record, meetingId }, 'record-card');
    expect(said('M')).toContain('記録を保存しました');
    t.connector.reset();
    await org.submit('M', fromReminder);
    expect(inputsOf(lastCard(t, org.by('M')))).toMatchObject({
      good: '点検計画を前倒しで進めた',
      achievement: '4',
      action1Text: '確認申請の手順書を作る',
      action2Owner: 'manager',
      action3Due: '2026-12-10',
    });
  });

  it('an action past due is on its owner’s next morning check-in prompt with a 完了 button, and on nobody else’s', async () => {
    await runAt('2026-11-26T08:45:00');
    expect(JSON.stringify(morningPrompt('C'))).not.toContain('期限を過ぎた');
    await runAt('2026-11-27T08:45:00');
    const prompt = morningPrompt('C');
    const text = JSON.stringify(prompt);
    expect(text).toContain('期限を過ぎた1on1 のアクション');
    expect(text).toContain('確認申請の手順書を作る（期限 2026年11月26日(木)）');
    expect(text).not.toContain('研修の予算');
    expect(text).not.toContain('現場見学');
    expect(doneButtons(prompt)).toEqual([expect.objectContaining({ managerId: 'M', memberId: 'C', meetingId })]);
    membersDone = doneButtons(prompt)[0]!;
    expect(cardProblems(prompt as object)).toEqual([]);
    const managers = JSON.stringify(morningPrompt('M'));
    expect(managers).toContain('研修の予算を確保する');
    expect(managers).not.toContain('確認申請');
    managersDone = doneButtons(morningPrompt('M'))[0]!;
    for (const other of ['S', 'X', 'H']) expect(JSON.stringify(morningPrompt(other))).not.toContain('期限を過ぎた');
  });

  it('the owner marks it 完了 from the prompt; a second press changes nothing; it is no longer overdue', async () => {
    clock.set(jst('2026-11-27T09:00:00'));
    await org.submit('C', membersDone);
    expect(said('C')).toContain('「確認申請の手順書を作る」を完了にしました');
    const first = (await storedRecord()).actions[0];
    expect(first).toMatchObject({ text: '確認申請の手順書を作る', doneAt: jst('2026-11-27T09:00:00').toISOString(), doneBy: 'C' });

    clock.set(jst('2026-11-27T09:10:00'));
    await org.submit('C', membersDone);
    expect(said('C')).toContain('すでに完了しています');
    expect((await storedRecord()).actions[0]).toEqual(first);

    // The member cannot close the manager's action, nor can anyone outside the pair close any.
    await org.submit('C', managersDone);
    expect(said('C')).toContain('担当者と上司だけ');
    await org.submit('H', managersDone);
    expect(said('H')).toContain('本人と上司のみ');
    expect(said('H')).not.toContain('研修の予算');
    expect((await storedRecord()).actions[1]).not.toHaveProperty('doneAt');

    await runAt('2026-11-30T08:45:00');
    expect(JSON.stringify(morningPrompt('C'))).not.toContain('期限を過ぎた');
    expect(JSON.stringify(morningPrompt('M'))).toContain('研修の予算を確保する');
  });

  it('the member’s agenda card for the next 1on1 lists only the open actions, their own with 完了', async () => {
    clock.set(jst('2026-11-30T09:30:00'));
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'C', date: '2026-12-08', time: '10:00', length: '30' });
    t.connector.reset();
    await org.say('C', '1on1');
    const agenda = lastCard(t, org.by('C'));
    const text = JSON.stringify(agenda);
    expect(text).toContain('前回の合意したアクション');
    expect(text).toContain('現場見学の日程を決める');
    expect(text).toContain('研修の予算を確保する');
    expect(text).not.toContain('確認申請');
    expect(doneButtons(agenda)).toEqual([expect.objectContaining({ managerId: 'M', memberId: 'C', meetingId })]);
    expect(cardProblems(agenda!)).toEqual([]);
  });

  it('the manager marks a member’s action 完了 from the record; saving the record again keeps what is done', async () => {
    t.connector.reset();
    clock.set(jst('2026-11-30T10:00:00'));
    await org.submit('M', { verb: 'oneonone.open', managerId: 'M', memberId: 'C', meetingId });
    const view = lastCard(t, org.by('M'));
    expect(JSON.stringify(view)).toContain('完了（2026年11月27日(金)）');
    const buttons = doneButtons(view);
    expect(buttons).toHaveLength(2);
    expect(cardProblems(view!)).toEqual([]);
    for (const button of buttons) await org.submit('M', button);
    expect(said('M')).toContain('「現場見学の日程を決める」を完了にしました');
    expect((await storedRecord()).actions.map((a) => a.doneBy)).toEqual(['C', 'M', 'M']);

    await org.submit('M', { ...record, meetingId, good: '手順書が完成した' }, 'record-card');
    const after = await storedRecord();
    expect(after.actions.map((a) => a.doneAt)).toEqual([
      jst('2026-11-27T09:00:00').toISOString(),
      jst('2026-11-30T10:00:00').toISOString(),
      jst('2026-11-30T10:00:00').toISOString(),
    ]);
    await org.submit('C', { verb: 'oneonone.open', managerId: 'M', memberId: 'C', meetingId });
    expect(doneButtons(lastCard(t, org.by('C')))).toEqual([]);
  });

  it('no action text ever reaches the logs', () => {
    expect(logLines.some((line) => line.includes('"kind":"submit"'))).toBe(true);
    for (const needle of ['確認申請', '研修の予算', '現場見学', '橋梁点検']) {
      for (const line of logLines) expect(line).not.toContain(needle);
    }
  });
});
