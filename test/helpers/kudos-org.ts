import type { Person } from '../../src/directory/org.schema';
import { personalMessage } from './activities';
import { callText } from './oneonone-org';
import { conversationOf, loadTestOrg, teamsUserOf } from './people';
import type { TestApp } from './test-app';

/**
 * 建設課: 課長 M ← 主査 S ← 主任 L; 課長 M ← 主事 X. 総務課: 課長 M2 ← 主事 H. 副町長 DEP above both 課長.
 * So S is L's manager but not X's, and M2 manages nobody in 建設課.
 */
export const KUDOS_CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID
DEP,副町長 二郎,,,副町長,,00000000-0000-4000-8000-000000000002
M,建設 課長,建設課,,課長,DEP,00000000-0000-4000-8000-000000000003
S,土木 主査,建設課,土木,主査,M,00000000-0000-4000-8000-000000000004
L,土木 主任,建設課,土木,主任,S,00000000-0000-4000-8000-000000000005
X,建築 主事,建設課,建築,主事,M,00000000-0000-4000-8000-000000000006
M2,総務 課長,総務課,,課長,DEP,00000000-0000-4000-8000-000000000007
H,人事 主事,総務課,総務人事,主事,M2,00000000-0000-4000-8000-000000000008
`;

export const BOT_MENTION = { type: 'mention', mentioned: { id: '28:hibi-bot', name: 'hibi' }, text: '<at>hibi</at>' };

/** What /api/messages answered to an invoke: the HTTP status and the parsed body (undefined when empty). */
export interface InvokeAnswer {
  status: number;
  body: unknown;
}

export interface KudosOrg {
  by(id: string): Person;
  /** Where this tenant's activities come from, for building activities by hand. */
  base: { serviceUrl: string; tenantId: string };
  /** A Teams mention entity of a directory person, as Teams sends it: the 29: id and the name, no object id. */
  mention(id: string): { type: string; mentioned: { id: string; name: string }; text: string };
  /** Posts a message as the person with the given mention entities. */
  say(id: string, text: string, entities?: object[]): Promise<void>;
  /** The message activity `say` would post, to post it more than once (Teams redelivering it). */
  message(id: string, text: string, entities?: object[]): object;
  /** Teams' type-ahead invoke from a card's Data.Query, as the person types `queryText`; `tenantId` overrides where it comes from. */
  search(id: string, queryText: string, options?: { dataset?: string; tenantId?: string }): Promise<InvokeAnswer>;
  submit(id: string, value: Record<string, unknown>, replyToId?: string): Promise<void>;
  /** Everything the connector double got in the person's personal chat, as JSON text. */
  chat(id: string): string[];
}

export async function loadKudosOrg(t: TestApp, csv = KUDOS_CSV): Promise<KudosOrg> {
  const { people, by, base, submit } = await loadTestOrg(t, csv);
  const message = (id: string, text: string, entities: object[] = []): object => ({ ...personalMessage(teamsUserOf(by(id), base), text), entities });
  // Teams answers GET members/{29:id} with the object id; hibi maps mentions through it.
  for (const person of people) t.connector.addMember({ id: `29:${person.id}`, aadObjectId: person.aadObjectId, name: person.name });
  return {
    by,
    mention: (id) => ({ type: 'mention', mentioned: { id: `29:${id}`, name: by(id).name }, text: `<at>${by(id).name}</at>` }),
    base,
    say: async (id, text, entities = []) => void (await t.post(message(id, text, entities))),
    message,
    search: async (id, queryText, options = {}) => {
      const from = teamsUserOf(by(id), { ...base, tenantId: options.tenantId ?? base.tenantId });
      const { text: _text, ...activity } = personalMessage(from, '');
      const value = { queryText, queryOptions: { skip: 0, top: 15 }, dataset: options.dataset ?? 'kudos.people' };
      const response = await fetch(`${t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity, type: 'invoke', name: 'application/search', value }),
      });
      const body = await response.text();
      return { status: response.status, body: body ? (JSON.parse(body) as unknown) : undefined };
    },
    submit,
    chat: (id) => t.connector.calls.filter((c) => c.conversationId === conversationOf(by(id))).map(callText),
  };
}
