import type { Notifier } from '../../delivery/notifier';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import type { PersonLocale } from '../../preferences/locale-resolver';
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
