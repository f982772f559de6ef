import timesTemplate from '../../../cards/oneonone/times.card.json';
import type { HandlerContext, VerbRoute } from '../../bot/handler-context';
import { renderCard } from '../../cards/render-card';
import type { MessageKey } from '../../i18n/i18n';
import { numberInputValue } from '../../shared/card-fields';
import { answerInPlace, typedValues, type OneOnOneDeps } from './oneonone.deps';
import { REMINDER_TIME_FIELDS, reminderTimesSubmitSchema, type ReminderTimes } from './reminder-times.schema';

/** The words after `1on1 設定` that open the times card (`1on1 設定 時刻`, `1on1 settings times`). */
export const TIMES_WORDS = ['時刻', '時間', 'times', 'time'];

const ERRORS: Record<string, MessageKey> = {
  time: 'oneonone.times.error.time',
  hours: 'oneonone.times.error.hours',
  minutes: 'oneonone.times.error.minutes',
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
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        if (!REMINDER_TIME_FIELDS.some((f) => f === field)) return void (await ctx.reply({ text: ctx.t('oneonone.error.invalid') }));
        errors[field] ??= ctx.t(ERRORS[issue.message] ?? 'oneonone.error.invalid');
      }
      return answerInPlace(ctx, { card: form(ctx, typedValues(ctx.value, REMINDER_TIME_FIELDS), errors) });
    }
    const { verb: _verb, ...times } = parsed.data;
    await deps.reminderTimes.save(ctx.tenantId, times, ctx.person.id, deps.clock.now());
    await answerInPlace(ctx, { text: ctx.t('oneonone.times.saved', { ...times }) });
  }

  return { open, verbs: [{ verb: 'oneonone.times.save', handle: save }] };
}
