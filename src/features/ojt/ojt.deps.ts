import type { Mention } from '../../bot/handler-context';
import type { Notifier } from '../../delivery/notifier';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../org/org.repository';
import type { Person } from '../org/org.schema';
import type { PersonLocale } from '../preferences/locale-resolver';
import type { OjtRepository } from './ojt.repository';

export interface OjtDeps {
  ojt: OjtRepository;
  org: OrgRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  clock: Clock;
}

/** Outbox keys: a re-submitted card or a re-run job never sends the same notice twice. */
export const ojtKeys = {
  assigned: (juniorId: string, mentorId: string, day: string) => `ojt.assigned|${juniorId}|${mentorId}|${day}`,
  plan: (juniorId: string, formId: string) => `ojt.plan|${juniorId}|${formId}`,
  progress: (month: string, juniorId: string) => `ojt.progress|${month}|${juniorId}`,
};

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
