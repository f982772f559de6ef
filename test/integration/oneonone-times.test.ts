import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { cardProblems, shownInputValue } from '../helpers/card-validation';
import { inputsOf, lastCard, loadOneOnOneOrg, submitsOf, type OneOnOneOrg } from '../helpers/oneonone-org';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('1on1 reminder times set by HR, and a 1on1 on a Saturday (scheduler → outbox → connector double)', () => {
  // Thursday 2026-11-19. The weekday 1on1 is on Tuesday 11-24 (Monday 11-23 is a holiday: reminded on Friday 11-20).
  const clock = fixedClock(jst('2026-11-19T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;

  async function settingsRows(): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const filter = `PartitionKey eq '${t.tenantId}'`;
    for await (const e of t.app.tables.table(ONEONONE_TABLES.settings).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  }

  /** Runs the jobs due at `at` and delivers them; resolves to the 1on1 messages each person got (not check-in prompts). */
  async function runAt(at: string): Promise<(id: string) => string[]> {
    t.connector.reset();
    clock.set(jst(at));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    return (id) => org.chat(id).filter((text) => text.includes('1on1') && !text.includes('checkin.submit'));
  }

  const card = (id: string): string => JSON.stringify(lastCard(t, org.by(id)) ?? null);
  const times = (values: Record<string, string>) => ({
    verb: 'oneonone.times.save',
    agendaPromptAt: '09:00',
    managerReminderAt: '16:00',
    soonMinutes: '30',
    ...values,
  });

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadOneOnOneOrg(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('someone outside HR can neither open nor save the times', async () => {
    await org.say('M', '1on1 設定 時刻');
    expect(card('M')).toBe('null');
    expect(org.chat('M').join('\n')).toContain('人事担当のみ');
    await org.submit('M', times({ managerReminderAt: '15:00' }));
    expect(org.chat('M').join('\n')).toContain('人事担当のみ');
    expect(await settingsRows()).toEqual([]);
  });

  it('HR opens the times card with today’s defaults: Input.Time fields and the minutes before', async () => {
    await org.say('H', '1on1 設定 時刻');
    const form = lastCard(t, org.by('H'));
    expect(inputsOf(form)).toEqual({ agendaPromptAt: '09:00', managerReminderAt: '16:00', soonMinutes: 30 });
    expect(shownInputValue(form!, 'soonMinutes')).toBe(30);
    expect(JSON.stringify(form)).toContain('Input.Time');
    expect(submitsOf(form)).toEqual([{ verb: 'oneonone.times.save' }]);
    expect(cardProblems(form!)).toEqual([]);
  });

  it('a bad value comes back on the card with what was typed and the problem named; nothing is stored', async () => {
    await org.submit('H', times({ agendaPromptAt: '9時', managerReminderAt: '06:30', soonMinutes: '200' }), 'times-card');
    const update = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === 'times-card');
    const form = (update?.body.attachments as { content: object }[])[0]!.content;
    expect(inputsOf(form)).toEqual({ agendaPromptAt: '9時', managerReminderAt: '06:30', soonMinutes: 200 });
    expect(shownInputValue(form, 'soonMinutes')).toBe(200);
    const text = JSON.stringify(form);
    expect(text).toContain('09:00 のように');
    expect(text).toContain('07:00〜22:00 の間');
    expect(text).toContain('5〜120');
    expect(cardProblems(form)).toEqual([]);
    expect(await settingsRows()).toEqual([]);
  });

  it('HR moves the manager’s reminder to 15:00; the setting is the tenant’s and reads back in English too', async () => {
    await org.submit('H', times({ managerReminderAt: '15:00' }), 'times-card');
    expect(org.chat('H').join('\n')).toContain('上司へのリマインド 15:00');
    expect((await settingsRows()).map((r) => [r.agendaPromptAt, r.managerReminderAt, r.soonMinutes, r.updatedBy])).toEqual([['09:00', '15:00', 30, 'H']]);
    await org.say('H', '1on1 settings times');
    expect(inputsOf(lastCard(t, org.by('H')))).toMatchObject({ managerReminderAt: '15:00' });
  });

  it('the manager is reminded at 15:00 the office day before, not at 16:00', async () => {
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'C', date: '2026-11-24', time: '14:00', length: '30' });
    await t.app.deliverPending();
    let seen = await runAt('2026-11-20T14:59:00');
    expect(seen('M')).toEqual([]);
    seen = await runAt('2026-11-20T15:00:00');
    expect(seen('M')).toHaveLength(1);
    expect(seen('M')[0]).toContain('2026年11月24日(火) 14:00');
    seen = await runAt('2026-11-20T16:00:00');
    expect(seen('M')).toEqual([]);
  });

  it('a 1on1 on a Saturday gets its reminder 30 minutes before and its record card, on the Saturday', async () => {
    clock.set(jst('2026-11-25T10:00:00'));
    const booking = { verb: 'oneonone.schedule.save', memberId: 'X', date: '2026-11-28', time: '10:00', length: '30' };
    await org.submit('M', booking);
    await org.submit('M', { ...booking, confirmNonOffice: 'true' });
    await t.app.deliverPending();

    let seen = await runAt('2026-11-28T09:29:00');
    expect(seen('M')).toEqual([]);
    seen = await runAt('2026-11-28T09:30:00');
    expect(seen('M')).toHaveLength(1);
    expect(seen('M')[0]).toContain('まもなく建築 主事さんとの1on1');
    expect(seen('X')).toEqual([]);

    seen = await runAt('2026-11-28T10:30:00');
    expect(seen('M')).toHaveLength(1);
    const form = lastCard(t, org.by('M'));
    expect(JSON.stringify(form)).toContain('建築 主事さんとの1on1 の記録');
    expect(Object.keys(inputsOf(form))).toEqual(expect.arrayContaining(['good', 'expectations', 'achievement', 'action1Text', 'next']));
    expect(submitsOf(form)).toEqual([expect.objectContaining({ verb: 'oneonone.record.save', managerId: 'M', memberId: 'X' })]);
    expect(cardProblems(form!)).toEqual([]);
    // Only the 1on1's own jobs run on a Saturday: no check-in prompt reached anyone.
    expect(t.connector.calls.filter((c) => JSON.stringify(c.body).includes('checkin.submit'))).toEqual([]);
  });
});
