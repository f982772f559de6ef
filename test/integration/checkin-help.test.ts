import { parseOrgCsv } from '../../src/directory/org-csv';
import type { Person } from '../../src/directory/org.schema';
import { fixedClock } from '../../src/shared/clock';
import { TABLES } from '../../src/storage/table-names';
import { cardSubmit, personalInstall } from '../helpers/activities';
import type { RecordedCall } from '../helpers/connector-double';
import { conversationOf, teamsUserOf } from '../helpers/people';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A hand-drawn 建設課 so each row of the escalation table has a known answer:
 * 課長 M ← 主幹 C ← 主査 S1 ← 主任 L1 / 会計年度 AP; 課長 M ← 主査 S2 ← 主任 L2 ← 主事 ST; 課長 M ← 主事 NEW;
 * 副町長 DEP ← 町長 MAY.
 */
const CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID
MAY,町長 一郎,,,町長,,00000000-0000-4000-8000-000000000001
DEP,副町長 二郎,,,副町長,MAY,00000000-0000-4000-8000-000000000002
M,建設 課長,建設課,,課長,DEP,00000000-0000-4000-8000-000000000003
C,土木 主幹,建設課,土木,主幹,M,00000000-0000-4000-8000-000000000004
S1,土木 主査,建設課,土木,主査,C,00000000-0000-4000-8000-000000000005
L1,土木 主任,建設課,土木,主任,S1,00000000-0000-4000-8000-000000000006
AP,土木 任用,建設課,土木,会計年度任用職員,S1,00000000-0000-4000-8000-000000000007
S2,建築 主査,建設課,建築,主査,M,00000000-0000-4000-8000-000000000008
L2,建築 主任,建設課,建築,主任,S2,00000000-0000-4000-8000-000000000009
ST,建築 主事,建設課,建築,主事,L2,00000000-0000-4000-8000-000000000010
NEW,新人 主事,建設課,建築,主事,M,00000000-0000-4000-8000-000000000011
`;

function textOf(call: RecordedCall): string {
  return JSON.stringify(call.body);
}

describe('助けが必要 reaches the role the escalation table names, and the manager', () => {
  let t: TestApp;
  let people: Person[];
  const by = (id: string): Person => people.find((p) => p.id === id) as Person;

  beforeAll(async () => {
    t = await startTestApp({}, { clock: fixedClock(new Date('2026-11-25T09:00:00+09:00')) });
    const parsed = parseOrgCsv(CSV);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    people = parsed.directory.people;
    await t.app.org.importDirectory(t.tenantId, parsed.directory);
    for (const person of people) await t.post(personalInstall(teamsUserOf(person, { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId })));
  });
  afterAll(() => t.stop());
  beforeEach(() => t.connector.reset());

  async function askForHelp(reporterId: string, day = '2026-11-25'): Promise<string[]> {
    const reporter = teamsUserOf(by(reporterId), { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId });
    await t.post(
      cardSubmit(reporter, { verb: 'checkin.submit', slot: 'morning', day, priority: '橋梁点検', trouble: `${reporterId}の困りごと`, needHelp: 'true' }),
    );
    await t.app.deliverPending();
    return t.connector
      .sent()
      .filter((c) => textOf(c).includes('助けが必要です') && textOf(c).includes(`${reporterId}の困りごと`))
      .map((c) => c.conversationId ?? '')
      .sort();
  }

  it.each([
    ['課長 → 町長・副町長', 'M', ['MAY', 'DEP']],
    ['主幹 → 課長', 'C', ['M']],
    ['主査 → 主幹 (own line)', 'S1', ['C']],
    ['主査 → 課長 (own line has no 主幹)', 'S2', ['M']],
    ['主任 → 主査', 'L1', ['S1']],
    ['主事 → 主任 (and their manager, the same person)', 'ST', ['L2']],
    ['会計年度任用職員 → 主査 (own line)', 'AP', ['S1']],
    ['主事 reporting straight to the 課長 → the group’s 主任, and the 課長', 'NEW', ['L2', 'M']],
  ])('%s', async (_label, reporterId, expected) => {
    const recipients = await askForHelp(reporterId);
    expect(recipients).toEqual(expected.map((id) => conversationOf(by(id))).sort());
    const ack = t.connector.calls.find((c) => c.kind === 'update' && textOf(c).includes('朝のチェックインを記録しました'));
    expect(ack && textOf(ack)).toContain('助けの依頼を');
  });

  it('does not send the request again when the same answer is submitted twice', async () => {
    await askForHelp('L1');
    t.connector.reset();
    expect(await askForHelp('L1')).toEqual([]);
  });

  it('first 対応します wins: the reporter is told, the other recipient’s card shows who took it', async () => {
    // Another day: the 課長's request of the 25th was already answered by the table test above.
    await askForHelp('M', '2026-11-24');
    const toDeputy = t.connector.sent().find((c) => c.conversationId === conversationOf(by('DEP')))!;
    const toMayor = t.connector.sent().find((c) => c.conversationId === conversationOf(by('MAY')))!;
    const activityIdOf = (call: RecordedCall): string => String(call.responseId ?? '');
    t.connector.reset();

    const deputy = teamsUserOf(by('DEP'), { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId });
    const take = { verb: 'checkin.help.take', day: '2026-11-24', unit: '建設課', reporterId: 'M' };
    await t.post(cardSubmit(deputy, take, activityIdOf(toDeputy)));
    await t.app.deliverPending();

    const ownCard = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === activityIdOf(toDeputy));
    expect(ownCard && textOf(ownCard)).toContain('副町長 二郎さんが対応します');
    const mayorCard = t.connector.calls.find((c) => c.kind === 'update' && c.activityId === activityIdOf(toMayor));
    expect(mayorCard && textOf(mayorCard)).toContain('副町長 二郎さんが対応します');
    expect(mayorCard && textOf(mayorCard)).not.toContain('"verb":"checkin.help.take"');
    const notice = t.connector.sent().find((c) => c.conversationId === conversationOf(by('M')));
    expect(notice?.body.text).toBe('副町長 二郎さんがあなたの困りごとに対応します。');

    t.connector.reset();
    const mayor = teamsUserOf(by('MAY'), { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId });
    await t.post(cardSubmit(mayor, take, activityIdOf(toMayor)));
    expect(t.connector.sent()[0]!.body.text).toBe('すでに 副町長 二郎さんが対応しています。');
  });

  it('keeps no message text in the outbox once Teams has it: troubles are for their recipients only', async () => {
    await askForHelp('S2', '2026-11-20');
    expect(t.connector.sent().some((c) => textOf(c).includes('S2の困りごと'))).toBe(true);
    const rows: Record<string, unknown>[] = [];
    for await (const row of t.app.tables.table(TABLES.outbox).listEntities({ queryOptions: { filter: `PartitionKey eq '${t.tenantId}|2026-11-20'` } }))
      rows.push(row);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.status).toBe('sent');
      expect(JSON.stringify(row)).not.toContain('S2の困りごと');
    }
  });
});
