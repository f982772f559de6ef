import type { Person } from '../../src/directory/org.schema';
import { personalMessage } from './activities';
import type { RecordedCall } from './connector-double';
import { conversationOf, loadTestOrg, teamsUserOf } from './people';
import type { TestApp } from './test-app';

/**
 * The 建設課 of the help-request tests, so each escalation row has a known answer, plus HR and an
 * outsider: 課長 M ← 主幹 C ← 主査 S1 ← 主任 L1 / 会計年度 AP; M ← 主査 S2 ← 主任 L2 ← 主事 ST / RPTZ9;
 * 副町長 DEP ← 町長 MAY; 総務課: 課長 M2 ← 主査 HR1 (人事), 主事 OUT.
 */
export const NEARMISS_CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
MAY,町長 一郎,,,町長,,00000000-0000-4000-8000-000000000001,
DEP,副町長 二郎,,,副町長,MAY,00000000-0000-4000-8000-000000000002,
M,建設 課長,建設課,,課長,DEP,00000000-0000-4000-8000-000000000003,
C,土木 主幹,建設課,土木,主幹,M,00000000-0000-4000-8000-000000000004,
S1,土木 主査,建設課,土木,主査,C,00000000-0000-4000-8000-000000000005,
L1,土木 主任,建設課,土木,主任,S1,00000000-0000-4000-8000-000000000006,
AP,土木 任用,建設課,土木,会計年度任用職員,S1,00000000-0000-4000-8000-000000000007,
S2,建築 主査,建設課,建築,主査,M,00000000-0000-4000-8000-000000000008,
L2,建築 主任,建設課,建築,主任,S2,00000000-0000-4000-8000-000000000009,
ST,建築 主事,建設課,建築,主事,L2,00000000-0000-4000-8000-000000000010,
RPTZ9,秘密 花子,建設課,建築,主事,L2,00000000-0000-4000-8000-00000000a9f3,
M2,総務 課長,総務課,,課長,DEP,00000000-0000-4000-8000-000000000012,
HR1,人事 主査,総務課,総務人事,主査,M2,00000000-0000-4000-8000-000000000013,○
OUT,部外 主事,総務課,総務人事,主事,HR1,00000000-0000-4000-8000-000000000014,
`;

export interface NearMissOrg {
  people: Person[];
  by(id: string): Person;
  say(id: string, text: string): Promise<void>;
  submit(id: string, value: Record<string, unknown>, replyToId?: string): Promise<void>;
  /** Files a report with sensible defaults; `what` is what tests look for in what reached whom. */
  report(id: string, fields: Record<string, string>): Promise<void>;
  /** The people whose personal chat got a new message containing `needle`, sorted. */
  reached(needle: string): string[];
}

export function textOf(call: RecordedCall): string {
  return JSON.stringify(call.body);
}

export async function loadNearMissOrg(t: TestApp): Promise<NearMissOrg> {
  const { people, by, base, submit } = await loadTestOrg(t, NEARMISS_CSV);
  return {
    people,
    by,
    say: async (id, text) => void (await t.post(personalMessage(teamsUserOf(by(id), base), text))),
    submit,
    report: (id, fields) =>
      submit(id, {
        verb: 'nearmiss.submit',
        date: '2026-11-25',
        time: '16:30',
        category: 'counter',
        impact: '1',
        cause: 'check',
        anonymous: 'false',
        ...fields,
      }),
    reached: (needle) =>
      people
        .filter((p) => t.connector.sent().some((c) => c.conversationId === conversationOf(p) && textOf(c).includes(needle)))
        .map((p) => p.id)
        .sort(),
  };
}
