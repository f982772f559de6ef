/** The cards of one 1on1 itself: the member's agenda, the manager's reminder, the record and its view. */
import agendaTemplate from '../../../cards/oneonone/agenda.card.json';
import recordViewTemplate from '../../../cards/oneonone/record-view.card.json';
import recordTemplate from '../../../cards/oneonone/record.card.json';
import reminderTemplate from '../../../cards/oneonone/reminder.card.json';
import { renderCard } from '../../cards/render-card';
import { formatDate, type Locale, type MessageKey, type Translate } from '../../i18n/i18n';
import type { Person } from '../../directory/org.schema';
import { who, whenOf, type FormState } from './oneonone.cards';
import type { AgendaSection } from './oneonone.deps';
import { ACTION_ROWS, AGENDA_FIELDS, type ActionItem, type Agenda, type Meeting, type MeetingRef, type RecordBody } from './oneonone.schema';
import { actionKeyOf, canMarkDone } from './oneonone.service';
import type { PairTexts } from './private-texts.repository';

type Card = Record<string, unknown>;
type Fact = { label: string; value: string };

export function actionLine(item: ActionItem, t: Translate, locale: Locale): string {
  const due = item.due ? t('oneonone.actionDue', { day: formatDate(item.due, locale) }) : '';
  const line = t('oneonone.actionLine', { text: item.text, owner: t(`oneonone.owner.${item.owner}`), due });
  return item.doneAt ? `${line} ${t('oneonone.actionDoneMark', { day: formatDate(new Date(item.doneAt), locale) })}` : line;
}

/** An agreed action as a card lists it, with the 完了 button when the viewer may press it. */
export interface ActionRow {
  line: string;
  canMark: boolean;
  markDone: Record<string, string>;
}

/** The actions of one 1on1's record for `viewerId`, who must be one of the pair. */
export function actionRows(actions: readonly ActionItem[], ref: MeetingRef, viewerId: string, t: Translate, locale: Locale): ActionRow[] {
  return actions.map((item) => {
    const canMark = !item.doneAt && canMarkDone(item, ref, viewerId);
    const markDone: Record<string, string> = canMark
      ? { verb: 'oneonone.action.done', managerId: ref.managerId, memberId: ref.memberId, meetingId: ref.meetingId, action: actionKeyOf(item) }
      : {};
    return { line: actionLine(item, t, locale), canMark, markDone };
  });
}

/** The member's agenda form; `heading` says why it came (booked, moved, the day-before prompt). */
export function renderAgendaCard(
  args: { meeting: Meeting; manager: Person; heading: string; agenda?: Agenda; openActions?: readonly ActionRow[]; note?: string; ojt?: AgendaSection },
  state: FormState | undefined,
  t: Translate,
): Card {
  const stored = Object.fromEntries(AGENDA_FIELDS.map((f) => [f, args.agenda?.[f] ?? '']));
  return renderCard(agendaTemplate, {
    title: t('oneonone.agenda.title'),
    when: args.heading,
    intro: t('oneonone.agenda.intro'),
    formError: state ? t('oneonone.formError') : '',
    note: args.note ?? '',
    ojtHeading: args.ojt?.heading ?? '',
    ojtFacts: args.ojt?.facts ?? [],
    managerId: args.meeting.managerId,
    meetingId: args.meeting.meetingId,
    labels: {
      topics: t('oneonone.field.topics'),
      progress: t('oneonone.field.progress'),
      worries: t('oneonone.field.worries'),
      save: t('oneonone.agenda.save'),
      openActions: t('oneonone.agenda.openActions'),
      done: t('oneonone.action.done'),
    },
    openActions: args.openActions ?? [],
    values: { ...stored, ...(state?.values ?? {}) },
    errors: Object.fromEntries(AGENDA_FIELDS.map((f) => [f, state?.errors[f] ?? ''])),
  });
}

export function agendaFacts(agenda: Agenda | undefined, t: Translate): Fact[] {
  return AGENDA_FIELDS.flatMap((f) => (agenda?.[f] ? [{ label: t(`oneonone.field.${f}`), value: agenda[f] as string }] : []));
}

/** The manager's reminder with the member's agenda, and 記録する for once the 1on1 has begun. */
export function renderReminderCard(title: string, meeting: Meeting, member: Person, agenda: Agenda | undefined, t: Translate, ojt?: AgendaSection): Card {
  return renderCard(reminderTemplate, {
    title,
    agendaHeading: t('oneonone.agenda.heading', { name: member.name }),
    agenda: agendaFacts(agenda, t),
    noAgenda: t('oneonone.agenda.empty'),
    ojtHeading: ojt?.heading ?? '',
    ojtFacts: ojt?.facts ?? [],
    recordHint: t('oneonone.reminder.recordHint'),
    managerId: meeting.managerId,
    memberId: meeting.memberId,
    meetingId: meeting.meetingId,
    labels: { record: t('oneonone.action.record') },
  });
}

const SCALE = [1, 2, 3, 4, 5].map((n) => ({ title: String(n), value: String(n) }));

