import type { Person } from '../../src/directory/org.schema';
import { personalMessage } from './activities';
import type { RecordedCall } from './connector-double';
import { conversationOf, loadTestOrg, teamsUserOf } from './people';
import type { TestApp } from './test-app';

/**
 * One 建設課 line with every role the access table names, each person distinct, plus another 課 and HR:
 * 副町長 DEP ← 課長 M ← 主幹 C ← 主任 L ← 主事 ST (the member whose data is read) and 主事 P (a colleague);
 * M ← 主査 S (another group) ← 主事 K; 総務課: DEP ← 課長 M2 ← 主査 H (人事). So L is ST's manager and
 * 1on1 partner and the 主任 the escalation table names for ST, C is ST's manager's manager (not a
 * 課長), and M is the 課長 of ST's unit. Real-looking names, so a log scan for names means something.
 */
export const ACCESS_CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
DEP,大野 進,,,副町長,,00000000-0000-4000-8000-00000000ac01,
M,北村 誠,建設課,,課長,DEP,00000000-0000-4000-8000-00000000ac02,
C,西田 洋子,建設課,土木,主幹,M,00000000-0000-4000-8000-00000000ac03,
L,南 拓也,建設課,土木,主任,C,00000000-0000-4000-8000-00000000ac04,
ST,東山 葵,建設課,土木,主事,L,00000000-0000-4000-8000-00000000ac05,
P,森下 蓮,建設課,土木,主事,L,00000000-0000-4000-8000-00000000ac06,
S,川口 理恵,建設課,建築,主査,M,00000000-0000-4000-8000-00000000ac07,
K,松井 陽太,建設課,建築,主事,S,00000000-0000-4000-8000-00000000ac08,
M2,小林 浩,総務課,,課長,DEP,00000000-0000-4000-8000-00000000ac09,
H,山本 千尋,総務課,総務人事,主査,M2,00000000-0000-4000-8000-00000000ac10,○
`;

export interface AccessOrg {
  people: Person[];
  by(id: string): Person;
  /** Posts a message as the person; `mentions` are directory ids, sent as Teams mention entities. */
  say(id: string, text: string, mentions?: string[]): Promise<void>;
  submit(id: string, value: Record<string, unknown>, replyToId?: string): Promise<void>;
  /** Every call that reached the person's personal chat (sent, replied, updated), as JSON text, in order. */
  chat(id: string): string[];
}

export function bodyText(call: RecordedCall): string {
  return JSON.stringify(call.body);
}

export async function loadAccessOrg(t: TestApp): Promise<AccessOrg> {
  const { people, by, base, submit } = await loadTestOrg(t, ACCESS_CSV);
  // Teams answers GET members/{29:id} with the object id; hibi maps mentions through it.
  for (const person of people) t.connector.addMember({ id: `29:${person.id}`, aadObjectId: person.aadObjectId, name: person.name });
  const mention = (id: string) => ({ type: 'mention', mentioned: { id: `29:${id}`, name: by(id).name }, text: `<at>${by(id).name}</at>` });
  return {
    people,
    by,
    say: async (id, text, mentions = []) => void (await t.post({ ...personalMessage(teamsUserOf(by(id), base), text), entities: mentions.map(mention) })),
    submit,
    chat: (id) => t.connector.calls.filter((c) => c.conversationId === conversationOf(by(id))).map(bodyText),
  };
}
