import { ONEONONE_TABLES } from '../../src/features/oneonone/oneonone.repository';
import { fixedClock } from '../../src/shared/clock';
import { cardProblems } from '../helpers/card-validation';
import { parseOrgCsv } from '../../src/directory/org-csv';
import { callText, loadOneOnOneOrg, ONEONONE_CSV, type OneOnOneOrg } from '../helpers/oneonone-org';
import { conversationOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

const jst = (iso: string): Date => new Date(`${iso}+09:00`);

describe('1on1 actions past due reach their owner’s morning check-in, through /api/messages', () => {
  // Friday 2026-11-20; the 1on1 is on Tuesday 11-24 (Monday 11-23 is 勤労感謝の日).
  const clock = fixedClock(jst('2026-11-20T10:00:00'));
  let t: TestApp;
  let org: OneOnOneOrg;

  const morning = (id: string, day: string) =>
    org.submit(id, { verb: 'checkin.submit', slot: 'morning', day, priority: '窓口対応', needHelp: 'false' }, `checkin-${id}-${day}`);
  const savedCard = (id: string, day: string): string =>
    JSON.stringify(t.connector.calls.filter((c) => c.kind === 'update' && c.activityId === `checkin-${id}-${day}`).at(-1)?.body ?? null);

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    org = await loadOneOnOneOrg(t);
    await org.submit('M', { verb: 'oneonone.schedule.save', memberId: 'X', date: '2026-11-24', time: '14:00', length: '30' });
    const filter = `PartitionKey eq '${t.tenantId}|M'`;
    let meetingId = '';
    for await (const e of t.app.tables.table(ONEONONE_TABLES.meetings).listEntities<{ meetingId: string }>({ queryOptions: { filter } }))
      meetingId = e.meetingId;
    clock.set(jst('2026-11-24T15:00:00'));
    await org.submit('M', {
      verb: 'oneonone.record.save',
      managerId: 'M',
      memberId: 'X',
      meetingId,
      good: '丁寧な窓口対応',
      action1Text: '確認申請の手順書を作る',
      action1Owner: 'member',
      action1Due: '2026-11-26',
      action2Text: '研修の予算を確保する',
      action2Owner: 'manager',
      action2Due: '2026-11-26',
      action3Text: '現場見学の日程を決める',
      action3Owner: 'member',
      action3Due: '2026-12-10',
    });
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  it('nothing is listed while the actions are not yet due', async () => {
    clock.set(jst('2026-11-26T08:50:00'));
    await morning('X', '2026-11-26');
    expect(savedCard('X', '2026-11-26')).toContain('朝のチェックインを記録しました');
    expect(savedCard('X', '2026-11-26')).not.toContain('期限を過ぎた');
  });

  it('the next morning the member sees their own overdue action (text and due date), not the manager’s or a later one', async () => {
    clock.set(jst('2026-11-27T08:50:00'));
    await morning('X', '2026-11-27');
    const saved = savedCard('X', '2026-11-27');
    expect(saved).toContain('期限を過ぎた1on1 のアクション');
    expect(saved).toContain('確認申請の手順書を作る（期限 2026年11月26日(木)）');
    expect(saved).not.toContain('研修の予算');
    expect(saved).not.toContain('現場見学');
    expect(saved).not.toContain('丁寧な窓口対応');
    const card = t.connector.calls.find((c) => c.activityId === 'checkin-X-2026-11-27')?.body.attachments as { content: object }[];
    expect(cardProblems(card[0]!.content)).toEqual([]);
  });

  it('the manager sees the action they own; someone outside the pair sees none', async () => {
    await morning('M', '2026-11-27');
    expect(savedCard('M', '2026-11-27')).toContain('研修の予算を確保する（期限 2026年11月26日(木)）');
    expect(savedCard('M', '2026-11-27')).not.toContain('確認申請');
    await morning('C', '2026-11-27');
    expect(savedCard('C', '2026-11-27')).not.toContain('期限を過ぎた');
  });

  it('the evening card does not repeat them', async () => {
    clock.set(jst('2026-11-27T17:05:00'));
    await org.submit('X', { verb: 'checkin.submit', slot: 'evening', day: '2026-11-27', done: '手順書', overtime: '0' }, 'evening-X');
    const saved = JSON.stringify(t.connector.calls.find((c) => c.activityId === 'evening-X')?.body ?? null);
    expect(saved).toContain('夕');
    expect(saved).not.toContain('期限を過ぎた');
  });

  it('the scheduled morning prompt lists each owner’s own overdue actions, in their language; the rest of a language get one and the same form', async () => {
    await org.say('M', 'language English');
    t.connector.reset();
    clock.set(jst('2026-11-30T08:46:00'));
    await t.app.runDueJobs();
    await t.app.deliverPending();
    const prompt = (id: string): string => {
      const prompts = t.connector.sent().filter((c) => c.conversationId === conversationOf(org.by(id)) && callText(c).includes('checkin.submit'));
      expect(prompts).toHaveLength(1);
      return callText(prompts[0]!);
    };

    expect(prompt('X')).toContain('確認申請の手順書を作る（期限 2026年11月26日(木)）');
    expect(prompt('X')).not.toContain('研修の予算');
    expect(prompt('M')).toContain('Good morning — check-in');
    expect(prompt('M')).toContain('研修の予算を確保する (due ');
    expect(prompt('M')).not.toContain('確認申請');
    expect(prompt('S')).toContain('朝のチェックイン');
    expect(prompt('S')).not.toContain('期限を過ぎた');
    for (const id of ['C', 'L', 'H']) expect(prompt(id)).toBe(prompt('S'));
  });

  it('once the pair is no more (X now reports to M2), neither keeps seeing that 1on1’s actions', async () => {
    clock.set(jst('2026-12-01T08:50:00'));
    const moved = parseOrgCsv(ONEONONE_CSV.replace('X,建築 主事,建設課,建築,主事,M,', 'X,建築 主事,総務課,,主事,M2,'));
    if (!moved.ok) throw new Error(JSON.stringify(moved.errors));
    await t.app.org.importDirectory(t.tenantId, moved.directory);
    await morning('M', '2026-12-01');
    await morning('X', '2026-12-01');
    // M chose English in the test before.
    expect(savedCard('M', '2026-12-01')).toContain('Morning check-in saved');
    expect(savedCard('M', '2026-12-01')).not.toContain('研修の予算');
    expect(savedCard('X', '2026-12-01')).toContain('朝のチェックインを記録しました');
    expect(savedCard('X', '2026-12-01')).not.toContain('確認申請');
  });
});
