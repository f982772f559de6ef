import { parseOrgCsv } from '../../src/directory/org-csv';
import type { Person } from '../../src/directory/org.schema';
import { cardSubmit, personalInstall, type ActivityOptions } from './activities';
import type { TestApp } from './test-app';

/** The Teams side of a directory person: their 29: id and personal chat are derived from the person id. */
export function teamsUserOf(person: Person, base: Omit<ActivityOptions, 'user' | 'conversationId'>): ActivityOptions {
  return { ...base, user: { id: `29:${person.id}`, aadObjectId: person.aadObjectId }, conversationId: `a:personal-${person.id}` };
}

export function conversationOf(person: Person): string {
  return `a:personal-${person.id}`;
}

/** A hand-drawn directory loaded into the test app, every person with hibi installed in their chat. */
export interface TestOrg {
  people: Person[];
  by(id: string): Person;
  /** Where activities for this tenant come from (serviceUrl, tenant). */
  base: Omit<ActivityOptions, 'user' | 'conversationId'>;
  submit(id: string, value: Record<string, unknown>, replyToId?: string): Promise<void>;
}

export async function loadTestOrg(t: TestApp, csv: string): Promise<TestOrg> {
  const parsed = parseOrgCsv(csv);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const people = parsed.directory.people;
  await t.app.org.importDirectory(t.tenantId, parsed.directory);
  const base = { serviceUrl: t.connector.serviceUrl, tenantId: t.tenantId };
  const by = (id: string): Person => {
    const person = people.find((p) => p.id === id);
    if (!person) throw new Error(`no such test person ${id}`);
    return person;
  };
  for (const person of people) await t.post(personalInstall(teamsUserOf(person, base)));
  return {
    people,
    by,
    base,
    submit: async (id, value, replyToId) => void (await t.post(cardSubmit(teamsUserOf(by(id), base), value, replyToId))),
  };
}
