import type { ActivityOptions } from './activities';
import type { Person } from '../../src/features/org/org.schema';

/** The Teams side of a directory person: their 29: id and personal chat are derived from the person id. */
export function teamsUserOf(person: Person, base: Omit<ActivityOptions, 'user' | 'conversationId'>): ActivityOptions {
  return { ...base, user: { id: `29:${person.id}`, aadObjectId: person.aadObjectId }, conversationId: `a:personal-${person.id}` };
}

export function conversationOf(person: Person): string {
  return `a:personal-${person.id}`;
}