/** The manager's record form, prefilled with the member's agenda (and the record so far, if any). */
export function renderRecordForm(meeting: Meeting, member: Person, texts: PairTexts, state: FormState | undefined, t: Translate, locale: Locale): Card {
  const record = texts.record;
  const stored: Record<string, string> = {
    good: record?.good ?? '',
    expectations: record?.expectations ?? '',
    achievement: record?.achievement ? String(record.achievement) : '',
    worriesResponse: record?.worriesResponse ?? '',
    next: record?.next ?? '',
  };
  const values = { ...stored, ...(state?.values ?? {}) };
  const actionRows = Array.from({ length: ACTION_ROWS }, (_, i) => {
    const n = i + 1;
    const item = record?.actions[i];
    return {
      textId: `action${n}Text`,
      ownerId: `action${n}Owner`,
      dueId: `action${n}Due`,
      label: t('oneonone.field.action', { n }),
      text: values[`action${n}Text`] ?? item?.text ?? '',
      owner: values[`action${n}Owner`] ?? item?.owner ?? 'member',
      due: values[`action${n}Due`] ?? item?.due ?? '',
    };
  });
  const errorOf = (f: string): string => state?.errors[f] ?? '';
  // The rows share one line for errors, so each message says which row and which of its fields it is about.
  const actionError = Object.entries(state?.errors ?? {})
    .flatMap(([f, message]) => {
      const [, n, part] = /^action(\d+)(Text|Owner|Due)$/.exec(f) ?? [];
      if (!n || !part) return [];
      if (part === 'Text') return [t('oneonone.error.inAction', { n, message })];
      return [t('oneonone.error.inActionField', { n, field: t(part === 'Due' ? 'oneonone.field.due' : 'oneonone.field.owner'), message })];
    })
    .join('\n\n');
  return renderCard(recordTemplate, {
    title: t('oneonone.record.title', { name: member.name, when: whenOf(meeting, t, locale) }),
    intro: t('oneonone.record.intro', { name: member.name }),
    formError: state ? t('oneonone.formError') : '',
    agendaHeading: t('oneonone.agenda.heading', { name: member.name }),
    agenda: agendaFacts(texts.agenda, t),
    noAgenda: t('oneonone.agenda.empty'),
    managerId: meeting.managerId,
    memberId: meeting.memberId,
    meetingId: meeting.meetingId,
    labels: {
      good: t('oneonone.field.good'),
      expectations: t('oneonone.field.expectations'),
      achievement: t('oneonone.field.achievement'),
      worriesResponse: t('oneonone.field.worriesResponse'),
      actions: t('oneonone.field.actions'),
      owner: t('oneonone.field.owner'),
      due: t('oneonone.field.due'),
      next: t('oneonone.field.next'),
      save: t('oneonone.record.save'),
    },
    values,
    errors: {
      good: errorOf('good'),
      expectations: errorOf('expectations'),
      achievement: errorOf('achievement'),
      worriesResponse: errorOf('worriesResponse'),
      next: errorOf('next'),
      actions: actionError,
    },
    scale: SCALE,
    owners: (['manager', 'member'] as const).map((value) => ({ title: t(`oneonone.owner.${value}`), value })),
    actionRows,
  });
}

/** The record's own fields; its actions are listed apart, each with its 完了 button. */
export function recordFacts(record: RecordBody | undefined, t: Translate): Fact[] {
  if (!record) return [];
  const facts: Fact[] = [];
  const add = (key: MessageKey, value: string | number | undefined) => {
    if (value !== undefined && value !== '') facts.push({ label: t(key), value: String(value) });
  };
  add('oneonone.field.good', record.good);
  add('oneonone.field.expectations', record.expectations);
  add('oneonone.field.achievement', record.achievement);
  add('oneonone.field.worriesResponse', record.worriesResponse);
  add('oneonone.field.next', record.next);
  return facts;
}

/** A 1on1 as one of the pair (`viewerId`) sees it; the member gets the 確認しました action until they press it. */
export function renderRecordView(
  args: { meeting: Meeting; viewerId: string; other: Person; member: Person; texts: PairTexts; canConfirm: boolean },
  t: Translate,
  locale: Locale,
): Card {
  const { meeting, texts } = args;
  return renderCard(recordViewTemplate, {
    title: t('oneonone.view.title', { name: who(args.other, t), when: whenOf(meeting, t, locale) }),
    agendaHeading: t('oneonone.view.agenda'),
    agenda: agendaFacts(texts.agenda, t),
    recordHeading: t('oneonone.view.record'),
    record: recordFacts(texts.record, t),
    noRecord: t('oneonone.view.noRecord'),
    actions: actionRows(texts.record?.actions ?? [], meeting, args.viewerId, t, locale),
    confirmedNote: meeting.confirmedAt ? t('oneonone.view.confirmed', { name: args.member.name }) : '',
    comment: texts.comment ? t('oneonone.view.commentLine', { comment: texts.comment }) : '',
    canConfirm: args.canConfirm,
    managerId: meeting.managerId,
    memberId: meeting.memberId,
    meetingId: meeting.meetingId,
    labels: { comment: t('oneonone.view.comment'), confirm: t('oneonone.view.confirm'), actions: t('oneonone.field.actions'), done: t('oneonone.action.done') },
  });
}
