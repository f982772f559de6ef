import { DateTime } from 'luxon';
import digestTemplate from '../../../cards/kudos/digest.card.json';
import formTemplate from '../../../cards/kudos/form.card.json';
import plusChooseTemplate from '../../../cards/kudos/plus-choose.card.json';
import plusTemplate from '../../../cards/kudos/plus.card.json';
import publicTemplate from '../../../cards/kudos/public.card.json';
import receivedTemplate from '../../../cards/kudos/received.card.json';
import sentTemplate from '../../../cards/kudos/sent.card.json';
import { fiscalPeriodLabelJa, type FiscalPeriod } from '../../calendar/office-calendar';
import { renderCard, renderFitting } from '../../cards/render-card';
import { formatDate, type Locale, type Translate } from '../../i18n/i18n';
import type { FormState } from '../../shared/card-form';
import type { Person } from '../../directory/org.schema';
import { KUDOS_LIMITS, VALUE_KEYS, type KudosRecord, type PlusEntry, type ValueKey } from './kudos.schema';
import { countByValue, valueLabel } from './kudos.service';

type Card = Record<string, unknown>;
const CIRCLED = ['①', '②', '③', '④', '⑤'];

/** The Data.Query dataset of the form's recipients: Teams asks the bot for it as the person types. */
export const KUDOS_PEOPLE_DATASET = 'kudos.people';

/** How many people the form lists itself, whatever the directory's size: Teams finds everyone else by type-ahead. */
export const LISTED_RECIPIENTS = 40;
/** Of those, at most this many recent recipients (the sender's own 課 fills the rest). */
const LISTED_RECENT = 15;
/** Recipients already chosen are always listed, so a returned form shows their names; a few more than may be sent. */
const LISTED_CHOSEN = KUDOS_LIMITS.recipients * 2;

/** By reading, as a person looks a name up: one collator, since localeCompare with a locale builds one per call. */
const byReading = new Intl.Collator('ja');
const readingOrder = (a: Person, b: Person): number => byReading.compare(a.kana ?? a.name, b.kana ?? b.name);

/** Whom `sender` can thank: the active directory without themself, by reading. */
export function recipientCandidates(sender: Person, directory: readonly Person[]): Person[] {
  return directory.filter((p) => p.active && p.id !== sender.id).sort(readingOrder);
}

/**
 * The form's own list, by reading: the recipients already chosen, then whom the sender thanked
 * recently, their manager and members, their group and their 課, up to LISTED_RECIPIENTS.
 */
export function formRecipients(sender: Person, directory: readonly Person[], recentIds: readonly string[], chosenIds: readonly string[]): Person[] {
  const candidates = new Map(directory.filter((p) => p.active && p.id !== sender.id).map((p) => [p.id, p]));
  const listed = new Map<string, Person>();
  const add = (people: Iterable<Person | undefined>, max = LISTED_RECIPIENTS): void => {
    let added = 0;
    for (const p of people) {
      if (listed.size >= LISTED_RECIPIENTS || added >= max) return;
      if (p && !listed.has(p.id)) {
        listed.set(p.id, p);
        added += 1;
      }
    }
  };
  add(
    chosenIds.map((id) => candidates.get(id)),
    LISTED_CHOSEN,
  );
  add(
    recentIds.map((id) => candidates.get(id)),
    LISTED_RECENT,
  );
  const everyone = [...candidates.values()];
  const colleagues = sender.unit ? everyone.filter((p) => p.unit === sender.unit).sort(readingOrder) : [];
  const members = everyone.filter((p) => p.managerId === sender.id).sort(readingOrder);
  add([sender.managerId ? candidates.get(sender.managerId) : undefined, ...members]);
  add(colleagues.filter((p) => sender.group !== undefined && p.group === sender.group));
  add(colleagues);
  return [...listed.values()].sort(readingOrder);
}

export function recipientChoice(p: Person): { title: string; value: string } {
  return { title: p.unit ? `${p.name}（${p.unit}）` : p.name, value: p.id };
}

/**
 * The kudos form. Recipients are a filtered multi-select whose static choices are `listed`
 * (formRecipients: a bounded few, so the card stays small at any directory size) and, in Teams, a
 * dynamic type-ahead over the whole directory (Data.Query, answered by kudos.search.ts). Clients
 * without it (the Agents Playground, older ones) ignore `choices.data`: they offer the listed people,
 * and anyone through `ありがとう @名前`, as the card says. The static list also gives Teams the names
 * of recipients already chosen when a form comes back.
 */
export function renderKudosForm(listed: readonly Person[], submitId: string, t: Translate, state?: FormState): Card {
  return renderCard(formTemplate, {
    title: t('kudos.form.title'),
    intro: t('kudos.form.intro'),
    formError: state?.formError ?? '',
    labels: {
      recipients: t('kudos.field.recipients'),
      recipientsHint: t('kudos.field.recipientsHint'),
      recipientsPlaceholder: t('kudos.field.recipientsPlaceholder'),
      recipientsMore: t('kudos.field.recipientsMore'),
      value: t('kudos.field.value'),
      valueHint: t('kudos.field.valueHint'),
      valuePlaceholder: t('kudos.field.valuePlaceholder'),
      message: t('kudos.field.message'),
      messageHint: t('kudos.field.messageHint'),
      public: t('kudos.field.public'),
      submit: t('kudos.submit'),
    },
    values: { recipients: '', value: '', message: '', public: 'false', ...state?.values },
    errors: { recipients: '', value: '', message: '', ...state?.errors },
    people: listed.map(recipientChoice),
    peopleDataset: KUDOS_PEOPLE_DATASET,
    valueChoices: VALUE_KEYS.map((value, i) => ({ title: `${CIRCLED[i] ? `${CIRCLED[i]} ` : ''}${valueLabel(value, t)}`, value })),
    submitId,
  });
}

