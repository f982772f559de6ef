import type { HandlerContext, VerbRoute } from '../../routing/handler-context';
import { tokyoDay } from '../../calendar/office-calendar';
import { toPerson } from '../../delivery/notifier';
import { formatTime, translator, type MessageKey } from '../../i18n/i18n';
import { fieldErrors, outsideFields, typedValues, type FieldMessages } from '../../shared/card-form';
import { whenOf } from './oneonone.cards';
import { renderAgendaCard, renderRecordForm, renderRecordView } from './record.cards';
import { oneononeKeys, type OneOnOneDeps } from './oneonone.deps';
import {
  ACTION_ROWS,
  AGENDA_FIELDS,
  agendaSaveSchema,
  confirmSchema,
  actionDoneSchema,
  openSchema,
  RECORD_FIELDS,
  recordOpenSchema,
  recordSaveSchema,
  type Meeting,
  type MeetingRef,
} from './oneonone.schema';
import { carryDone, markActionDone, recordBodyOf, startOf } from './oneonone.service';
import type { OpenActions } from './open-actions';
import { PrivateTexts } from './private-texts.repository';

const ACTION_FIELDS = Array.from({ length: ACTION_ROWS }, (_, i) => [`action${i + 1}Text`, `action${i + 1}Owner`, `action${i + 1}Due`]).flat();

/** The record's own kinds; a day that is not on the calendar is said so, not just "choose a date". */
const FIELD_ERRORS: FieldMessages = { scale: 'oneonone.error.scale', noSuchDay: 'oneonone.error.noSuchDay', other: 'oneonone.error.invalid' };

/**
 * What the pair writes: the member's agenda, the manager's record, the member's confirmation. Every
 * read and write names who asks; anyone outside the pair is told so and shown nothing.
 */
