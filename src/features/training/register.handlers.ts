import type { z } from 'zod';
import type { CommandRoute, HandlerContext, VerbRoute } from '../../bot/handler-context';
import type { MessageKey, Translate } from '../../i18n/i18n';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../org/org.repository';
import { renderRegistered, renderRegisterForm } from './training.cards';
import { activeUnits, answerInPlace, typedValues } from './training.forms';
import type { TrainingRepository } from './training.repository';
import { REGISTER_FIELDS, registerSubmitSchema } from './training.schema';
import { invitees, trainingIdFor } from './training.service';

export interface RegisterDeps {
  trainings: TrainingRepository;
  org: Pick<OrgRepository, 'listPeople'>;
  clock: Clock;
  /** TRAINING_REMINDER_DAYS_BEFORE, as the form tells HR. */
  reminderOfficeDaysBefore: number;
}

const REGISTER_ERRORS: Record<string, MessageKey> = {
  required: 'training.error.required',
  date: 'training.error.date',
  endBefore: 'training.error.endBefore',
  choice: 'training.register.choose',
};

/** Each field's first problem, worded as the card shows it. */
function registerErrors(issues: readonly z.core.$ZodIssue[], values: Record<string, string>, t: Translate): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'name');
    const [kind, max] = issue.message.split(':');
    errors[field] ??= kind === 'max' ? t('training.error.max', { max: max ?? '', length: [...(values[field] ?? '').trim()].length }) : t(REGISTER_ERRORS[kind ?? ''] ?? 'training.error.required');
  }
  return errors;
}

/**
 * `研修 登録`: HR registers one training from a card (the yearly plan is the CLI's import). The
 * schedule then invites, reminds and asks for attendance as for an imported one.
 */
export function registerHandlers(deps: RegisterDeps): { command: CommandRoute; verb: VerbRoute } {
  async function openRegister(ctx: HandlerContext): Promise<void> {
    if (!ctx.person.hr || !ctx.person.active) return void (await ctx.reply({ text: ctx.t('training.register.notAllowed') }));
    const units = activeUnits(await deps.org.listPeople(ctx.tenantId));
    await ctx.reply({ card: renderRegisterForm(units, deps.reminderOfficeDaysBefore, ctx.t), summary: ctx.t('training.register.title') });
  }

  /** One training from HR's card. Its id comes from name and first day, so the same card sent twice registers it once. */
  async function register(ctx: HandlerContext): Promise<void> {
    if (!ctx.person.hr || !ctx.person.active) return void (await ctx.reply({ text: ctx.t('training.register.notAllowed') }));
    const directory = await deps.org.listPeople(ctx.tenantId);
    const units = activeUnits(directory);
    const values = typedValues(ctx.value, REGISTER_FIELDS);
    const parsed = registerSubmitSchema.safeParse(ctx.value);
    const errors = parsed.success ? {} : registerErrors(parsed.error.issues, values, ctx.t);
    const unknown = parsed.success ? parsed.data.units.filter((u) => !units.includes(u)) : [];
    if (unknown.length > 0) errors.units = ctx.t('training.error.unknownUnit', { units: unknown.join(ctx.t('kpiReport.scope.unitSeparator')) });
    if (!parsed.success || unknown.length > 0) return answerInPlace(ctx, { card: renderRegisterForm(units, deps.reminderOfficeDaysBefore, ctx.t, { values, errors }) });
    const r = parsed.data;
    const plan = { id: trainingIdFor(r.name, r.start), name: r.name, startDay: r.start, endDay: r.end || r.start, kind: r.kind, units: r.units, roles: r.roles, required: r.required };
    const outcome = await deps.trainings.save(ctx.tenantId, plan, deps.clock.now());
    const saved = await deps.trainings.get(ctx.tenantId, plan.id);
    if (!saved) return void (await ctx.reply({ text: ctx.t('training.error.notFound') }));
    const intro =
      outcome === 'unchanged'
        ? ctx.t('training.register.again', { id: plan.id })
        : plan.required
          ? ctx.t('training.register.doneIntro', { count: invitees(plan, directory).length })
          : ctx.t('training.register.doneOptional');
    await answerInPlace(ctx, { card: renderRegistered(saved, ctx.t('training.register.doneTitle', { id: plan.id }), intro, ctx.t, ctx.locale) });
  }

  return {
    command: {
      name: 'training-register',
      aliases: ['研修 登録', '研修登録', 'training register', 'training-register'],
      descriptionKey: 'help.cmd.trainingRegister',
      example: { ja: '研修 登録', en: 'training register' },
      handle: openRegister,
    },
    verb: { verb: 'training.register', handle: register },
  };
}
