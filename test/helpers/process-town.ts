import { randomUUID } from 'node:crypto';
import { buildDemoOrg } from '../../src/directory/demo-org';
import { OrgRepository } from '../../src/directory/org.repository';
import type { OrgDirectory, Person } from '../../src/directory/org.schema';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { TABLES } from '../../src/storage/table-names';
import { personalInstall } from './activities';
import { ConnectorDouble, type RecordedCall } from './connector-double';
import type { ServerProcess } from './server-process';
import { testConnectionString } from './test-app';

/**
 * A tenant of the demo town for tests that run real server processes (server-process.ts) on the run's
 * Azurite. The servers serve every tenant of the shared Azurite that has org settings (other test
 * files' leftovers too), so what a test counts is this town's conversation ids, which only its own
 * double ever sees.
 */
export interface Town {
  tenantId: string;
  directory: OrgDirectory;
  double: ConnectorDouble;
  /** Conversation id of each person's personal chat with the bot. */
  conversationOf: Map<string, string>;
  personOf: Map<string, string>;
}

export const townTables = new TableClientFactory(testConnectionString());
const org = new OrgRepository(townTables);

function conversationIdOf(tenantId: string, personId: string): string {
  return `a:hibi-${tenantId}-${personId}`;
}

/**
 * The directory and a double for its Teams. No org settings yet: the servers' schedulers serve only
 * tenants that have them, so a town is switched on (openForBusiness) by the test that uses it, and no
 * other test's server ever prompts it.
 */
export async function newTown(directory: OrgDirectory = buildDemoOrg()): Promise<Town> {
  const tenantId = randomUUID();
  const double = new ConnectorDouble();
  await double.start();
  await org.importDirectory(tenantId, directory);
  const conversationOf = new Map(directory.people.map((p) => [p.id, conversationIdOf(tenantId, p.id)]));
  const personOf = new Map([...conversationOf].map(([personId, conversationId]) => [conversationId, personId]));
  return { tenantId, directory, double, conversationOf, personOf };
}

/** The Teams side of a person of the town: their 29: id and personal chat. */
export function townUser(town: Town, person: Person) {
  return {
    serviceUrl: town.double.serviceUrl,
    tenantId: town.tenantId,
    user: { id: `29:${town.tenantId}-${person.id}`, aadObjectId: person.aadObjectId },
    conversationId: town.conversationOf.get(person.id),
    locale: 'ja-JP',
  };
}

/** Posts an activity to a server process as Teams would; throws unless it answered 2xx. */
export async function postTo(server: ServerProcess, activity: object): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await response.text();
  if (!response.ok) throw new Error(`${server.name} answered ${response.status}`);
}

/** A personal install by each person, 16 at a time; the server stores the conversation references itself. */
export async function install(server: ServerProcess, town: Town, people: readonly Person[]): Promise<void> {
  const post = (person: Person): Promise<void> => postTo(server, personalInstall(townUser(town, person)));
  for (let i = 0; i < people.length; i += 16) await Promise.all(people.slice(i, i + 16).map(post));
}

export async function openForBusiness(town: Town): Promise<void> {
  await org.saveSettings(town.tenantId, { defaultLocale: 'ja' });
}

/** Off the schedulers' list again: later test files' servers serve every tenant with org settings. */
export async function closeForBusiness(town: Town): Promise<void> {
  await townTables
    .table(TABLES.orgSettings)
    .deleteEntity(town.tenantId, 'org')
    .catch(() => undefined);
}

export async function storedReferences(tenantId: string): Promise<number> {
  let count = 0;
  for await (const _ of townTables.table(TABLES.conversations).listEntities({ queryOptions: { filter: `PartitionKey eq '${tenantId}'` } })) count += 1;
  return count;
}

/** Sends Teams answered with a 2xx, for this town's conversations. Held-and-abandoned requests are not in `calls`. */
export function delivered(town: Town): RecordedCall[] {
  return town.double.calls.filter((call) => call.kind === 'send' && call.conversationId !== undefined && town.personOf.has(call.conversationId));
}

export function byPerson(town: Town, calls: readonly RecordedCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const personId = town.personOf.get(call.conversationId ?? '') ?? '?';
    counts.set(personId, (counts.get(personId) ?? 0) + 1);
  }
  return counts;
}

export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  state: () => string | Promise<string> = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${what}. ${await state()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** SIGTERM: finishes what is in flight and exits 0, so every log line is flushed. */
export async function stopGracefully(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
}