export function recordHandlers(deps: OneOnOneDeps & { openActions: OpenActions }): VerbRoute[] {
  const refuse = (ctx: HandlerContext) => ctx.reply({ text: ctx.t('oneonone.error.privateOnly') });
  const notFound = (ctx: HandlerContext) => ctx.reply({ text: ctx.t('oneonone.error.notFound') });

  async function meetingFor(ctx: HandlerContext, ref: MeetingRef): Promise<Meeting | undefined> {
    const meeting = await deps.meetings.get(ctx.tenantId, ref.managerId, ref.memberId, ref.meetingId);
    return meeting && meeting.status !== 'cancelled' ? meeting : undefined;
  }

  async function saveAgenda(ctx: HandlerContext): Promise<void> {
    const raw = (typeof ctx.value === 'object' && ctx.value !== null ? ctx.value : {}) as Record<string, unknown>;
    const managerId = typeof raw.managerId === 'string' ? raw.managerId : '';
    // The member is whoever presses: a crafted submit cannot name someone else's agenda.
    if (ctx.person.managerId !== managerId) return void (await refuse(ctx));
    const parsed = agendaSaveSchema.safeParse(ctx.value);
    const meetingId = typeof raw.meetingId === 'string' ? raw.meetingId : '';
    const ref = { managerId, memberId: ctx.person.id, meetingId };
    const meeting = await meetingFor(ctx, ref);
    const manager = await deps.org.getPerson(ctx.tenantId, managerId);
    if (!meeting || !manager || meeting.status !== 'scheduled') return void (await notFound(ctx));
    const now = deps.clock.now();
    if (now >= startOf(meeting)) return void (await ctx.reply({ text: ctx.t('oneonone.error.closed') }));
    const heading = ctx.t('oneonone.memberLine', {
      role: ctx.t(`role.${manager.role}` as MessageKey),
      name: manager.name,
      when: whenOf(meeting, ctx.t, ctx.locale),
    });
    if (!parsed.success) {
      if (outsideFields(parsed.error.issues, AGENDA_FIELDS)) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
      const values = typedValues(ctx.value, AGENDA_FIELDS);
      const errors = fieldErrors(parsed.error.issues, values, ctx.t, FIELD_ERRORS);
      const ojt = await deps.ojtSummaryOf?.(ctx.tenantId, ctx.person.id, ctx.locale);
      return ctx.answerInPlace({ card: renderAgendaCard({ meeting, manager, heading, ojt }, { values, errors }, ctx.t) });
    }
    const { topics, progress, worries } = parsed.data;
    const agenda = { topics, progress, worries };
    await deps.texts.write(ctx.tenantId, ctx.person.id, ref, 'agenda', agenda, now);
    const note = ctx.t('oneonone.agenda.saved', { time: formatTime(now, ctx.locale) });
    const ojt = await deps.ojtSummaryOf?.(ctx.tenantId, ctx.person.id, ctx.locale);
    await ctx.answerInPlace({ card: renderAgendaCard({ meeting, manager, heading, agenda, note, ojt }, undefined, ctx.t) });
  }

  async function open(ctx: HandlerContext): Promise<void> {
    const parsed = openSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
    const ref = parsed.data;
    if (!PrivateTexts.isInPair(ctx.person.id, ref)) return void (await refuse(ctx));
    const meeting = await meetingFor(ctx, ref);
    const [manager, member] = await Promise.all([deps.org.getPerson(ctx.tenantId, ref.managerId), deps.org.getPerson(ctx.tenantId, ref.memberId)]);
    if (!meeting || !manager || !member) return void (await notFound(ctx));
    const texts = await deps.texts.read(ctx.tenantId, ctx.person.id, ref);
    const isMember = ctx.person.id === member.id;
    const canConfirm = isMember && meeting.status === 'held' && !meeting.confirmedAt;
    await ctx.reply({
      card: renderRecordView({ meeting, viewerId: ctx.person.id, other: isMember ? manager : member, member, texts, canConfirm }, ctx.t, ctx.locale),
    });
  }

  /** 記録する (overview row, reminder card): the record form again, as long as the 1on1 has begun. */
  async function openRecord(ctx: HandlerContext): Promise<void> {
    const parsed = recordOpenSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
    const { verb: _verb, ...ref } = parsed.data;
    if (ctx.person.id === ref.memberId) return void (await ctx.reply({ text: ctx.t('oneonone.record.managerOnly') }));
    if (ctx.person.id !== ref.managerId) return void (await refuse(ctx));
    const meeting = await meetingFor(ctx, ref);
    const member = await deps.org.getPerson(ctx.tenantId, ref.memberId);
    if (!meeting || !member) return void (await notFound(ctx));
    if (deps.clock.now() < startOf(meeting))
      return void (await ctx.reply({ text: ctx.t('oneonone.record.notStarted', { when: whenOf(meeting, ctx.t, ctx.locale) }) }));
    const texts = await deps.texts.read(ctx.tenantId, ctx.person.id, ref);
    await ctx.reply({
      card: renderRecordForm(meeting, member, texts, undefined, ctx.t, ctx.locale),
      summary: ctx.t('oneonone.record.title', { name: member.name, when: whenOf(meeting, ctx.t, ctx.locale) }),
    });
  }

  /**
   * 完了 on an agreed action, from any card that lists it. Once done it stays done: a second press
   * (or the same card sent twice) changes nothing. The answer is a new message, so a check-in form
   * the button sat on keeps what was typed in it.
   */
  async function markDone(ctx: HandlerContext): Promise<void> {
    const parsed = actionDoneSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
    const { verb: _verb, action: key, ...ref } = parsed.data;
    if (!PrivateTexts.isInPair(ctx.person.id, ref)) return void (await refuse(ctx));
    const meeting = await meetingFor(ctx, ref);
    if (!meeting) return void (await notFound(ctx));
    const now = deps.clock.now();
    const outcome = await deps.texts.update(
      ctx.tenantId,
      ctx.person.id,
      ref,
      'record',
      (record) => {
        const result = markActionDone(record, key, ref, ctx.person.id, now);
        return { value: result.kind === 'saved' ? result.record : undefined, result };
      },
      now,
    );
    if (outcome.kind === 'notFound') return void (await ctx.reply({ text: ctx.t('oneonone.done.notFound') }));
    // Also when it was already done: a 完了 whose index update was cut short is taken out on the next press.
    if (outcome.kind !== 'notYours') await deps.openActions.actionDone(ctx.tenantId, ref, key);
    const message = { notYours: 'oneonone.done.notYours', already: 'oneonone.done.already', saved: 'oneonone.done.saved' } as const;
    await ctx.reply({ text: ctx.t(message[outcome.kind], { text: outcome.text }) });
  }

  async function saveRecord(ctx: HandlerContext): Promise<void> {
    const raw = (typeof ctx.value === 'object' && ctx.value !== null ? ctx.value : {}) as Record<string, unknown>;
    // Only the pair's manager records; the member confirms.
    if (raw.managerId !== ctx.person.id) return void (await refuse(ctx));
    const parsed = recordSaveSchema.safeParse(ctx.value);
    const ref = {
      managerId: ctx.person.id,
      memberId: typeof raw.memberId === 'string' ? raw.memberId : '',
      meetingId: typeof raw.meetingId === 'string' ? raw.meetingId : '',
    };
    const meeting = await meetingFor(ctx, ref);
    const member = await deps.org.getPerson(ctx.tenantId, ref.memberId);
    if (!meeting || !member) return void (await notFound(ctx));
    if (!parsed.success) {
      const fields = [...RECORD_FIELDS, ...ACTION_FIELDS];
      if (outsideFields(parsed.error.issues, fields)) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
      const values = typedValues(ctx.value, fields);
      const errors = fieldErrors(parsed.error.issues, values, ctx.t, FIELD_ERRORS);
      const texts = await deps.texts.read(ctx.tenantId, ctx.person.id, ref);
      return ctx.answerInPlace({ card: renderRecordForm(meeting, member, texts, { values, errors }, ctx.t, ctx.locale) });
    }
    const now = deps.clock.now();
    const body = recordBodyOf(parsed.data);
    await deps.texts.update(ctx.tenantId, ctx.person.id, ref, 'record', (before) => ({ value: carryDone(before, body), result: undefined }), now);
    const firstTime = meeting.status !== 'held';
    // Held once: a second save of the same card updates the text but not the date it was held.
    const held: Meeting = firstTime ? { ...meeting, status: 'held', heldDay: tokyoDay(now), heldAt: now.toISOString(), updatedAt: now.toISOString() } : meeting;
    if (firstTime) await deps.meetings.save(held);
    await deps.openActions.recordSaved(ctx.tenantId, ref);
    const memberLocale = await deps.localeOf(ctx.tenantId, member.id);
    const texts = await deps.texts.read(ctx.tenantId, ctx.person.id, ref);
    const card = renderRecordView(
      { meeting: held, viewerId: member.id, other: ctx.person, member, texts, canConfirm: !held.confirmedAt },
      translator(memberLocale),
      memberLocale,
    );
    const heldDay = held.heldDay ?? tokyoDay(now);
    if (firstTime) await deps.notifier.send(ctx.tenantId, heldDay, [{ key: oneononeKeys.record(held.meetingId), to: toPerson(member.id), message: { card } }]);
    else await deps.notifier.update(ctx.tenantId, heldDay, oneononeKeys.record(held.meetingId), { card });
    await ctx.answerInPlace({ text: ctx.t(firstTime ? 'oneonone.record.saved' : 'oneonone.record.updated', { name: member.name }) });
  }

  async function confirm(ctx: HandlerContext): Promise<void> {
    const parsed = confirmSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
    const { comment, verb: _verb, ...ref } = parsed.data;
    if (ctx.person.id !== ref.memberId) return void (await refuse(ctx));
    const meeting = await meetingFor(ctx, ref);
    const manager = await deps.org.getPerson(ctx.tenantId, ref.managerId);
    if (!meeting || !manager || meeting.status !== 'held') return void (await notFound(ctx));
    const now = deps.clock.now();
    if (comment) await deps.texts.write(ctx.tenantId, ctx.person.id, ref, 'comment', comment, now);
    const confirmed: Meeting = meeting.confirmedAt ? meeting : { ...meeting, confirmedAt: now.toISOString(), updatedAt: now.toISOString() };
    if (!meeting.confirmedAt) await deps.meetings.save(confirmed);
    const managerLocale = await deps.localeOf(ctx.tenantId, manager.id);
    const mt = translator(managerLocale);
    const lines = [mt('oneonone.confirm.toManager', { name: ctx.person.name, when: whenOf(meeting, mt, managerLocale) })];
    if (comment) lines.push(mt('oneonone.view.commentLine', { comment }));
    await deps.notifier.send(ctx.tenantId, tokyoDay(now), [
      { key: oneononeKeys.confirmed(meeting.meetingId), to: toPerson(manager.id), message: { text: lines.join('\n\n') } },
    ]);
    const texts = await deps.texts.read(ctx.tenantId, ctx.person.id, ref);
    await ctx.answerInPlace({
      card: renderRecordView({ meeting: confirmed, viewerId: ctx.person.id, other: manager, member: ctx.person, texts, canConfirm: false }, ctx.t, ctx.locale),
    });
  }

  return [
    { verb: 'oneonone.agenda.save', handle: saveAgenda },
    { verb: 'oneonone.open', handle: open },
    { verb: 'oneonone.record.save', handle: saveRecord },
    { verb: 'oneonone.record.confirm', handle: confirm },
    { verb: 'oneonone.record.open', handle: openRecord },
    { verb: 'oneonone.action.done', handle: markDone },
  ];
}
