import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { isOfficeDay, tokyoDay } from '../../calendar/office-calendar';
import { toPerson, type Notifier } from '../../delivery/notifier';
import { formatDate, translator, type MessageKey } from '../../i18n/i18n';
import { typedValues } from '../../shared/card-form';
import type { Clock } from '../../shared/clock';
import { isStorageUnreachable } from '../../shared/storage-outage';
import type { OrgRepository } from '../../directory/org.repository';
import type { Person } from '../../directory/org.schema';
import type { PersonLocale } from '../../preferences/locale-resolver';
import { renderCheckinForm, renderHelpRequestCard, renderSavedCard } from './checkin.cards';
import type { CheckinRepository } from './checkin.repository';
import { helpTakeSchema, type CheckinRecord, type EveningAnswers, type MorningAnswers, type Slot } from './checkin.schema';
import { answersOf, CHECKIN_DAYS_BACK, checkinDayProblem, FIELDS, helpRecipients, readSubmit } from './checkin.service';
import { LEAVE_LIST_DAYS, LEAVE_LIST_LINES, leaveListEnd, readLeaveCommand, type HalfDay, type LeaveCancelReading } from './leave';
import { cancelledReplyKey, type LeaveCancelPrompts } from './leave-cancel-prompts';

export interface CheckinDeps {
  checkins: CheckinRepository;
  org: OrgRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  clock: Clock;
  /** The person's 1on1 actions past due, provided by the 1on1 feature at wiring (features never read each other's tables). */
  overdueActionsOf: (tenantId: string, personId: string, day: string) => Promise<{ text: string; due: string }[]>;
  /** Sends the prompts a 休み taken back today leaves owed (the scheduler passed the person over). */
  leaveCancelPrompts: LeaveCancelPrompts;
}

/** The outbox key of a help request: one per reporter, day and recipient, so a re-submit sends nothing new. */
export function helpRequestKey(day: string, reporterId: string, recipientId: string): string {
  return `checkin.help|${day}|${reporterId}|${recipientId}`;
}

function leaveKind(ctx: HandlerContext, half: HalfDay | undefined): string {
  return ctx.t(half ? `leave.kind.${half}` : 'leave.kind.whole');
}

