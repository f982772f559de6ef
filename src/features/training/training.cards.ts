import attendanceTemplate from '../../../cards/training/attendance.card.json';
import noticeTemplate from '../../../cards/training/notice.card.json';
import pendingTemplate from '../../../cards/training/pending.card.json';
import registerTemplate from '../../../cards/training/register.card.json';
import { renderCard, renderFitting } from '../../cards/render-card';
import { formatDate, type Locale, type MessageKey, type Translate } from '../../i18n/i18n';
import { choiceValueOf } from './training.forms';
import { ANSWERS, ATTENDANCE_FIELDS, REGISTER_FIELDS, STAFF_ROLES, TRAINING_KINDS, type Training } from './training.schema';
import type { Pending } from './training.service';

type Card = Record<string, unknown>;

export function datesLabel(training: Pick<Training, 'startDay' | 'endDay'>, t: Translate, locale: Locale): string {
  if (training.startDay === training.endDay) return t('training.dates.oneDay', { day: formatDate(training.startDay, locale) });
  return t('training.dates.range', { start: formatDate(training.startDay, locale), end: formatDate(training.endDay, locale) });
}

export type NoticeKind = 'invite' | 'changed' | 'remind';

/** The invitation (or its update after HR changed the training) and the reminder before it: one layout. */
export function renderNotice(kind: NoticeKind, training: Training, t: Translate, locale: Locale, own?: { title: string; intro: string }): Card {
  const heading =
    own ??
    {
      invite: { title: t('training.invite.title'), intro: t('training.invite.intro') },
      changed: { title: t('training.invite.changedTitle'), intro: t('training.invite.changedIntro') },
      remind: { title: t('training.remind.title'), intro: t('training.remind.intro', { when: formatDate(training.startDay, locale) }) },
    }[kind];
  return renderCard(noticeTemplate, {
    ...heading,
    facts: [
      { label: t('training.field.name'), value: training.name },
      { label: t('training.field.dates'), value: datesLabel(training, t, locale) },
      { label: t('training.field.kind'), value: t(`training.kind.${training.kind}`) },
      { label: t('training.field.required'), value: t(training.required ? 'training.required' : 'training.optional') },
    ],
  });
}

/** HR's answer once a training is registered: what was saved, in the invitation's layout. */
export function renderRegistered(training: Training, title: string, intro: string, t: Translate, locale: Locale): Card {
  return renderNotice('invite', training, t, locale, { title, intro });
}

export interface RegisterState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** HR's form for one training (the yearly plan is the CLI's); refused, it comes back as typed with the problems. */
export function renderRegisterForm(units: readonly string[], reminderDays: number, t: Translate, state?: RegisterState): Card {
  return renderCard(registerTemplate, {
    title: t('training.register.title'),
    intro: t('training.register.intro', { days: reminderDays }),
    formError: state ? t('training.register.formError') : '',
    values: { ...Object.fromEntries(REGISTER_FIELDS.map((f) => [f, ''])), required: 'true', ...(state?.values ?? {}) },
    errors: Object.fromEntries(REGISTER_FIELDS.map((f) => [f, state?.errors[f] ?? ''])),
    kinds: TRAINING_KINDS.map((k) => ({ title: t(`training.kind.${k}`), value: k })),
    units: units.map((u) => ({ title: u, value: choiceValueOf(u) })),
    roles: STAFF_ROLES.map((r) => ({ title: t(`role.${r}`), value: r })),
    labels: {
      name: t('training.field.name'),
      start: t('training.register.start'),
      end: t('training.register.end'),
      kind: t('training.field.kind'),
      units: t('training.register.units'),
      roles: t('training.register.roles'),
      required: t('training.register.required'),
      choose: t('training.register.choose'),
      submit: t('training.register.submit'),
    },
  });
}

export interface AttendanceState {
  values: Record<string, string>;
  errors: Record<string, string>;
  /** The answer as stored, once there is one. */
  savedLine?: string;
  /** HR's own record, which wins over the person's answer. */
  hrLine?: string;
}

