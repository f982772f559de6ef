import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { cardProblems } from '../helpers/card-validation';
import { inputsOf, lastCard, loadOneOnOneOrg, submitsOf, type OneOnOneOrg } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('1on1s through /api/messages: pairs, views, scheduling, privacy', () => {
  // Friday 2026-11-20; Monday 11-23 is 勤労感謝の日.
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;

  async function meetings(): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${t.tenantId}|' and PartitionKey lt '${t.tenantId}}'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.meetings).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }

  async function texts(): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${t.tenantId}|' and PartitionKey lt '${t.tenantId}}'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.texts).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }

  const card = (id: string): string => JSON.stringify(lastCard(t, org.by(id)) ?? null);
  const schedule = (memberId: string, values: Record<string, string>) =>
    org.submit('M', { verb: 'oneonone.schedule.save', memberId, date: '2026-11-24', time: '14:00', length: '30', ...values }, `form-${memberId}`);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadOneOnOneOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('a 課長 sees each member with a status and a schedule action; an executive manager makes no pair', async () => {
    await org.say('M', '1on1');
    const view = lastCard(t, org.by('M'));
    const text = JSON.stringify(view);
    expect(text).toContain('土木 主幹');
    expect(text).toContain('建築 主事');
    expect(text).toContain('期限内');
    expect(text).not.toContain('土木 主査');
    expect(text).not.toContain('話したいこと');
    expect(submitsOf(view)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ verb: 'oneonone.schedule.open', memberId: 'C' }),
        expect.objectContaining({ verb: 'oneonone.schedule.open', memberId: 'X' }),
      ]),
    );
    expect(cardProblems(view!)).toEqual([]);
  });

  it('a 主幹 gets both views: their own members, and their next 1on1 with the 課長', async () => {
    await org.say('C', '1on1');
    const text = card('C');
    expect(text).toContain('土木 主査');
    expect(text).toContain('土木 主任');
    expect(text).toContain('建設 課長');
    expect(text).toContain('まだ決まっていません');
  });

  it('opens the schedule form with a date, a time and a length', async () => {
    await org.submit('M', { verb: 'oneonone.schedule.open', memberId: 'C' });
    const form = lastCard(t, org.by('M'));
    const types = JSON.stringify(form);
    expect(types).toContain('Input.Date');
    expect(types).toContain('Input.Time');
    expect(types).toContain('Input.ChoiceSet');
    expect(Object.keys(inputsOf(form))).toEqual(expect.arrayContaining(['date', 'time', 'length']));
    expect(cardProblems(form!)).toEqual([]);
  });

  it('refuses a past date and a time outside 07:00–22:00 on the card, typed values kept, nothing stored', async () => {
    await schedule('C', { date: '2026-11-19', time: '06:30', length: '45' });
    const update = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === 'form-C');
    const form = (update?.body.attachments as { content: object }[])[0]!.content;
    const text = JSON.stringify(form);
    expect(text).toContain('過去の日付');
    expect(text).toContain('07:00〜22:00');
    expect(inputsOf(form)).toMatchObject({ date: '2026-11-19', time: '06:30', length: '45' });
    expect(cardProblems(form)).toEqual([]);
    expect(await meetings()).toEqual([]);
  });

  it('refuses a member who is not theirs', async () => {
    await schedule('S', {});
    expect(card('M')).toContain('あなたのメンバーではありません');
    expect(await meetings()).toEqual([]);
  });

  it('warns about a non-office day and stores only after the confirm action', async () => {
    await schedule('X', { date: '2026-11-23', time: '10:00' });
    const warning = lastCard(t, org.by('M'));
    expect(JSON.stringify(warning)).toContain('開庁日ではありません');
    expect(await meetings()).toEqual([]);
    const confirm = submitsOf(warning).find((d) => d.confirmNonOffice === 'true');
    expect(confirm).toMatchObject({ verb: 'oneonone.schedule.save', memberId: 'X' });
    await org.submit('M', { ...confirm, date: '2026-11-23', time: '10:00', length: '30' }, 'form-X');
    expect((await meetings()).map((m) => [m.memberId, m.day, m.status])).toEqual([['X', '2026-11-23', 'scheduled']]);
  });

  it('schedules: the manager gets a card to act on, the member gets the date and the agenda card', async () => {
    await schedule('C', {});
    const managerCard = lastCard(t, org.by('M'));
    expect(JSON.stringify(managerCard)).toContain('2026年11月24日(火) 14:00');
    expect(submitsOf(managerCard).map((d) => d.verb)).toEqual(expect.arrayContaining(['oneonone.schedule.open', 'oneonone.cancel']));
    await t.app.deliverPending();
    const memberCard = lastCard(t, org.by('C'));
    expect(JSON.stringify(memberCard)).toContain('2026年11月24日(火) 14:00');
    expect(Object.keys(inputsOf(memberCard))).toEqual(expect.arrayContaining(['topics', 'progress', 'worries']));
    expect(cardProblems(memberCard!)).toEqual([]);
  });

  it('the member writes the agenda; it is stored apart from the countable facts', async () => {
    await org.say('C', '1on1');
    expect(card('C')).toContain('2026年11月24日(火) 14:00');
    const meeting = (await meetings()).find((m) => m.memberId === 'C')!;
    await org.submit('C', {
      verb: 'oneonone.agenda.save',
      managerId: 'M',
      meetingId: meeting.meetingId,
      topics: '橋梁点検の優先順位',
      progress: '点検計画の8割',
      worries: '残業が多い',
    });
    expect(card('C')).toContain('保存しました');
    const stored = await texts();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored[0])).toContain('橋梁点検の優先順位');
    expect(JSON.stringify(await meetings())).not.toContain('橋梁点検');
  });

  it('a third person (HR, the manager’s manager) asking for the agenda is refused and sees nothing', async () => {
    const meeting = (await meetings()).find((m) => m.memberId === 'C')!;
    for (const asker of ['H', 'DEP', 'S']) {
      await org.submit(asker, { verb: 'oneonone.open', managerId: 'M', memberId: 'C', meetingId: meeting.meetingId });
      await org.submit(asker, { verb: 'oneonone.agenda.save', managerId: 'M', meetingId: meeting.meetingId, topics: '書き換え' });
      const seen = org.chat(asker).join('\n');
      expect(seen).toContain('本人と上司のみ');
      expect(seen).not.toContain('橋梁点検');
    }
    expect(JSON.stringify(await texts())).not.toContain('書き換え');
    await org.submit('M', { verb: 'oneonone.open', managerId: 'M', memberId: 'C', meetingId: meeting.meetingId });
    expect(card('M')).toContain('橋梁点検の優先順位');
  });

  it('reschedules in place and cancels, telling the member each time', async () => {
    const meeting = (await meetings()).find((m) => m.memberId === 'C')!;
    await schedule('C', { meetingId: String(meeting.meetingId), date: '2026-11-25', time: '15:30' });
    const x = (await meetings()).find((m) => m.memberId === 'X')!;
    await org.submit('M', { verb: 'oneonone.cancel', memberId: 'X', meetingId: x.meetingId });
    await t.app.deliverPending();
    expect(org.chat('C').join('\n')).toContain('2026年11月25日(水) 15:30');
    expect(org.chat('X').join('\n')).toContain('中止');
    const rows = await meetings();
    expect(rows.filter((m) => m.memberId === 'C').map((m) => [m.day, m.time, m.status])).toEqual([['2026-11-25', '15:30', 'scheduled']]);
    expect(rows.find((m) => m.memberId === 'X')?.status).toBe('cancelled');
  });

  it('after the cadence an unbooked pair is 期限超過 and listed first', async () => {
    clock.set(jst('2026-12-25T10:00:00'));
    await schedule('C', { date: '2026-12-28', time: '10:00' });
    await org.say('M', '1on1');
    const text = card('M');
    expect(text).toMatch(/建築 主事.*5日超過.*期限超過.*土木 主幹.*予定あり/);
    await org.say('C', '1on1');
    expect(card('C')).not.toContain('期限超過');
    const own = JSON.stringify(t.connector.calls.filter((c) => c.conversationId === 'a:personal-C').at(-2)?.body);
    expect(own).toMatch(/土木 主査.*期限超過/);
  });
});