export function checkinHandlers(deps: CheckinDeps): { commands: CommandRoute[]; verbs: VerbRoute[] } {
  const openForm =
    (slot: Slot) =>
    async (ctx: HandlerContext): Promise<void> => {
      const day = tokyoDay(deps.clock.now());
      if (!isOfficeDay(day)) return void (await ctx.reply({ text: ctx.t('checkin.day.notOffice', { day: formatDate(day, ctx.locale) }) }));
      await ctx.reply({ card: renderCheckinForm(slot, day, ctx.t, ctx.locale), summary: ctx.t(`checkin.${slot}.title`) });
    };

  async function routeHelp(ctx: HandlerContext, record: CheckinRecord): Promise<string> {
    const directory = await deps.org.listPeople(ctx.tenantId);
    const recipients = helpRecipients(ctx.person, directory);
    if (recipients.length === 0) return ctx.t('checkin.help.nobody');
    const items = await Promise.all(
      recipients.map(async (recipient) => {
        const locale = await deps.localeOf(ctx.tenantId, recipient.id);
        const card = renderHelpRequestCard(ctx.person, record, translator(locale), locale, undefined);
        return { key: helpRequestKey(record.day, ctx.person.id, recipient.id), to: toPerson(recipient.id), message: { card } };
      }),
    );
    await deps.notifier.send(ctx.tenantId, record.day, items);
    const names = recipients.map((p) => `${ctx.t(`role.${p.role}` as MessageKey)} ${p.name}`).join('、');
    return ctx.t('checkin.help.sentTo', { names });
  }

  async function store(ctx: HandlerContext, answers: MorningAnswers | EveningAnswers): Promise<CheckinRecord> {
    const now = deps.clock.now().toISOString();
    return deps.checkins.save({
      tenantId: ctx.tenantId,
      unit: ctx.person.unit ?? '',
      day: answers.day,
      slot: answers.slot,
      personId: ctx.person.id,
      answers: answersOf(answers),
      createdAt: now,
      updatedAt: now,
    });
  }

  async function submit(ctx: HandlerContext): Promise<void> {
    const reading = readSubmit(ctx.value, ctx.t);
    if (!reading.ok) {
      if (reading.slot === undefined) {
        await ctx.reply({ text: ctx.t('checkin.error.invalid') });
        return;
      }
      const card = renderCheckinForm(reading.slot, reading.day ?? tokyoDay(deps.clock.now()), ctx.t, ctx.locale, reading);
      return ctx.answerInPlace({ card });
    }
    const { answers } = reading;
    // The card names its day; a forged or stale one must not add a day nobody was prompted for to the KPIs.
    const dayProblem = checkinDayProblem(answers.day, tokyoDay(deps.clock.now()));
    if (dayProblem)
      return void (await ctx.reply({ text: ctx.t(`checkin.day.${dayProblem}`, { day: formatDate(answers.day, ctx.locale), days: CHECKIN_DAYS_BACK }) }));
    // The morning is when the day is planned: the owner sees what they agreed in a 1on1 and let slip.
    // Looked up while the check-in is stored; when it cannot be stored, the form comes back and the answer is dropped.
    const overdueLookup = answers.slot === 'morning' ? deps.overdueActionsOf(ctx.tenantId, ctx.person.id, answers.day) : Promise.resolve([]);
    overdueLookup.catch(() => undefined);
    const record = await store(ctx, answers).catch((error: unknown) => {
      if (isStorageUnreachable(error)) return undefined;
      throw error;
    });
    if (!record) {
      // The card comes back as they filled it, so sending it again is one tap; the row key makes a resend one record.
      const values = typedValues(ctx.value, FIELDS[answers.slot]);
      const card = renderCheckinForm(answers.slot, answers.day, ctx.t, ctx.locale, { values, errors: {}, formError: ctx.t('error.storage') });
      return ctx.answerInPlace({ card });
    }
    // Sent again on a corrected submit, in case the first send did not reach the outbox: its keys make it one request.
    const note = answers.slot === 'morning' && answers.needHelp && !record.helpTakenBy ? await routeHelp(ctx, record) : '';
    const card = renderSavedCard(record, ctx.t, ctx.locale, note, await overdueLookup);
    await ctx.answerInPlace({ card });
  }

  async function takeHelp(ctx: HandlerContext): Promise<void> {
    const parsed = helpTakeSchema.safeParse(ctx.value);
    if (!parsed.success) {
      await ctx.reply({ text: ctx.t('checkin.error.invalid') });
      return;
    }
    const { day, unit, reporterId } = parsed.data;
    const directory = await deps.org.listPeople(ctx.tenantId);
    const reporter = directory.find((p) => p.id === reporterId);
    const record = reporter ? await deps.checkins.get(ctx.tenantId, unit, day, 'morning', reporterId) : undefined;
    if (!reporter || !record) {
      await ctx.reply({ text: ctx.t('checkin.error.invalid') });
      return;
    }
    // Only those the request went to: a press forged with someone else's ids would be shown their 困りごと.
    if (!helpRecipients(reporter, directory).some((p) => p.id === ctx.person.id)) {
      await ctx.reply({ text: ctx.t('checkin.help.notYours') });
      return;
    }
    const outcome = await deps.checkins.takeHelp(ctx.tenantId, unit, day, reporterId, ctx.person.id);
    const helper = directory.find((p) => p.id === outcome.by);
    if (!outcome.taken) {
      await ctx.reply({ text: ctx.t('checkin.help.alreadyTaken', { name: helper?.name ?? '' }) });
      return;
    }
    if (ctx.sourceActivityId) {
      await ctx.updateMessage(ctx.sourceActivityId, { card: renderHelpRequestCard(reporter, record, ctx.t, ctx.locale, ctx.person) });
    }
    await ctx.reply({ text: ctx.t('checkin.help.youTook', { name: reporter.name }) });
    await updateOthers(ctx.tenantId, reporter, record, directory, ctx.person);
    const reporterLocale = await deps.localeOf(ctx.tenantId, reporter.id);
    await deps.notifier.send(ctx.tenantId, day, [
      {
        key: `checkin.help.taken|${day}|${reporter.id}`,
        to: toPerson(reporter.id),
        message: { text: translator(reporterLocale)('checkin.help.reporterNotice', { name: ctx.person.name }) },
      },
    ]);
  }

  async function updateOthers(tenantId: string, reporter: Person, record: CheckinRecord, directory: Person[], helper: Person): Promise<void> {
    for (const recipient of helpRecipients(reporter, directory)) {
      if (recipient.id === helper.id) continue;
      const locale = await deps.localeOf(tenantId, recipient.id);
      const card = renderHelpRequestCard(reporter, { ...record, helpTakenBy: helper.id }, translator(locale), locale, helper);
      await deps.notifier.update(tenantId, record.day, helpRequestKey(record.day, reporter.id, recipient.id), { card });
    }
  }

  async function leave(ctx: HandlerContext): Promise<void> {
    const today = tokyoDay(deps.clock.now());
    const command = readLeaveCommand(ctx.text, ctx.args, today);
    if (command.action === 'list') return listLeave(ctx, today);
    if (command.action === 'cancel') return cancelLeave(ctx, command.reading);
    const { reading } = command;
    if (!reading.ok) {
      const text =
        reading.reason === 'past' && reading.day
          ? ctx.t('leave.past', { day: formatDate(reading.day, ctx.locale) })
          : ctx.t(reading.reason === 'whichHalf' ? 'leave.whichHalf' : 'leave.invalid', { text: ctx.args });
      await ctx.reply({ text });
      return;
    }
    await deps.checkins.setLeave(ctx.tenantId, reading.day, ctx.person.id, ctx.person.unit ?? '', reading.half);
    await ctx.reply({ text: ctx.t(reading.half ? `leave.saved.${reading.half}` : 'leave.saved', { day: formatDate(reading.day, ctx.locale) }) });
  }

  async function cancelLeave(ctx: HandlerContext, reading: LeaveCancelReading): Promise<void> {
    if (!reading.ok) {
      const text =
        reading.reason === 'past' && reading.day
          ? ctx.t('leave.cancel.past', { day: formatDate(reading.day, ctx.locale) })
          : ctx.t('leave.cancel.invalid', { text: ctx.args });
      await ctx.reply({ text });
      return;
    }
    const day = formatDate(reading.day, ctx.locale);
    const result = await deps.checkins.cancelLeave(ctx.tenantId, reading.day, ctx.person.id, reading.half);
    const prompted = result.outcome === 'cancelled' ? await deps.leaveCancelPrompts.send(ctx.tenantId, ctx.person, result.entry) : [];
    const text =
      result.outcome === 'none'
        ? ctx.t('leave.cancel.none', { day })
        : ctx.t(result.outcome === 'cancelled' ? cancelledReplyKey(prompted) : 'leave.cancel.otherHalf', { day, kind: leaveKind(ctx, result.entry.half) });
    await ctx.reply({ text });
  }

  async function listLeave(ctx: HandlerContext, today: string): Promise<void> {
    const entries = await deps.checkins.leavesOf(ctx.tenantId, ctx.person.id, today, leaveListEnd(today));
    if (entries.length === 0) return void (await ctx.reply({ text: ctx.t('leave.list.none', { days: LEAVE_LIST_DAYS }) }));
    const lines = entries
      .slice(0, LEAVE_LIST_LINES)
      .map((entry) => ctx.t('leave.list.line', { day: formatDate(entry.day, ctx.locale), kind: leaveKind(ctx, entry.half) }));
    if (entries.length > LEAVE_LIST_LINES) lines.push(ctx.t('leave.list.more', { count: entries.length - LEAVE_LIST_LINES }));
    // A blank line between lines: Teams reads a text message as markdown, where a single line break may run lines together.
    await ctx.reply({ text: [ctx.t('leave.list.title', { days: LEAVE_LIST_DAYS }), ...lines, ctx.t('leave.list.footer')].join('\n\n') });
  }

  return {
    commands: [
      {
        name: 'checkin',
        aliases: ['チェックイン', 'checkin', 'check-in', '朝会', 'ちぇっくいん'],
        descriptionKey: 'help.cmd.checkin',
        example: { ja: 'チェックイン', en: 'checkin' },
        handle: openForm('morning'),
      },
      {
        name: 'checkout',
        aliases: ['ふりかえり', '振り返り', 'checkout', 'check-out', 'reflection', '夕会'],
        descriptionKey: 'help.cmd.checkout',
        example: { ja: 'ふりかえり', en: 'checkout' },
        handle: openForm('evening'),
      },
      {
        name: 'leave',
        aliases: [
          '休み',
          '休暇',
          'leave',
          'やすみ',
          '午前休',
          '午後休',
          '半休',
          '午前半休',
          '午後半休',
          '休み取消',
          '休み取り消し',
          '休暇取消',
          '休暇取り消し',
          '休み一覧',
          '休暇一覧',
        ],
        descriptionKey: 'help.cmd.leave',
        example: { ja: '休暇 11/26', en: 'leave 11/26' },
        handle: leave,
      },
    ],
    verbs: [
      { verb: 'checkin.submit', handle: submit },
      { verb: 'checkin.help.take', handle: takeHelp },
    ],
  };
}
