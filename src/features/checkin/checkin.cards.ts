import eveningTemplate from '../../../cards/checkin/evening.card.json';
import helpRequestTemplate from '../../../cards/checkin/help-request.card.json';
import morningTemplate from '../../../cards/checkin/morning.card.json';
import savedTemplate from '../../../cards/checkin/saved.card.json';
import summaryTemplate from '../../../cards/checkin/summary.card.json';
import { renderCard, renderFitting } from '../../cards/render-card';
import { formatDate, formatTime, type Locale, type MessageKey, type Translate } from '../../i18n/i18n';
import type { FormState } from '../../shared/card-form';
import type { Person } from '../../directory/org.schema';
import type { CheckinRecord, Slot } from './checkin.schema';
import { FIELDS, type UnitSummary } from './checkin.service';

const SCALE = [1, 2, 3, 4, 5].map((n) => ({ title: String(n), value: String(n) }));

function blank(slot: Slot): Record<string, string> {
  return Object.fromEntries(FIELDS[slot].map((f) => [f, slot === 'morning' && f === 'needHelp' ? 'false' : '']));
}

/** A 1on1 action the person let pass its due date, with the submit data of its 完了 button. */
export interface OverdueActionLine {
  text: string;
  due: string;
  markDone: Record<string, string>;
}

/**
 * The morning or evening form; with `state` it comes back with the typed values and field errors.
 * The morning prompt also lists the person's overdue 1on1 actions, each with its 完了 button.
 */
export function renderCheckinForm(
  slot: Slot,
  day: string,
  t: Translate,
  locale: Locale,
  state?: FormState,
  overdue: readonly OverdueActionLine[] = [],
): Record<string, unknown> {
  const values = { ...blank(slot), ...(state?.values ?? {}) };
  const errors = Object.fromEntries(FIELDS[slot].map((f) => [f, state?.errors[f] ?? '']));
  const common = {
    dayLabel: formatDate(day, locale),
    day,
    formError: state ? (state.formError ?? t('checkin.formError')) : '',
    values,
    errors,
    scale: SCALE,
  };
  if (slot === 'morning') {
    return renderCard(morningTemplate, {
      ...common,
      title: t('checkin.morning.title'),
      labels: {
        priority: t('checkin.field.priority'),
        purpose: t('checkin.field.purpose'),
        trouble: t('checkin.field.trouble'),
        needHelp: t('checkin.field.needHelp'),
        condition: t('checkin.field.condition'),
        requiredHint: t('checkin.requiredHint'),
        submit: t('checkin.submit'),
        overdue: t('oneonone.overdueActions'),
        done: t('oneonone.action.done'),
      },
      overdue: overdue.map((a) => ({ line: t('oneonone.overdueActionLine', { text: a.text, day: formatDate(a.due, locale) }), markDone: a.markDone })),
    });
  }
  return renderCard(eveningTemplate, {
    ...common,
    title: t('checkin.evening.title'),
    labels: {
      done: t('checkin.field.done'),
      carryOver: t('checkin.field.carryOver'),
      overtime: t('checkin.field.overtime'),
      overtimePlaceholder: '0',
      satisfaction: t('checkin.field.satisfaction'),
      learning: t('checkin.field.learning'),
      requiredHint: t('checkin.requiredHint'),
      submit: t('checkin.submit'),
      nearMiss: t('checkin.nearMiss'),
    },
  });
}

function factValue(field: string, value: string | number | boolean | undefined, t: Translate): string {
  if (typeof value === 'boolean') return value ? t('checkin.yes') : t('checkin.no');
  if (field === 'overtime' && typeof value === 'number') return t('checkin.overtimeValue', { minutes: value });
  return String(value);
}

function facts(slot: Slot, answers: CheckinRecord['answers'], t: Translate): { label: string; value: string }[] {
  return FIELDS[slot].flatMap((field) => {
    const value = answers[field];
    if (value === undefined || value === '' || (field === 'needHelp' && value === false)) return [];
    return [{ label: t(`checkin.field.${field}` as MessageKey).replace(/（.*?）|\s*\(.*?\)/g, ''), value: factValue(field, value, t) }];
  });
}

