import type { Mention } from '../routing/handler-context';
import type { Person } from './org.schema';

/** Mentioned Teams users as directory people, in the order written; a mention nobody matches is kept by its name. */
export function resolveMentions(mentions: readonly Mention[], directory: readonly Person[]): { found: Person[]; unknownNames: string[] } {
  const found: Person[] = [];
  const unknownNames: string[] = [];
  for (const mention of mentions) {
    const id = mention.aadObjectId?.toLowerCase();
    const person = id ? directory.find((p) => p.active && p.aadObjectId?.toLowerCase() === id) : undefined;
    if (!person) unknownNames.push(mention.name);
    else if (!found.includes(person)) found.push(person);
  }
  return { found, unknownNames };
}
