import { tokyoDay } from '../../calendar/office-calendar';
import { translator, type Locale } from '../../i18n/i18n';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import { monthLabel, stepLine, who } from './ojt.cards';
import type { OjtRepository } from './ojt.repository';
import { inForceOn, lastProgress, nextStep } from './ojt.rules';

/** A section for another feature's card, already in the reader's language. */
export interface OjtSummary {
  heading: string;
  facts: { label: string; value: string }[];
}

/**
 * The public face of OJT for the 1on1: a member's plan as goals, next due step and last progress,
 * for their 1on1 agenda and their manager's reminder. Nothing when they have no plan in force.
 */
export function ojtSummaryOf(deps: { ojt: OjtRepository; org: OrgRepository; clock: Clock }) {
  return async (tenantId: string, memberId: string, locale: Locale): Promise<OjtSummary | undefined> => {
    const day = tokyoDay(deps.clock.now());
    const assignment = await deps.ojt.assignment(tenantId, memberId);
    if (!assignment || !inForceOn(assignment, day)) return undefined;
    const plan = await deps.ojt.plan(tenantId, memberId);
    if (!plan) return undefined;
    const t = translator(locale);
    const [mentor, progress] = await Promise.all([deps.org.getPerson(tenantId, assignment.mentorId), deps.ojt.progressOf(tenantId, memberId)]);
    const next = nextStep(plan.steps);
    const last = lastProgress(progress, day);
    return {
      heading: t('ojt.agenda.heading', { mentor: mentor ? who(mentor, t) : '' }),
      facts: [
        { label: t('ojt.agenda.goals'), value: plan.goals },
        { label: t('ojt.agenda.next'), value: next ? stepLine(next, t, locale) : t('ojt.agenda.allDone') },
        {
          label: t('ojt.agenda.last'),
          value: last
            ? t('ojt.agenda.lastValue', {
                month: monthLabel(last.month, t),
                done: last.doneSteps.length,
                total: plan.steps.length,
                comment: last.comment ?? '',
              }).trim()
            : t('ojt.agenda.noProgress'),
        },
      ],
    };
  };
}
