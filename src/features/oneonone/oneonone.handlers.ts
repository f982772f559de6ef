import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { formatDate, translator, type MessageKey } from '../../i18n/i18n';
import { tokyoDay } from '../../calendar/office-calendar';
import { toPerson } from '../../delivery/notifier';
import { fieldErrors, outsideFields, typedValues, type FieldMessages } from '../../shared/card-form';
import type { Person } from '../../directory/org.schema';
import { renderOverview, renderScheduleForm, renderScheduledCard, who, whenOf } from './oneonone.cards';
import { actionRows, renderAgendaCard } from './record.cards';
import { newMeetingId, oneononeKeys, type OneOnOneDeps } from './oneonone.deps';
import { cancelSchema, SCHEDULE_FIELDS, scheduleOpenSchema, scheduleSaveSchema, type Meeting } from './oneonone.schema';
import { cadenceHandlers, SETTINGS_WORDS } from './cadence.handlers';
import { byUrgency, checkSchedule, lastHeld, lastStarted, nextMeeting, pairsFromDirectory, viewPair } from './oneonone.service';
import { reminderTimesHandlers, TIMES_WORDS } from './reminder-times.handlers';

/** The schedule form's own kinds; its time example is a 1on1's (14:00), a day reads as every form's. */
const SCHEDULE_ERRORS: FieldMessages = {
  time: 'oneonone.error.time',
  length: 'oneonone.error.length',
  past: 'oneonone.error.past',
  hours: 'oneonone.error.hours',
  other: 'oneonone.error.invalid',
};

