import type { OutgoingMessage } from '../../delivery/delivery.types';
import type { Notifier } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import type { Person } from '../../directory/org.schema';
import type { PersonLocale } from '../../preferences/locale-resolver';
import { renderReportView } from './nearmiss.cards';
import type { NearMiss } from './nearmiss.schema';
import { canAct } from './nearmiss.service';

/**
 * Outbox keys. None holds the reporter: a recipient's card is keyed by report and recipient, a
 * notice to a (named) reporter by report and step, so an anonymous report's rows point at nobody.
 */
export const nearmissKeys = {
  report: (id: string, recipientId: string) => `nearmiss.report|${id}|${recipientId}`,
  step: (id: string, step: 'acknowledged' | 'decided' | 'shared') => `nearmiss.step|${id}|${step}`,
};

export interface ViewDeps {
  notifier: Notifier;
  localeOf: PersonLocale;
}

/** The report as `viewer` sees it, in their language; buttons only for those it was routed to. */
export async function viewFor(
  deps: Pick<ViewDeps, 'localeOf'>,
  tenantId: string,
  viewer: Person,
  report: NearMiss,
  byId: ReadonlyMap<string, Person>,
): Promise<OutgoingMessage> {
  const locale = await deps.localeOf(tenantId, viewer.id);
  const t = translator(locale);
  const reporter = report.reporterId ? byId.get(report.reporterId) : undefined;
  const card = renderReportView(report, t, locale, { reporter, byId, canAct: canAct(report, viewer) });
  return { card, summary: t('nearmiss.view.title', { id: report.id }) };
}

/** Every recipient's card, where it was sent on the day of the report, rewritten to show the report as it is now. */
export async function refreshRecipientCards(deps: ViewDeps, report: NearMiss, byId: ReadonlyMap<string, Person>): Promise<void> {
  for (const recipientId of report.recipientIds) {
    const recipient = byId.get(recipientId);
    if (!recipient) continue;
    await deps.notifier.update(
      report.tenantId,
      report.day,
      nearmissKeys.report(report.id, recipientId),
      await viewFor(deps, report.tenantId, recipient, report, byId),
    );
  }
}
