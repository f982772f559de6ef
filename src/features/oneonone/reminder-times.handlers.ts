import timesTemplate from '../../../cards/oneonone/times.card.json';
import type { HandlerContext, VerbRoute } from '../../routing/handler-context';
import { renderCard } from '../../cards/render-card';
import { numberInputValue } from '../../shared/card-fields';
import { fieldErrors, outsideFields, typedValues, type FieldMessages } from '../../shared/card-form';
import type { OneOnOneDeps } from './oneonone.deps';
import { REMINDER_TIME_FIELDS, reminderTimesSubmitSchema, type ReminderTimes } from './reminder-times.schema';

/** The words after `1on1 設定` that open the times card (`1on1 設定 時刻`, `1on1 settings times`). */
export const TIMES_WORDS = ['時刻', '時間', 'times', 'time'];

/** HR's times card words a time with its own example (09:00). */
const ERRORS: FieldMessages = {
  time: 'oneonone.times.error.time',
  hours: 'oneonone.times.error.hours',
  minutes: 'oneonone.times.error.minutes',
  other: 'oneonone.error.invalid',
};

/**
 * HR's times for the whole organisation's 1on1 reminders: the member's agenda prompt and the
 * manager's reminder the office day before, and how long before the start the last reminder goes.
 */
export function reminderTimesHandlers(deps: OneOnOneDeps): { open(ctx: HandlerContext): Promise<void>; verbs: VerbRoute[] } {
  function form(ctx: HandlerContext, values: Record<string, string>, errors: Record<string, string>) {
    return renderCard(timesTemplate, {
      title: ctx.t('oneonone.times.title'),
      intro: ctx.t('oneonone.times.intro'),
      formError: Object.keys(errors).length > 0 ? ctx.t('oneonone.formError') : '',
      labels: {
        agendaPromptAt: ctx.t('oneonone.times.agendaPromptAt'),
        managerReminderAt: ctx.t('oneonone.times.managerReminderAt'),
        soonMinutes: ctx.t('oneonone.times.soonMinutes'),
        save: ctx.t('oneonone.times.save'),
      },
      values: { ...values, soonMinutes: numberInputValue(values.soonMinutes) },
      errors: Object.fromEntries(REMINDER_TIME_FIELDS.map((f) => [f, errors[f] ?? ''])),
    });
  }

  const valuesOf = (times: ReminderTimes): Record<string, string> => ({ ...times, soonMinutes: String(times.soonMinutes) });
  const refuse = (ctx: HandlerContext) => ctx.reply({ text: ctx.t('oneonone.times.hrOnly') });

  async function open(ctx: HandlerContext): Promise<void> {
    if (!ctx.person.hr) return void (await refuse(ctx));
    const card = form(ctx, valuesOf(await deps.reminderTimes.get(ctx.tenantId)), {});
    await ctx.reply({ card, summary: ctx.t('oneonone.times.title') });
  }

  async function save(ctx: HandlerContext): Promise<void> {
    if (!ctx.person.hr) return void (await refuse(ctx));
    const parsed = reminderTimesSubmitSchema.safeParse(ctx.value);
    if (!parsed.success) {
      if (outsideFields(parsed.error.issues, REMINDER_TIME_FIELDS)) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
      const values = typedValues(ctx.value, REMINDER_TIME_FIELDS);
      return ctx.answerInPlace({ card: form(ctx, values, fieldErrors(parsed.error.issues, values, ctx.t, ERRORS)) });
    }
    const { verb: _verb, ...times } = parsed.data;
    await deps.reminderTimes.save(ctx.tenantId, times, ctx.person.id, deps.clock.now());
    await ctx.answerInPlace({ text: ctx.t('oneonone.times.saved', { ...times }) });
  }

  return { open, verbs: [{ verb: 'oneonone.times.save', handle: save }] };
}