export function renderReceivedCard(sender: Person, value: ValueKey, message: string, t: Translate): Card {
  return renderCard(receivedTemplate, {
    title: t('kudos.received.title'),
    from: t('kudos.received.from', { name: sender.name }),
    valueLine: `「${valueLabel(value, t)}」`,
    message,
    note: '',
  });
}

export function renderPublicCard(sender: Person, recipients: readonly Person[], value: ValueKey, message: string, t: Translate): Card {
  return renderCard(publicTemplate, {
    title: t('kudos.public.title'),
    from: t('kudos.public.from', { sender: sender.name, recipients: recipients.map((p) => p.name).join(t('kudos.nameSeparator')) }),
    valueLine: `「${valueLabel(value, t)}」`,
    message,
    note: t('kudos.public.note'),
  });
}

/** Replaces the form once sent: what went to whom, so the same card is not pressed again. */
export function renderSentCard(title: string, recipients: readonly Person[], value: ValueKey, message: string, notes: string[], t: Translate): Card {
  return renderCard(sentTemplate, {
    title,
    facts: [
      { label: t('kudos.fact.recipients'), value: recipients.map((p) => p.name).join('、') },
      { label: t('kudos.fact.value'), value: valueLabel(value, t) },
      { label: t('kudos.fact.message'), value: message },
    ],
    notes: notes.map((line) => ({ line })),
  });
}

export function periodLabel(period: FiscalPeriod, locale: Locale): string {
  return locale === 'ja' ? fiscalPeriodLabelJa(period) : `FY${period.fiscalYear} ${period.half === 'H1' ? 'first' : 'second'} half`;
}

export function monthLabel(month: string, locale: Locale): string {
  const dt = DateTime.fromISO(`${month}-01`);
  return locale === 'ja' ? `${dt.year}年${dt.month}月` : dt.setLocale('en-GB').toFormat('LLLL yyyy');
}

const shortDay = (day: string): string => `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}`;

export function renderPlusCard(
  member: Person,
  period: FiscalPeriod,
  kudos: readonly KudosRecord[],
  plus: readonly PlusEntry[],
  nameOf: (personId: string) => string,
  t: Translate,
  locale: Locale,
): Card {
  const line = (day: string, from: string, value: ValueKey, message: string) => ({
    line: `${shortDay(day)} ${nameOf(from)}「${valueLabel(value, t)}」${message}`,
  });
  const plusLines = plus.map((p) => line(p.day, p.managerId, p.value, p.message));
  const kudosLines = kudos.map((k) => line(k.day, k.senderId, k.value, k.message));
  const counts = countByValue(kudos).map((c) => ({ label: valueLabel(c.value, t), value: String(c.count) }));
  // A popular member's half can hold hundreds of 500-character messages: the newest that fit are
  // listed, プラス評価 first; the counts by value always cover everything.
  const render = (shown: number): Card => {
    const plusShown = Math.min(shown, plusLines.length);
    const kudosShown = Math.min(shown - plusShown, kudosLines.length);
    const hiddenPlus = plusLines.length - plusShown;
    const hiddenKudos = kudosLines.length - kudosShown;
    return renderCard(plusTemplate, {
      title: t('kudos.plus.title', { name: member.name }),
      period: t('kudos.plus.period', { label: periodLabel(period, locale), start: formatDate(period.start, locale), end: formatDate(period.end, locale) }),
      countsHeading: t('kudos.plus.counts'),
      counts,
      plusHeading: t('kudos.plus.plusHeading'),
      plus: plusLines.slice(hiddenPlus),
      emptyPlus: t('kudos.plus.empty'),
      kudosHeading: t('kudos.plus.kudosHeading'),
      kudos: kudosLines.slice(hiddenKudos),
      emptyKudos: t('kudos.plus.empty'),
      more: hiddenPlus + hiddenKudos > 0 ? t('kudos.plus.more', { plus: hiddenPlus, kudos: hiddenKudos }) : '',
    });
  };
  return renderFitting(plusLines.length + kudosLines.length, render).card;
}

/** How many members the プラス評価 chooser lists; a 課長 of a large 課 names anyone else with `プラス評価 @名前`. */
export const LISTED_MEMBERS = 50;

/** The manager's members to choose from: their direct reports first, then the rest of a 課長's 課, by reading. */
export function renderPlusChooser(manager: Person, members: readonly Person[], t: Translate): Card {
  const sorted = [...members].sort(readingOrder);
  const listed = [...sorted.filter((p) => p.managerId === manager.id), ...sorted.filter((p) => p.managerId !== manager.id)].slice(0, LISTED_MEMBERS);
  return renderCard(plusChooseTemplate, {
    title: t('kudos.plus.choose.title'),
    label: t('kudos.plus.choose.label'),
    hint: t('kudos.plus.choose.hint'),
    members: listed.map((p) => ({ title: p.group ? `${p.name}（${p.group}）` : p.name, value: p.id })),
    more: listed.length < members.length ? t('kudos.plus.choose.more', { shown: listed.length, total: members.length }) : '',
    submit: t('kudos.plus.choose.submit'),
  });
}

export function renderDigestCard(title: string, intro: string, records: readonly Pick<KudosRecord, 'value'>[], footer: string, t: Translate): Card {
  return renderCard(digestTemplate, {
    title,
    intro,
    counts: countByValue(records).map((c) => ({ label: valueLabel(c.value, t), value: String(c.count) })),
    footer,
  });
}
