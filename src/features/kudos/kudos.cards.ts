import { DateTime } from 'luxon';
import digestTemplate from '../../../cards/kudos/digest.card.json';
import formTemplate from '../../../cards/kudos/form.card.json';
import plusChooseTemplate from '../../../cards/kudos/plus-choose.card.json';
import plusTemplate from '../../../cards/kudos/plus.card.json';
import publicTemplate from '../../../cards/kudos/public.card.json';
import receivedTemplate from '../../../cards/kudos/received.card.json';
import sentTemplate from '../../../cards/kudos/sent.card.json';
import { fiscalPeriodLabelJa, type FiscalPeriod } from '../../calendar/office-calendar';
import { renderCard } from '../../cards/render-card';
import { formatDate, type Locale, type Translate } from '../../i18n/i18n';
import type { Person } from '../org/org.schema';
import { FORM_FIELDS, VALUE_KEYS, type KudosRecord, type PlusEntry, type ValueKey } from './kudos.schema';
import { countByValue, valueLabel } from './kudos.service';

type Card = Record<string, unknown>;
const CIRCLED = ['①', '②', '③', '④', '⑤'];

export interface FormState {
  values: Partial<Record<(typeof FORM_FIELDS)[number], string>>;
  errors: Partial<Record<(typeof FORM_FIELDS)[number], string>>;
  formError: string;
}

/** The Data.Query dataset of the form's recipients: Teams asks the bot for it as the person types. */
export const KUDOS_PEOPLE_DATASET = 'kudos.people';

/** Whom `sender` can thank: the active directory without themself, by reading. */
export function recipientCandidates(sender: Person, directory: readonly Person[]): Person[] {
  return directory.filter((p) => p.active && p.id !== sender.id).sort((a, b) => (a.kana ?? a.name).localeCompare(b.kana ?? b.name, 'ja'));
}

export function recipientChoice(p: Person): { title: string; value: string } {
  return { title: p.unit ? `${p.name}（${p.unit}）` : p.name, value: p.id };
}

/**
 * The kudos form. Recipients are a filtered multi-select over the directory, and in Teams also a
 * dynamic type-ahead (Data.Query, answered by kudos.search.ts). Clients without it (the Agents
 * Playground, older ones) ignore `choices.data` and filter the static list, ~120 people, which fits a card;
 * the static list also gives Teams the names of recipients already chosen when a form comes back.
 */
export function renderKudosForm(sender: Person, directory: readonly Person[], submitId: string, t: Translate, state?: FormState): Card {
  const people = recipientCandidates(sender, directory).map(recipientChoice);
  return renderCard(formTemplate, {
    title: t('kudos.form.title'),
    intro: t('kudos.form.intro'),
    formError: state?.formError ?? '',
    labels: {
      recipients: t('kudos.field.recipients'),
      recipientsHint: t('kudos.field.recipientsHint'),
      recipientsPlaceholder: t('kudos.field.recipientsPlaceholder'),
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
    people,
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
  const line = (day: string, from: string, value: ValueKey, message: string) => ({ line: `${shortDay(day)} ${nameOf(from)}「${valueLabel(value, t)}」${message}` });
  return renderCard(plusTemplate, {
    title: t('kudos.plus.title', { name: member.name }),
    period: t('kudos.plus.period', { label: periodLabel(period, locale), start: formatDate(period.start, locale), end: formatDate(period.end, locale) }),
    countsHeading: t('kudos.plus.counts'),
    counts: countByValue(kudos).map((c) => ({ label: valueLabel(c.value, t), value: String(c.count) })),
    plusHeading: t('kudos.plus.plusHeading'),
    plus: plus.map((p) => line(p.day, p.managerId, p.value, p.message)),
    emptyPlus: t('kudos.plus.empty'),
    kudosHeading: t('kudos.plus.kudosHeading'),
    kudos: kudos.map((k) => line(k.day, k.senderId, k.value, k.message)),
    emptyKudos: t('kudos.plus.empty'),
  });
}

export function renderPlusChooser(members: readonly Person[], t: Translate): Card {
  return renderCard(plusChooseTemplate, {
    title: t('kudos.plus.choose.title'),
    label: t('kudos.plus.choose.label'),
    hint: t('kudos.plus.choose.hint'),
    members: members.map((p) => ({ title: p.group ? `${p.name}（${p.group}）` : p.name, value: p.id })),
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
