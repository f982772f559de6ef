import { buildDemoOrg } from '../../src/directory/demo-org';
import type { Person } from '../../src/directory/org.schema';
import { fixedClock } from '../../src/shared/clock';
import { cardSubmit, personalInstall, personalMessage } from '../helpers/activities';
import type { RecordedCall } from '../helpers/connector-double';
import { conversationOf, teamsUserOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const UNIT = '生涯学習課';
const jst = (iso: string): Date => new Date(`${iso}+09:00`);

function cardText(call: RecordedCall): string {
  return JSON.stringify((call.body.attachments as { content: unknown }[] | undefined)?.[0]?.content ?? call.body.text ?? '');
}

describe('scheduled check-ins (scheduler → outbox → connector double)', () => {
  const clock = fixedClock(jst('2026-11-25T08:46:00'));
  const people = buildDemoOrg().people;
  const unitMembers = people.filter((p) => p.unit === UNIT);
  const manager = unitMembers.find((p) => p.role === 'manager') as Person;
  const [onLeave, helpAsker, answered] = unitMembers.filter((p) => p.role !== 'manager');
  let t: TestApp;

  const perConversation = (calls: RecordedCall[]): Map<string, RecordedCall[]> => {
    const out = new Map<string, RecordedCall[]>();
    for (const call of calls) out.set(call.conversationId ?? '', [...(out.get(call.conversationId ?? '') ?? []), call]);
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    await t.app.org.importDirectory(t.tenantId, buildDemoOrg());
    for (const person of unitMembers) await t.post(personalInstall(teamsUserOf(person, { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId })));
    await t.post(personalMessage(teamsUserOf(onLeave!, { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId }), '休み'));
    t.connector.reset();
  });
  afterAll(() => t.stop());

  it('sends exactly one morning prompt to each member not on leave, and nothing more when run again', async () => {
    expect(await t.app.runDueJobs()).toBeGreaterThan(0);
    await t.app.deliverPending();
    const prompts = perConversation(t.connector.sent());
    const expected = unitMembers
      .filter((p) => p !== onLeave)
      .map(conversationOf)
      .sort();
    expect([...prompts.keys()].sort()).toEqual(expected);
    for (const calls of prompts.values()) {
      expect(calls).toHaveLength(1);
      expect(cardText(calls[0]!)).toContain('今日の最優先');
    }
    expect(prompts.has(conversationOf(onLeave!))).toBe(false);

    expect(await t.app.runDueJobs()).toBe(0);
    await t.app.deliverPending();
    expect(t.connector.sent()).toHaveLength(expected.length);
  });

  it('reminds, once, only those who have not answered', async () => {
    const base = { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId };
    await t.post(
      cardSubmit(teamsUserOf(answered!, base), { verb: 'checkin.submit', slot: 'morning', day: '2026-11-25', priority: '講座の準備', condition: '4' }),
    );
    await t.post(
      cardSubmit(teamsUserOf(helpAsker!, base), {
        verb: 'checkin.submit',
        slot: 'morning',
        day: '2026-11-25',
        priority: '公民館の予約整理',
        trouble: '予約システムの不具合',
        needHelp: 'true',
        condition: '2',
      }),
    );
    await t.app.deliverPending();
    t.connector.reset();

    clock.set(jst('2026-11-25T09:16:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const reminders = perConversation(t.connector.sent());
    const expected = unitMembers
      .filter((p) => p !== onLeave && p !== answered && p !== helpAsker)
      .map(conversationOf)
      .sort();
    expect([...reminders.keys()].sort()).toEqual(expected);
    for (const calls of reminders.values()) expect(calls.map((c) => c.body.text)).toEqual([expect.stringContaining('朝のチェックインがまだのようです')]);
  });

  it('gives the manager the unit summary when the window closes', async () => {
    t.connector.reset();
    clock.set(jst('2026-11-25T11:01:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const toManager = t.connector.sent().filter((c) => c.conversationId === conversationOf(manager));
    expect(toManager).toHaveLength(1);
    const summary = cardText(toManager[0]!);
    expect(summary).toContain(`${UNIT} 朝のチェックインのまとめ`);
    expect(summary).toContain(`2 / ${unitMembers.length}`);
    expect(summary).toContain(`${helpAsker!.name}: 予約システムの不具合`);
    expect(summary).toContain('まだ対応者がいません');
    expect(summary).not.toContain('体調の平均');
    const silent = unitMembers.find((p) => p !== onLeave && p !== answered && p !== helpAsker)!;
    expect(summary).toMatch(new RegExp(`未回答: [^"]*${silent.name}`));
    expect(summary).not.toMatch(new RegExp(`未回答: [^"]*${onLeave!.name}`));
    const others = t.connector.sent().filter((c) => c.conversationId !== conversationOf(manager));
    expect(others).toEqual([]);
  });

  it('sends nothing on a national holiday', async () => {
    t.connector.reset();
    clock.set(jst('2026-11-23T09:00:00'));
    expect(await t.app.runDueJobs()).toBe(0);
    await t.app.deliverPending();
    expect(t.connector.calls).toEqual([]);
  });
});