/** `1on1` and scheduling: what a manager does from the list. The pair's texts are in record.handlers. */
export function oneononeHandlers(deps: OneOnOneDeps): { command: CommandRoute; verbs: VerbRoute[] } {
  const cadence = cadenceHandlers(deps);
  const times = reminderTimesHandlers(deps);
  async function directoryAndPairs(tenantId: string) {
    const today = tokyoDay(deps.clock.now());
    const directory = await deps.org.listPeople(tenantId);
    const pairs = await deps.meetings.syncPairs(tenantId, pairsFromDirectory(directory), today);
    return { today, directory, pairs, byId: new Map(directory.map((p) => [p.id, p])) };
  }

  async function memberAgenda(ctx: HandlerContext, manager: Person, next: Meeting, meetings: Meeting[], heading: string) {
    const ref = { managerId: manager.id, memberId: ctx.person.id, meetingId: next.meetingId };
    const { agenda } = await deps.texts.read(ctx.tenantId, ctx.person.id, ref);
    const lastDay = lastHeld(meetings, ctx.person.id);
    const last = meetings.find((m) => m.status === 'held' && m.heldDay === lastDay);
    const previous = last ? await deps.texts.read(ctx.tenantId, ctx.person.id, last) : {};
    const open = (previous.record?.actions ?? []).filter((a) => !a.doneAt);
    const openActions = last ? actionRows(open, last, ctx.person.id, ctx.t, ctx.locale) : [];
    const ojt = await deps.ojtSummaryOf?.(ctx.tenantId, ctx.person.id, ctx.locale);
    return renderAgendaCard({ meeting: next, manager, heading, agenda, openActions, ojt }, undefined, ctx.t);
  }

  async function overview(ctx: HandlerContext): Promise<void> {
    const { today, pairs, byId } = await directoryAndPairs(ctx.tenantId);
    const mine = pairs.filter((p) => p.managerId === ctx.person.id && byId.has(p.memberId));
    const asMember = pairs.find((p) => p.memberId === ctx.person.id);
    const manager = asMember ? byId.get(asMember.managerId) : undefined;
    if (mine.length === 0 && !manager) {
      await ctx.reply({ text: ctx.t('oneonone.noPair') });
      return;
    }
    const ownMeetings = manager ? await deps.meetings.listForPair(ctx.tenantId, manager.id, ctx.person.id) : [];
    const next = nextMeeting(ownMeetings, ctx.person.id, today);
    if (mine.length > 0) {
      const meetings = await deps.meetings.listForManager(ctx.tenantId, ctx.person.id);
      const now = deps.clock.now();
      const views = mine
        .map((p) => ({ ...viewPair(p, byId.get(p.memberId) as Person, meetings, today), started: lastStarted(meetings, p.memberId, now) }))
        .sort(byUrgency);
      const when = next ? whenOf(next, ctx.t, ctx.locale) : ctx.t('oneonone.notScheduled');
      const memberLine = manager ? ctx.t('oneonone.memberLine', { role: ctx.t(`role.${manager.role}` as MessageKey), name: manager.name, when }) : '';
      await ctx.reply({ card: renderOverview(views, memberLine, ctx.t, ctx.locale), summary: ctx.t('oneonone.title') });
    }
    if (!manager) return;
    if (next) {
      const heading = ctx.t('oneonone.memberLine', {
        role: ctx.t(`role.${manager.role}` as MessageKey),
        name: manager.name,
        when: whenOf(next, ctx.t, ctx.locale),
      });
      await ctx.reply({ card: await memberAgenda(ctx, manager, next, ownMeetings, heading), summary: ctx.t('oneonone.agenda.title') });
    } else if (mine.length === 0) {
      await ctx.reply({ text: ctx.t('oneonone.noneScheduled', { role: ctx.t(`role.${manager.role}` as MessageKey), name: manager.name }) });
    }
  }

  /** Only the directory's own pairs: a manager can never book, move or cancel someone else's member. */
  async function ownMember(ctx: HandlerContext, memberId: string): Promise<Person | undefined> {
    const { byId, pairs } = await directoryAndPairs(ctx.tenantId);
    return pairs.some((p) => p.managerId === ctx.person.id && p.memberId === memberId) ? byId.get(memberId) : undefined;
  }

  async function openSchedule(ctx: HandlerContext): Promise<void> {
    const parsed = scheduleOpenSchema.safeParse(normaliseMeetingId(ctx.value));
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
    const member = await ownMember(ctx, parsed.data.memberId);
    if (!member) return void (await ctx.reply({ text: ctx.t('oneonone.error.notYours') }));
    const existing = parsed.data.meetingId ? await deps.meetings.get(ctx.tenantId, ctx.person.id, member.id, parsed.data.meetingId) : undefined;
    const values: Record<string, string> = existing ? { date: existing.day, time: existing.time, length: String(existing.lengthMinutes) } : {};
    const today = tokyoDay(deps.clock.now());
    const card = renderScheduleForm({ member, memberId: member.id, meetingId: existing?.meetingId, today }, { values, errors: {} }, ctx.t);
    await ctx.reply({ card, summary: ctx.t('oneonone.schedule.title', { name: member.name }) });
  }

  async function saveSchedule(ctx: HandlerContext): Promise<void> {
    const now = deps.clock.now();
    const today = tokyoDay(now);
    const values = typedValues(ctx.value, SCHEDULE_FIELDS);
    const parsed = scheduleSaveSchema.safeParse(normaliseMeetingId(ctx.value));
    const raw = (typeof ctx.value === 'object' && ctx.value !== null ? ctx.value : {}) as Record<string, unknown>;
    const memberId = typeof raw.memberId === 'string' ? raw.memberId : '';
    const member = await ownMember(ctx, memberId);
    const meetingId = parsed.success ? parsed.data.meetingId : undefined;
    const form = (errors: Record<string, string>, extra: { warning?: string; formError?: string } = {}) =>
      ctx.answerInPlace({ card: renderScheduleForm({ member, memberId, meetingId, today, ...extra }, { values, errors }, ctx.t) });
    if (!parsed.success) {
      if (outsideFields(parsed.error.issues, SCHEDULE_FIELDS)) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
      return form(fieldErrors(parsed.error.issues, values, ctx.t, SCHEDULE_ERRORS));
    }
    const submit = parsed.data;
    const check = checkSchedule(submit, now, member !== undefined);
    const { form: formProblem, ...fieldProblems } = check.errors;
    if (formProblem || Object.keys(fieldProblems).length > 0) {
      const errors = Object.fromEntries(
        Object.entries(fieldProblems).map(([f, p]) => [
          f,
          ctx.t(p === 'past' && f === 'time' ? 'oneonone.error.pastTime' : (SCHEDULE_ERRORS[p] as MessageKey)),
        ]),
      );
      return form(errors, formProblem ? { formError: ctx.t('oneonone.error.notYours') } : {});
    }
    if (!member) return;
    if (check.nonOfficeDay && !submit.confirmNonOffice)
      return form({}, { warning: ctx.t('oneonone.schedule.nonOffice', { day: formatDate(submit.date, ctx.locale) }) });

    const meetings = await deps.meetings.listForPair(ctx.tenantId, ctx.person.id, member.id);
    // One upcoming 1on1 per pair: a form sent twice moves the booked one instead of adding a second.
    const existing = submit.meetingId ? meetings.find((m) => m.meetingId === submit.meetingId) : nextMeeting(meetings, member.id, today);
    if (submit.meetingId && existing?.status !== 'scheduled') return void (await ctx.reply({ text: ctx.t('oneonone.error.notFound') }));
    const meeting: Meeting = {
      tenantId: ctx.tenantId,
      managerId: ctx.person.id,
      memberId: member.id,
      meetingId: existing?.meetingId ?? newMeetingId(now),
      unit: member.unit ?? '',
      memberRole: member.role,
      day: submit.date,
      time: submit.time,
      lengthMinutes: Number(submit.length),
      status: 'scheduled',
      createdAt: existing?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await deps.meetings.save(meeting);
    const memberLocale = await deps.localeOf(ctx.tenantId, member.id);
    const mt = translator(memberLocale);
    const heading = mt(existing ? 'oneonone.notice.rescheduled' : 'oneonone.notice.scheduled', {
      name: who(ctx.person, mt),
      when: whenOf(meeting, mt, memberLocale),
    });
    const { agenda } = await deps.texts.read(ctx.tenantId, ctx.person.id, { managerId: ctx.person.id, memberId: member.id, meetingId: meeting.meetingId });
    const ojt = await deps.ojtSummaryOf?.(ctx.tenantId, member.id, memberLocale);
    const card = renderAgendaCard({ meeting, manager: ctx.person, heading, agenda, ojt }, undefined, mt);
    await deps.notifier.send(ctx.tenantId, today, [
      { key: oneononeKeys.booked(meeting.meetingId, meeting.day, meeting.time), to: toPerson(member.id), message: { card, summary: heading } },
    ]);
    await ctx.answerInPlace({ card: renderScheduledCard(meeting, member, ctx.t, ctx.locale) });
  }

  async function cancel(ctx: HandlerContext): Promise<void> {
    const parsed = cancelSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
    // The manager's own partition: a meeting of another pair is simply not there.
    const meeting = await deps.meetings.get(ctx.tenantId, ctx.person.id, parsed.data.memberId, parsed.data.meetingId);
    if (!meeting || meeting.status !== 'scheduled') return void (await ctx.reply({ text: ctx.t('oneonone.error.notFound') }));
    const now = deps.clock.now();
    await deps.meetings.save({ ...meeting, status: 'cancelled', updatedAt: now.toISOString() });
    const member = await deps.org.getPerson(ctx.tenantId, meeting.memberId);
    const memberLocale = await deps.localeOf(ctx.tenantId, meeting.memberId);
    const mt = translator(memberLocale);
    const text = mt('oneonone.cancelled.member', { name: who(ctx.person, mt), when: whenOf(meeting, mt, memberLocale) });
    await deps.notifier.send(ctx.tenantId, tokyoDay(now), [
      { key: oneononeKeys.cancelled(meeting.meetingId), to: toPerson(meeting.memberId), message: { text } },
    ]);
    await ctx.answerInPlace({ text: ctx.t('oneonone.cancelled.manager', { name: member?.name ?? '', when: whenOf(meeting, ctx.t, ctx.locale) }) });
  }

  return {
    command: {
      name: '1on1',
      aliases: ['1on1', 'ワンオンワン', '1on1面談', 'one-on-one'],
      descriptionKey: 'oneonone.help.cmd',
      example: { ja: '1on1', en: '1on1' },
      handle: (ctx) => {
        const [first = '', ...rest] = ctx.args.trim().split(/\s+/);
        if (!SETTINGS_WORDS.includes(first.toLowerCase())) return overview(ctx);
        return rest.length === 1 && TIMES_WORDS.includes((rest[0] ?? '').toLowerCase()) ? times.open(ctx) : cadence.open(ctx, rest.join(' '));
      },
    },
    verbs: [
      ...cadence.verbs,
      ...times.verbs,
      { verb: 'oneonone.schedule.open', handle: openSchedule },
      { verb: 'oneonone.schedule.save', handle: saveSchedule },
      { verb: 'oneonone.cancel', handle: cancel },
    ],
  };
}

/** Cards send "" for "no meeting yet"; the schemas read that as absent. */
function normaliseMeetingId(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return record.meetingId === '' ? { ...record, meetingId: undefined } : record;
}