/** Replaces the form after a submit: what was recorded, so the same card cannot be sent twice. */
export function renderSavedCard(
  record: CheckinRecord,
  t: Translate,
  locale: Locale,
  note: string,
  overdue: readonly { text: string; due: string }[] = [],
): Record<string, unknown> {
  const updated = record.updatedAt !== record.createdAt ? ` ${t('checkin.saved.updated', { time: formatTime(new Date(record.updatedAt), locale) })}` : '';
  return renderCard(savedTemplate, {
    title: `${t(record.slot === 'morning' ? 'checkin.saved.morning' : 'checkin.saved.evening')}${updated}`,
    dayLabel: formatDate(record.day, locale),
    facts: facts(record.slot, record.answers, t),
    note,
    overdueHeading: t('oneonone.overdueActions'),
    overdue: overdue.map((a) => ({ line: t('oneonone.overdueActionLine', { text: a.text, day: formatDate(a.due, locale) }) })),
  });
}

export function renderHelpRequestCard(
  reporter: Person,
  record: CheckinRecord,
  t: Translate,
  locale: Locale,
  takenBy: Person | undefined,
): Record<string, unknown> {
  return renderCard(helpRequestTemplate, {
    title: t('checkin.help.title'),
    who: t('checkin.help.who', {
      unit: [reporter.unit, reporter.group].filter(Boolean).join(' '),
      role: t(`role.${reporter.role}` as MessageKey),
      name: reporter.name,
      day: formatDate(record.day, locale),
    }),
    facts: facts('morning', record.answers, t).filter((f) => f.value !== t('checkin.yes')),
    takenNote: takenBy ? t('checkin.help.takenBy', { name: takenBy.name }) : '',
    takeLabel: t('checkin.help.take'),
    day: record.day,
    unit: record.unit,
    reporterId: record.personId,
  });
}

/**
 * The unit's summary for its 課長 (and channel). The counts are always whole; troubles (open help
 * requests first) and then the names of who has not answered are listed as far as the card's budget
 * goes, with how many were left out: a 課 of 2,000 would otherwise make a card Teams refuses.
 */
export function renderSummaryCard(summary: UnitSummary, t: Translate, locale: Locale, labels: SummaryLabels): Record<string, unknown> {
  const counts = [
    { label: labels.answered, value: `${summary.answered.length} / ${summary.members}` },
    { label: labels.notAnswered, value: String(summary.notAnswered.length) },
    { label: labels.onLeave, value: String(summary.onLeave.length) },
  ];
  if (summary.averageScore !== undefined) counts.push({ label: labels.average, value: summary.averageScore.toFixed(1) });
  const open = (tr: UnitSummary['troubles'][number]): boolean => tr.needHelp && !tr.takenBy;
  const troubles = [...summary.troubles.filter(open), ...summary.troubles.filter((tr) => !open(tr))].map((tr) => ({
    line: `${tr.person.name}: ${tr.text}${tr.needHelp ? ` ${tr.takenBy ? t('checkin.help.takenBy', { name: tr.takenBy.name }) : labels.helpOpen}` : ''}`,
  }));
  const names = summary.notAnswered.map((p) => p.name);
  const render = (shown: number): Record<string, unknown> => {
    const troublesShown = Math.min(shown, troubles.length);
    const namesShown = Math.min(shown - troublesShown, names.length);
    const listed = names.slice(0, namesShown).join('、');
    const hiddenNames = names.length - namesShown;
    const namesText =
      hiddenNames === 0
        ? listed
        : listed
          ? t('checkin.summary.namesAndMore', { names: listed, count: hiddenNames })
          : t('checkin.summary.people', { count: hiddenNames });
    return renderCard(summaryTemplate, {
      title: labels.title,
      dayLabel: formatDate(summary.day, locale),
      counts,
      troublesHeading: troubles.length > 0 ? labels.troubles : '',
      troubles: troubles.slice(0, troublesShown),
      troublesMore: troublesShown < troubles.length ? t('checkin.summary.moreTroubles', { count: troubles.length - troublesShown }) : '',
      notAnsweredLine: names.length > 0 ? `${labels.notAnswered}: ${namesText}` : '',
    });
  };
  return renderFitting(troubles.length + names.length, render).card;
}

export interface SummaryLabels {
  title: string;
  answered: string;
  notAnswered: string;
  onLeave: string;
  average: string;
  troubles: string;
  helpOpen: string;
}
