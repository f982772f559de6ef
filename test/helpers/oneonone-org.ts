import type { Person } from '../../src/directory/org.schema';
import { personalMessage } from './activities';
import type { RecordedCall } from './connector-double';
import { conversationOf, loadTestOrg, teamsUserOf } from './people';
import type { TestApp } from './test-app';

/**
 * A hand-drawn 建設課 for 1on1s: 課長 M has 主幹 C and 主事 X; C (a manager and a member) has 主査 S and
 * 主任 L; 副町長 DEP is M's manager but an executive, so M has no 1on1 pair. H is HR in 総務課 under M2.
 */
export const ONEONONE_CSV = `職員番号,氏名,所属,グループ,役職,上司,AADオブジェクトID,人事
MAY,町長 一郎,,,町長,,00000000-0000-4000-8000-000000000001,
DEP,副町長 二郎,,,副町長,MAY,00000000-0000-4000-8000-000000000002,
M,建設 課長,建設課,,課長,DEP,00000000-0000-4000-8000-000000000003,
C,土木 主幹,建設課,土木,主幹,M,00000000-0000-4000-8000-000000000004,
S,土木 主査,建設課,土木,主査,C,00000000-0000-4000-8000-000000000005,
L,土木 主任,建設課,土木,主任,C,00000000-0000-4000-8000-000000000006,
X,建築 主事,建設課,建築,主事,M,00000000-0000-4000-8000-000000000007,
M2,総務 課長,総務課,,課長,DEP,00000000-0000-4000-8000-000000000008,
H,人事 主事,総務課,総務人事,主事,M2,00000000-0000-4000-8000-000000000009,○
`;

export interface OneOnOneOrg {
  people: Person[];
  by(id: string): Person;
  /** Posts a command as the person; resolves once hibi answered. */
  say(id: string, text: string): Promise<void>;
  submit(id: string, value: Record<string, unknown>, replyToId?: string): Promise<void>;
  /** Everything the connector double got in the person's personal chat, as JSON text. */
  chat(id: string): string[];
}

export async function loadOneOnOneOrg(t: TestApp): Promise<OneOnOneOrg> {
  const org = await loadTestOrg(t, ONEONONE_CSV);
  return {
    people: org.people,
    by: org.by,
    say: async (id, text) => void (await t.post(personalMessage(teamsUserOf(org.by(id), org.base), text))),
    submit: org.submit,
    chat: (id) => t.connector.calls.filter((c) => c.conversationId === conversationOf(org.by(id))).map(callText),
  };
}

export function callText(call: RecordedCall): string {
  return JSON.stringify((call.body.attachments as { content: unknown }[] | undefined)?.[0]?.content ?? call.body.text ?? '');
}

type Card = Record<string, unknown>;

/** The card of the last message (sent, replied or updated) in a person's chat. */
export function lastCard(t: TestApp, person: Person): Card | undefined {
  const calls = t.connector.calls.filter((c) => c.conversationId === conversationOf(person));
  const attachments = calls.at(-1)?.body.attachments as { content: Card }[] | undefined;
  return attachments?.[0]?.content;
}

/** Every input of a card with its current value, wherever it sits in the layout. */
export function inputsOf(card: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (typeof element.type === 'string' && element.type.startsWith('Input.') && typeof element.id === 'string') out[element.id] = element.value;
    Object.values(element).forEach(walk);
  };
  walk(card);
  return out;
}

/** The data of every Action.Submit in a card (the verbs a person can press). */
export function submitsOf(card: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const element = node as Record<string, unknown>;
    if (element.type === 'Action.Submit' && typeof element.data === 'object' && element.data !== null) out.push(element.data as Record<string, unknown>);
    Object.values(element).forEach(walk);
  };
  walk(card);
  return out;
}