/** After the training: 受講した / 受講できなかった and a word; once answered it shows the answer and can change it. */
export function renderAttendanceForm(training: Training, t: Translate, locale: Locale, state?: AttendanceState): Card {
  const hasErrors = Object.values(state?.errors ?? {}).some((e) => e !== '');
  return renderCard(attendanceTemplate, {
    title: t('training.attendance.title'),
    intro: t('training.attendance.intro', { name: training.name, dates: datesLabel(training, t, locale) }),
    trainingId: training.id,
    savedLine: state?.savedLine ?? '',
    hrLine: state?.hrLine ?? '',
    formError: hasErrors ? t('training.attendance.formError') : '',
    values: Object.fromEntries(ATTENDANCE_FIELDS.map((f) => [f, state?.values[f] ?? ''])),
    errors: Object.fromEntries(ATTENDANCE_FIELDS.map((f) => [f, state?.errors[f] ?? ''])),
    answers: ANSWERS.map((a) => ({ title: t(`training.attendance.${a}`), value: a })),
    labels: {
      answer: t('training.attendance.answer'),
      choose: t('training.error.choice'),
      note: t('training.attendance.note'),
      submit: t(state?.savedLine ? 'training.attendance.change' : 'training.attendance.submit'),
    },
  });
}

export interface PendingView {
  /** 全体 or the 課's name. */
  scope: string;
  /** 令和8年度 下期. */
  periodLabel: string;
  /** The counted trainings of the period (over, required). */
  trainings: number;
  pending: readonly Pending[];
  /** True when the list is one 課: what did not fit is only counted, there is nowhere narrower to send them. */
  oneUnit: boolean;
}

/**
 * Who has not attended, by 課, as many as fit one card: a 課 cut short says how many it left out and
 * how to see it all; the 課 that did not fit at all are counted at the end.
 */
export function renderPending(view: PendingView, t: Translate): Card {
  const title = t('training.pending.title', { scope: view.scope, period: view.periodLabel });
  const intro =
    view.trainings === 0
      ? t('training.pending.noTrainings')
      : view.pending.length === 0
        ? t('training.pending.none')
        : t('training.pending.intro', { trainings: view.trainings, count: view.pending.length });
  const units = groupByUnit(view.pending, t);
  const render = (shown: number): Card => {
    let left = shown;
    const listed: { heading: string; lines: { line: string }[]; more: string }[] = [];
    let hiddenUnits = 0;
    let hiddenPeople = 0;
    let example = '';
    for (const unit of units) {
      const take = Math.min(left, unit.people.length);
      left -= take;
      if (take === 0 && !view.oneUnit) {
        hiddenUnits += 1;
        hiddenPeople += unit.people.length;
        example ||= unit.name;
        continue;
      }
      const rest = unit.people.length - take;
      const more =
        rest === 0 ? '' : view.oneUnit ? t('training.pending.moreHere', { count: rest }) : t('training.pending.more', { count: rest, unit: unit.name });
      listed.push({
        heading: t('training.pending.unit', { unit: unit.label, count: unit.people.length }),
        lines: unit.people.slice(0, take).map((p) => ({ line: lineOf(p, t) })),
        more,
      });
    }
    const moreUnits = hiddenUnits === 0 ? '' : t('training.pending.moreUnits', { count: hiddenUnits, people: hiddenPeople, example });
    return renderCard(pendingTemplate, { title, intro, units: listed, moreUnits });
  };
  return renderFitting(view.pending.length, render).card;
}

function groupByUnit(pending: readonly Pending[], t: Translate): { name: string; label: string; people: Pending[] }[] {
  const byUnit = new Map<string, Pending[]>();
  for (const p of pending) {
    const unit = p.person.unit ?? '';
    const people = byUnit.get(unit) ?? [];
    people.push(p);
    byUnit.set(unit, people);
  }
  return [...byUnit].map(([name, people]) => ({ name, label: name || t('training.pending.noUnit'), people }));
}

function lineOf(p: Pending, t: Translate): string {
  return `${t(`role.${p.person.role}` as MessageKey)} ${p.person.name}: ${p.trainings.map((tr) => tr.name).join(t('kpiReport.scope.unitSeparator'))}`;
}
