import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { cardProblems } from '../helpers/card-validation';
import { inputsOf, lastCard, loadOneOnOneOrg, submitsOf, type OneOnOneOrg } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('1on1 reminders, record and overdue digest (scheduler → outbox → connector double)', () => {
  // Thursday 2026-11-19. The 1on1 is on Tuesday 11-24; Monday 11-23 is 勤労感謝の日, so its office day before is Friday 11-20.
  const clock = fixedClock(jst('2026-11-19T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;
  let meetingId = '';

  async function meetingRows(): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey ge '${t.tenantId}|' and PartitionKey lt '${t.tenantId}}'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.meetings).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }

  /** Runs the jobs due at `at` and delivers them; resolves to what reached each person about 1on1s (not the check-in prompt). */
  async function runAt(at: string): Promise<(id: string) => string[]> {
    t.connector.reset();
    clock.set(jst(at));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    return (id) => org.chat(id).filter((text) => text.includes('1on1') && !text.includes('checkin.submit'));
  }

  const record = {
    verb: 'oneonone.record.save',
    managerId: 'M',
    memberId: 'C',
    good: '点検計画を前倒しで進めた',
    expectations: '若手への引き継ぎ',
    achievement: '4',
    worriesResponse: '残業は来月から分担する',
    action1Text: '点検計画の見直し',
    action1Owner: 'member',
    action1Due: '2026-12-01',
    action2Text: '応援要員の相談',
    action2Owner: 'manager',
    action2Due: '',
    next: '12月に進捗確認',
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadOneOnOneOrg(t);
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'C', date: '2026-11-24', time: '14:00', length: '30' });
    meetingId = String((await meetingRows())[0]?.meetingId);
    await org.submit('C', { verb: 'oneonone.agenda.save', managerId: 'M', meetingId, topics: '橋梁点検の優先順位', worries: '残業が多い' });
    await t.app.deliverPending();
  });
  afterAll(() => t.stop());

  it('prompts the member for the agenda on the office day before: Friday, across the weekend and the holiday', async () => {
    let seen = await runAt('2026-11-19T10:01:00');
    expect(seen('C')).toEqual([]);
    seen = await runAt('2026-11-20T09:01:00');
    expect(seen('C')).toHaveLength(1);
    expect(seen('C')[0]).toContain('2026年11月24日(火) 14:00');
    expect(inputsOf(lastCard(t, org.by('C')))).toMatchObject({ topics: '橋梁点検の優先順位', worries: '残業が多い' });
    expect(seen('M')).toEqual([]);
    expect(await runAt('2026-11-23T09:01:00').then(() => t.connector.calls)).toEqual([]);
  });

  it('reminds the manager at 16:00 the office day before and 30 minutes before, each with the agenda', async () => {
    let seen = await runAt('2026-11-20T16:00:00');
    expect(seen('M')).toHaveLength(1);
    expect(seen('M')[0]).toContain('橋梁点検の優先順位');
    expect(seen('C')).toEqual([]);
    seen = await runAt('2026-11-24T13:30:00');
    expect(seen('M')).toHaveLength(1);
    expect(seen('M')[0]).toContain('まもなく');
    expect(seen('M')[0]).toContain('残業が多い');
  });

  it('after the meeting gives the manager the record card, prefilled with the agenda', async () => {
    const seen = await runAt('2026-11-24T14:31:00');
    expect(seen('M')).toHaveLength(1);
    const form = lastCard(t, org.by('M'));
    expect(JSON.stringify(form)).toContain('橋梁点検の優先順位');
    expect(Object.keys(inputsOf(form))).toEqual(
      expect.arrayContaining(['good', 'expectations', 'achievement', 'worriesResponse', 'action1Text', 'action1Owner', 'action1Due', 'next']),
    );
    expect(cardProblems(form!)).toEqual([]);
  });

  it('saving the record marks the 1on1 held once, however often the card is sent; the member gets it once', async () => {
    t.connector.reset();
    clock.set(jst('2026-11-24T15:00:00'));
    await org.submit('M', { ...record, meetingId }, 'record-card');
    clock.set(jst('2026-11-24T15:05:00'));
    await org.submit('M', { ...record, meetingId }, 'record-card');
    await t.app.deliverPending();
    const rows = await meetingRows();
    expect(rows.map((r) => [r.memberId, r.status, r.heldDay])).toEqual([['C', 'held', '2026-11-24']]);
    expect(rows[0]!.heldAt).toBe(jst('2026-11-24T15:00:00').toISOString());
    const received = org.chat('C').filter((text) => text.includes('点検計画を前倒しで進めた'));
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('点検計画の見直し');
    const confirm = submitsOf(lastCard(t, org.by('C'))).filter((d) => d.verb === 'oneonone.record.confirm');
    expect(confirm).toEqual([expect.objectContaining({ meetingId })]);
  });

  it('a third person cannot read or write the record', async () => {
    t.connector.reset();
    await org.submit('H', { verb: 'oneonone.open', managerId: 'M', memberId: 'C', meetingId });
    await org.submit('DEP', { ...record, good: '上書き', meetingId });
    for (const id of ['H', 'DEP']) {
      expect(org.chat(id).join('\n')).toContain('本人と上司のみ');
      expect(org.chat(id).join('\n')).not.toContain('点検計画');
    }
    const texts: string[] = [];
    for await (const e of t.app.tables.table(ONEONONE_TABLES.texts).listEntities()) texts.push(JSON.stringify(e));
    expect(texts.join('\n')).not.toContain('上書き');
  });

  it('the member confirms with a comment and the manager is told', async () => {
    t.connector.reset();
    await org.submit('C', { verb: 'oneonone.record.confirm', managerId: 'M', memberId: 'C', meetingId, comment: '来月もよろしくお願いします' }, 'record-to-C');
    await t.app.deliverPending();
    expect(JSON.stringify(lastCard(t, org.by('C')))).toContain('確認しました');
    expect(submitsOf(lastCard(t, org.by('C'))).map((d) => d.verb)).not.toContain('oneonone.record.confirm');
    const toManager = org.chat('M').join('\n');
    expect(toManager).toContain('土木 主幹さんが1on1');
    expect(toManager).toContain('来月もよろしくお願いします');
    expect((await meetingRows())[0]!.confirmedAt).toBeTruthy();
  });

  it('Monday digest: each manager with overdue pairs gets them, with no 1on1 text', async () => {
    const seen = await runAt('2026-12-21T09:01:00');
    expect(seen('M')).toHaveLength(1);
    expect(seen('M')[0]).toContain('建築 主事さん: 期限 2026年12月19日(土) から 2日超過');
    expect(seen('M')[0]).not.toContain('土木 主幹さん:');
    expect(seen('C')).toHaveLength(1);
    expect(seen('C')[0]).toMatch(/土木 主査さん.*土木 主任さん|土木 主任さん.*土木 主査さん/);
    expect(seen('DEP')).toEqual([]);
    expect(seen('M')[0]).not.toContain('点検');
  });

  it('past twice the cadence the digest also reaches the manager’s manager', async () => {
    const seen = await runAt('2027-01-25T09:01:00');
    expect(seen('DEP')).toHaveLength(1);
    expect(seen('DEP')[0]).toContain('建設 課長さん → 建築 主事さん');
    expect(seen('M')[0]).toContain('土木 主幹さん → 土木 主査さん');
    expect(seen('M')[0]).toContain('建築 主事さん: 期限');
    expect(seen('MAY')).toEqual([]);
  });
});
