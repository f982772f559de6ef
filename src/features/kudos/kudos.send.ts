import { fiscalPeriodOf, tokyoDay } from '../../calendar/office-calendar';
import { toPerson, type Notification } from '../../delivery/notifier';
import { translator, type Translate } from '../../i18n/i18n';
import type { Person } from '../../directory/org.schema';
import { renderPublicCard, renderReceivedCard } from './kudos.cards';
import { kudosKeys, type KudosDeps } from './kudos.deps';
import type { ValueKey } from './kudos.schema';
import { isOwnMember, valueLabel } from './kudos.service';

export interface KudosDraft {
  submitId: string;
  recipients: Person[];
  value: ValueKey;
  message: string;
  public: boolean;
}

export interface PublicResult {
  posted: Person[];
  optedOut: Person[];
  noChannel: Person[];
}

const NOT_PUBLIC: PublicResult = { posted: [], optedOut: [], noChannel: [] };

/** foreignKey: the card's submit id is another sender's (a forged or copied card); nothing was written. */
export type SendOutcome = { kind: 'sent'; plusFor: Person[]; publicResult: PublicResult } | { kind: 'duplicate' } | { kind: 'limit' } | { kind: 'foreignKey' };

/** 「A さん、B」 in Japanese (the template adds the last さん), "A, B" in English. */
export const names = (people: readonly Person[], t: Translate): string => people.map((p) => p.name).join(t('kudos.nameSeparator'));

/**
 * Records and delivers one kudos. Every write is keyed by the submit id and the send is marked done
 * last, so a submit cut short and sent again completes it without a second kudos or notice.
 */
export async function sendKudos(deps: KudosDeps, tenantId: string, sender: Person, draft: KudosDraft, directory: readonly Person[]): Promise<SendOutcome> {
  if (await deps.kudos.wasSent(tenantId, sender.id, draft.submitId)) return { kind: 'duplicate' };
  const now = deps.clock.now();
  const day = tokyoDay(now);
  if ((await deps.kudos.sentOn(tenantId, sender.id, day)) >= deps.dailyLimit) return { kind: 'limit' };

  const createdAt = now.toISOString();
  const period = fiscalPeriodOf(day).id;
  const plusFor = draft.recipients.filter((r) => isOwnMember(sender, r));
  for (const recipient of draft.recipients) {
    const base = { day, submitId: draft.submitId, value: draft.value, message: draft.message, createdAt };
    if (!(await deps.kudos.saveKudos(tenantId, { ...base, recipientId: recipient.id, senderId: sender.id, public: draft.public, unit: recipient.unit ?? '' })))
      return { kind: 'foreignKey' };
    if (plusFor.includes(recipient) && !(await deps.kudos.savePlus(tenantId, { ...base, memberId: recipient.id, managerId: sender.id, period })))
      return { kind: 'foreignKey' };
  }

  const items = [...(await recipientCards(deps, tenantId, sender, draft)), ...(await managerNotes(deps, tenantId, sender, draft, directory))];
  const { items: posts, ...publicResult } = draft.public ? await publicPosts(deps, tenantId, sender, draft) : { ...NOT_PUBLIC, items: [] };
  await deps.notifier.send(tenantId, day, [...items, ...posts]);

  const ids = draft.recipients.map((r) => r.id);
  if (!(await deps.kudos.markSent(tenantId, sender.id, day, draft.submitId, ids, draft.value, createdAt))) return { kind: 'duplicate' };
  return { kind: 'sent', plusFor, publicResult };
}

async function recipientCards(deps: KudosDeps, tenantId: string, sender: Person, draft: KudosDraft): Promise<Notification[]> {
  return Promise.all(
    draft.recipients.map(async (recipient) => {
      const locale = await deps.localeOf(tenantId, recipient.id);
      const t = translator(locale);
      const card = renderReceivedCard(sender, draft.value, draft.message, t);
      return {
        key: kudosKeys.received(draft.submitId, recipient.id),
        to: toPerson(recipient.id),
        message: { card, summary: t('kudos.received.summary', { name: sender.name }) },
      };
    }),
  );
}

/** One note per manager, naming all of their people in this kudos; none to the sender themself. */
async function managerNotes(deps: KudosDeps, tenantId: string, sender: Person, draft: KudosDraft, directory: readonly Person[]): Promise<Notification[]> {
  const byManager = new Map<string, Person[]>();
  for (const recipient of draft.recipients) {
    const managerId = recipient.managerId;
    if (!managerId || managerId === sender.id) continue;
    byManager.set(managerId, [...(byManager.get(managerId) ?? []), recipient]);
  }
  const out: Notification[] = [];
  for (const [managerId, people] of byManager) {
    const manager = directory.find((p) => p.id === managerId && p.active);
    if (!manager) continue;
    const t = translator(await deps.localeOf(tenantId, manager.id));
    const text = t('kudos.managerNote', { sender: sender.name, recipients: names(people, t), value: valueLabel(draft.value, t) });
    out.push({ key: kudosKeys.managerNote(draft.submitId, manager.id), to: toPerson(manager.id), message: { text } });
  }
  return out;
}

/** A public kudos goes to each recipient's unit channel, leaving out whoever opted out of public posts. */
async function publicPosts(deps: KudosDeps, tenantId: string, sender: Person, draft: KudosDraft): Promise<PublicResult & { items: Notification[] }> {
  const result: PublicResult & { items: Notification[] } = { posted: [], optedOut: [], noChannel: [], items: [] };
  const byUnit = new Map<string, Person[]>();
  for (const recipient of draft.recipients) {
    if ((await deps.preferences.get(tenantId, recipient.id)).kudosPublicOptOut) result.optedOut.push(recipient);
    else byUnit.set(recipient.unit ?? '', [...(byUnit.get(recipient.unit ?? '') ?? []), recipient]);
  }
  const locale = await deps.orgLocale(tenantId);
  for (const [unit, people] of byUnit) {
    const channel = unit ? await deps.unitChannelOf(tenantId, unit) : undefined;
    if (!channel) {
      result.noChannel.push(...people);
      continue;
    }
    const card = renderPublicCard(sender, people, draft.value, draft.message, translator(locale));
    result.items.push({ key: kudosKeys.public(draft.submitId, unit), to: { kind: 'channel', ...channel }, message: { card } });
    result.posted.push(...people);
  }
  return result;
}
