import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { readForm, typedValues, type FieldMessages } from '../../shared/card-form';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import { renderRegistered, renderRegisterForm } from './training.cards';
import { activeUnits } from './training.forms';
import type { TrainingRepository } from './training.repository';
import { REGISTER_FIELDS, registerSubmitSchema } from './training.schema';
import { invitees, trainingPlanOf } from './training.service';

export interface RegisterDeps {
  trainings: TrainingRepository;
  org: Pick<OrgRepository, 'listPeople'>;
  clock: Clock;
  /** TRAINING_REMINDER_DAYS_BEFORE, as the form tells HR. */
  reminderOfficeDaysBefore: number;
}

/** The register card's own kinds; `required`, `date` and `max:<n>` read as every card form words them. */
const REGISTER_MESSAGES: FieldMessages = { endBefore: 'training.error.endBefore', choice: 'training.register.choose' };

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
    const reading = readForm(registerSubmitSchema, ctx.value, REGISTER_FIELDS, ctx.t, REGISTER_MESSAGES);
    if (!reading.ok) return ctx.answerInPlace({ card: renderRegisterForm(units, deps.reminderOfficeDaysBefore, ctx.t, reading) });
    const unknown = reading.data.units.filter((u) => !units.includes(u));
    if (unknown.length > 0) {
      const errors = { units: ctx.t('training.error.unknownUnit', { units: unknown.join(ctx.t('kpiReport.scope.unitSeparator')) }) };
      return ctx.answerInPlace({
        card: renderRegisterForm(units, deps.reminderOfficeDaysBefore, ctx.t, { values: typedValues(ctx.value, REGISTER_FIELDS), errors }),
      });
    }
    const plan = trainingPlanOf(reading.data);
    const outcome = await deps.trainings.save(ctx.tenantId, plan, deps.clock.now());
    const saved = await deps.trainings.get(ctx.tenantId, plan.id);
    if (!saved) return void (await ctx.reply({ text: ctx.t('training.error.notFound') }));
    const intro =
      outcome === 'unchanged'
        ? ctx.t('training.register.again', { id: plan.id })
        : plan.required
          ? ctx.t('training.register.doneIntro', { count: invitees(plan, directory).length })
          : ctx.t('training.register.doneOptional');
    await ctx.answerInPlace({ card: renderRegistered(saved, ctx.t('training.register.doneTitle', { id: plan.id }), intro, ctx.t, ctx.locale) });
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
