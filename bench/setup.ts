import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ConversationReferencesRepository } from '../src/delivery/conversation-references.repository';
import type { Person } from '../src/directory/org.schema';

export { freePort } from '../test/helpers/free-port';

/** Runs `work` over `items`, `width` at a time: Azurite answers best to a steady, bounded stream. */
export async function inBatches<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

export const BENCH_BOT = { id: '28:hibi-bench', name: 'hibi' };
export const benchConversationOf = (tenantId: string, personId: string): string => `a:bench-${tenantId.slice(0, 8)}-${personId}`;

/** Everyone's personal chat, as if each had installed hibi: what a fan-out needs to reach them. */
export async function saveBenchReferences(
  references: ConversationReferencesRepository,
  tenantId: string,
  people: readonly Person[],
  serviceUrl: string,
): Promise<void> {
  await inBatches(people, 32, (person) =>
    references.save(
      tenantId,
      { kind: 'person', personId: person.id },
      {
        channelId: 'msteams',
        serviceUrl,
        conversationId: benchConversationOf(tenantId, person.id),
        conversationType: 'personal',
        botId: BENCH_BOT.id,
        userId: `29:${person.id}`,
      },
    ),
  );
}

/** A card submit from a person's personal chat, exactly as Teams posts it to /api/messages. */
export function cardSubmitActivity(tenantId: string, serviceUrl: string, person: Person, value: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'ja-JP',
    from: { id: `29:${person.id}`, name: person.name, aadObjectId: person.aadObjectId },
    recipient: BENCH_BOT,
    conversation: { id: benchConversationOf(tenantId, person.id), conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    value,
    replyToId: `card-${person.id}`,
  };
}

/** Other processes on the machine take the CPU the processes of a benchmark need, and the figures with it. */
export function loadLine(): string {
  const [one, five] = os.loadavg();
  return `1-min load average ${(one ?? 0).toFixed(2)}, 5-min ${(five ?? 0).toFixed(2)} (${os.cpus().length} cores)`;
}
