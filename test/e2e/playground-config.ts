import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OrgDirectory, Person } from '../../src/directory/org.schema';

/**
 * The Playground fixes "who you are" per process, from its config file, so each person the e2e
 * tests play gets a Playground of their own with a config written here from the demo directory
 * (ids and names are never copied by hand, so they cannot drift from buildDemoOrg).
 */

/** Same value as .m365agentsplayground.yml and hibi's DEV_TENANT_ID default. */
export const PLAYGROUND_TENANT_ID = '00000000-0000-0000-0000-0000000000001';
const BOT_ID = '00000000-0000-0000-0000-00000000000011';
/** Schema 0.1.1 refuses any other count. */
const USER_COUNT = 5;

function person(directory: OrgDirectory, id: string): Person {
  const found = directory.people.find((p) => p.id === id);
  if (!found) throw new Error(`demo directory has no ${id}`);
  return found;
}

/** A Playground user; `id` = aadObjectId so hibi finds the person by either (see the repo's yml). */
function teamsUser(p: Person): Record<string, string> {
  // Without an AAD object id hibi could never recognise the person, so the test would be meaningless.
  if (!p.aadObjectId) throw new Error(`${p.id} has no aadObjectId`);
  const [surname = p.name, givenName = p.name] = p.name.split(' ');
  const email = p.email ?? `${p.id.toLowerCase()}@example.com`;
  return { id: p.aadObjectId, name: p.name, userPrincipleName: email, aadObjectId: p.aadObjectId, givenName, surname, email };
}

/** The title of the person's group chat in the Playground's chat list (hibi and the listed users are in it). */
export function groupChatName(personId: string): string {
  return `e2e ${personId}`;
}

/**
 * Writes a config where `currentId` is the signed-in user and `others` (padded from the directory)
 * are the rest of the tenant. Returns the file's path.
 */
export function writePlaygroundConfig(dir: string, directory: OrgDirectory, currentId: string, others: readonly string[]): string {
  const fillers = directory.people.map((p) => p.id).filter((id) => id !== currentId && !others.includes(id));
  const userIds = [...others, ...fillers].slice(0, USER_COUNT);
  const slug = currentId.toLowerCase();
  const config = {
    version: '0.1.1',
    tenantId: PLAYGROUND_TENANT_ID,
    bot: { id: BOT_ID, name: 'hibi' },
    currentUser: teamsUser(person(directory, currentId)),
    users: userIds.map((id) => teamsUser(person(directory, id))),
    personalChat: { id: `personal-chat-${slug}` },
    groupChat: { id: `19:e2e-group-${slug}@thread.v2`, name: groupChatName(currentId) },
    team: {
      id: `19:e2e-team-${slug}@thread.tacv2`,
      name: `e2e ${currentId}`,
      aadGroupId: '00000000-0000-0000-0000-000000000031',
      channels: [{ id: `19:e2e-channel-${slug}@thread.tacv2`, name: 'e2e' }],
    },
  };
  const file = path.join(dir, `playground-${slug}.yml`);
  // JSON is YAML too; writing it avoids a YAML dependency for a generated file nobody edits.
  writeFileSync(file, `# written by test/e2e/playground-config.ts\n${JSON.stringify(config, null, 2)}\n`);
  return file;
}
