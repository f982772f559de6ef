import digestTemplate from '../../../cards/oneonone/digest.card.json';
import overviewTemplate from '../../../cards/oneonone/overview.card.json';
import scheduleTemplate from '../../../cards/oneonone/schedule.card.json';
import scheduledTemplate from '../../../cards/oneonone/scheduled.card.json';
import { renderCard, renderFitting } from '../../cards/render-card';
import { formatDate, formatTime, type Locale, type MessageKey, type Translate } from '../../i18n/i18n';
import type { Person } from '../../directory/org.schema';
import { LENGTHS, type Meeting } from './oneonone.schema';
import { byUrgency, startOf, type PairView } from './oneonone.service';

type Card = Record<string, unknown>;
/** What a form shows after a refused submit: the typed values and one message per field. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export function who(person: Person, t: Translate): string {
  return `${t(`role.${person.role}` as MessageKey)} ${person.name}`;
}

export function whenOf(meeting: Pick<Meeting, 'day' | 'time' | 'lengthMinutes'>, t: Translate, locale: Locale): string {
  return t('oneonone.when', { day: formatDate(meeting.day, locale), time: formatTime(startOf(meeting), locale), minutes: meeting.lengthMinutes });
}

const STATUS_COLOR = { overdue: 'Attention', onTrack: 'Default', scheduled: 'Good' } as const;

function rowOf(view: PairView, t: Translate, locale: Locale): Card {
  const next = view.next;
  const last = view.lastHeld ? t('oneonone.row.last', { day: formatDate(view.lastHeld, locale) }) : t('oneonone.row.never');
  const detail = next
    ? t('oneonone.row.next', { when: whenOf(next, t, locale) })
    : [
        last,
        t('oneonone.row.due', { day: formatDate(view.dueDay, locale) }),
        view.overdueDays > 0 ? t('oneonone.row.overdueBy', { days: view.overdueDays }) : '',
      ]
        .filter(Boolean)
        .join(' ・ ');
  const action = (key: MessageKey, verb: string, meetingId: string) => ({ title: t(key), data: { verb, memberId: view.member.id, meetingId } });
  const started = view.started;
  const actions = [
    ...(next
      ? [action('oneonone.action.reschedule', 'oneonone.schedule.open', next.meetingId), action('oneonone.action.cancel', 'oneonone.cancel', next.meetingId)]
      : [action('oneonone.action.schedule', 'oneonone.schedule.open', '')]),
    ...(started
      ? [
          {
            title: t('oneonone.action.record'),
            data: { verb: 'oneonone.record.open', managerId: started.managerId, memberId: started.memberId, meetingId: started.meetingId },
          },
        ]
      : []),
    action('oneonone.action.cadence', 'oneonone.cadence.open', ''),
  ];
  return { name: who(view.member, t), detail, status: t(`oneonone.status.${view.status}`), color: STATUS_COLOR[view.status], actions };
}

/**
 * The `1on1` answer: the manager's members by urgency, and (for a member) a line about their own next
 * 1on1. A manager of hundreds gets the most urgent rows that fit one card and a count of the rest.
 */
export function renderOverview(views: readonly PairView[], memberLine: string, t: Translate, locale: Locale): Card {
  const rows = views.map((v) => rowOf(v, t, locale));
  const render = (shown: number): Card => {
    const hidden = views.slice(shown);
    const count = (status: PairView['status']): number => hidden.filter((v) => v.status === status).length;
    return renderCard(overviewTemplate, {
      title: t('oneonone.title'),
      memberLine,
      membersHeading: t('oneonone.membersHeading'),
      members: rows.slice(0, shown),
      more:
        hidden.length > 0
          ? t('oneonone.more', { count: hidden.length, overdue: count('overdue'), onTrack: count('onTrack'), scheduled: count('scheduled') })
          : '',
    });
  };
  return renderFitting(rows.length, render).card;
}

export function renderScheduleForm(
  args: { member?: Person; memberId: string; meetingId?: string; today: string; warning?: string; formError?: string },
  state: FormState,
  t: Translate,
): Card {
  return renderCard(scheduleTemplate, {
    title: args.member ? t('oneonone.schedule.title', { name: who(args.member, t) }) : t('oneonone.schedule.titleUnknown'),
    formError: args.formError ?? (Object.values(state.errors).some(Boolean) ? t('oneonone.formError') : ''),
    warning: args.warning ?? '',
    today: args.today,
    memberId: args.memberId,
    meetingId: args.meetingId ?? '',
    labels: {
      date: t('oneonone.schedule.date'),
      time: t('oneonone.schedule.time'),
      length: t('oneonone.schedule.length'),
      save: t('oneonone.schedule.save'),
      confirm: t('oneonone.schedule.confirm'),
    },
    values: { date: '', time: '', length: '30', ...state.values },
    errors: { date: '', time: '', length: '', ...state.errors },
    lengths: LENGTHS.map((value) => ({ title: t('oneonone.minutes', { minutes: value }), value })),
  });
}

export function renderScheduledCard(meeting: Meeting, member: Person, t: Translate, locale: Locale): Card {
  return renderCard(scheduledTemplate, {
    title: t('oneonone.scheduled.title'),
    line: t('oneonone.scheduled.line', { name: who(member, t), when: whenOf(meeting, t, locale) }),
    note: t('oneonone.scheduled.note', { name: member.name }),
    memberId: meeting.memberId,
    meetingId: meeting.meetingId,
    labels: { reschedule: t('oneonone.action.reschedule'), cancel: t('oneonone.action.cancel') },
  });
}

export interface DigestEntry {
  view: PairView;
  manager: Person;
}

/** Monday's overdue list: the recipient's own members, then (past twice the cadence) their managers' pairs. */
export function renderDigest(day: string, own: readonly PairView[], escalated: readonly DigestEntry[], t: Translate, locale: Locale): Card {
  const line = (v: PairView) => ({ name: v.member.name, due: formatDate(v.dueDay, locale), days: v.overdueDays });
  const ownRows = own.map((v) => ({ line: t('oneonone.digest.line', line(v)), memberId: v.member.id }));
  const escalatedRows = [...escalated]
    .sort((a, b) => byUrgency(a.view, b.view))
    .map((e) => ({ line: t('oneonone.digest.escalatedLine', { manager: e.manager.name, ...line(e.view) }) }));
  // A 課長 of a flat 課 of 2,000 can have hundreds overdue: the headings say how many of them are listed.
  const heading = (key: MessageKey, shown: number, total: number): string =>
    shown < total ? t('oneonone.digest.shownOf', { heading: t(key), shown, total }) : t(key);
  const render = (shown: number): Card => {
    const ownShown = Math.min(shown, ownRows.length);
    const escalatedShown = Math.min(shown - ownShown, escalatedRows.length);
    return renderCard(digestTemplate, {
      title: t('oneonone.digest.title', { day: formatDate(day, locale) }),
      ownHeading: heading('oneonone.digest.own', ownShown, ownRows.length),
      own: ownRows.slice(0, ownShown),
      scheduleLabel: t('oneonone.action.schedule'),
      escalatedHeading: heading('oneonone.digest.escalated', escalatedShown, escalatedRows.length),
      escalated: escalatedRows.slice(0, escalatedShown),
    });
  };
  return renderFitting(ownRows.length + escalatedRows.length, render).card;
}
