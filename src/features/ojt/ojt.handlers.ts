import { randomUUID } from 'node:crypto';
import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { tokyoDay } from '../../calendar/office-calendar';
import { toPerson } from '../../delivery/notifier';
import { translator } from '../../i18n/i18n';
import { fieldErrors, readForm, typedValues, type FieldMessages } from '../../shared/card-form';
import type { Person } from '../../directory/org.schema';
import { monthLabel, renderJuniorList, renderPlanForm, renderPlanView, renderProgressForm, who } from './ojt.cards';
import { ojtKeys, type OjtDeps } from './ojt.deps';
import { inForceOn, isOnTrack, keepDone, lastProgress, markSteps } from './ojt.rules';
import {
  formIdSchema,
  juniorIdSchema,
  juniorRefSchema,
  monthSchema,
  PLAN_FIELDS,
  planSubmitSchema,
  PROGRESS_FIELDS,
  progressSubmitSchema,
  readSteps,
  type Plan,
} from './ojt.schema';

/** OJT words its fields its own way (the goals, a step's due day), so it names every kind it uses. */
const FIELD_MESSAGES: FieldMessages = {
  required: 'ojt.error.required',
  max: 'ojt.error.max',
  date: 'ojt.error.date',
  stepText: 'ojt.error.stepText',
  noStep: 'ojt.error.noStep',
};

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** `OJT`: a mentor's juniors, a junior's own plan; the plan form and the progress card behind them. */
export function ojtHandlers(deps: OjtDeps): { command: CommandRoute; verbs: VerbRoute[] } {
  const today = (): string => tokyoDay(deps.clock.now());

  /** The junior, when the asker is their mentor today; otherwise they are told and get nothing. */
  async function menteeOf(ctx: HandlerContext, juniorId: string): Promise<Person | undefined> {
    const assignment = await deps.ojt.assignment(ctx.tenantId, juniorId);
    const junior =
      assignment && assignment.mentorId === ctx.person.id && inForceOn(assignment, today()) ? await deps.org.getPerson(ctx.tenantId, juniorId) : undefined;
    if (!junior?.active) {
      await ctx.reply({ text: ctx.t('ojt.error.notMentor') });
      return undefined;
    }
    return junior;
  }

  async function overview(ctx: HandlerContext): Promise<void> {
    const day = today();
    const [snapshot, directory] = await Promise.all([deps.ojt.snapshot(ctx.tenantId), deps.org.listPeople(ctx.tenantId)]);
    const byId = new Map(directory.map((p) => [p.id, p]));
    const inForce = snapshot.assignments.filter((a) => inForceOn(a, day));
    const rows = inForce.flatMap((a) => {
      const junior = byId.get(a.juniorId);
      if (a.mentorId !== ctx.person.id || !junior?.active) return [];
      const plan = snapshot.plans.get(a.juniorId);
      return [{ junior, plan, onTrack: plan ? isOnTrack(plan, snapshot.progress.get(a.juniorId) ?? [], day) : false }];
    });
    const own = inForce.find((a) => a.juniorId === ctx.person.id);
    if (rows.length > 0) await ctx.reply({ card: renderJuniorList(rows, ctx.t, ctx.locale), summary: ctx.t('ojt.list.title') });
    if (own) {
      const plan = snapshot.plans.get(ctx.person.id);
      const mentor = byId.get(own.mentorId);
      if (!plan) await ctx.reply({ text: ctx.t('ojt.noPlanYet', { mentor: mentor ? who(mentor, ctx.t) : '' }) });
      else {
        const last = lastProgress(snapshot.progress.get(ctx.person.id) ?? [], day);
        await ctx.reply({
          card: renderPlanView({ plan, junior: ctx.person, mentor, last, forMentor: false }, ctx.t, ctx.locale),
          summary: ctx.t('ojt.plan.title', { name: ctx.person.name }),
        });
      }
    }
    if (rows.length === 0 && !own) await ctx.reply({ text: ctx.t('ojt.none') });
  }

  async function openPlan(ctx: HandlerContext): Promise<void> {
    const parsed = juniorRefSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('ojt.error.invalid') }));
    const junior = await menteeOf(ctx, parsed.data.juniorId);
    if (!junior) return;
    const plan = await deps.ojt.plan(ctx.tenantId, junior.id);
    await ctx.reply({ card: renderPlanForm(junior, randomUUID(), plan, undefined, ctx.t), summary: ctx.t('ojt.plan.title', { name: junior.name }) });
  }

  async function savePlan(ctx: HandlerContext): Promise<void> {
    const juniorId = juniorIdSchema.safeParse(field(ctx.value, 'juniorId'));
    const formId = formIdSchema.safeParse(field(ctx.value, 'formId'));
    if (!juniorId.success || !formId.success) return void (await ctx.reply({ text: ctx.t('ojt.error.invalid') }));
    const junior = await menteeOf(ctx, juniorId.data);
    if (!junior) return;
    const values = typedValues(ctx.value, PLAN_FIELDS);
    const parsed = planSubmitSchema.safeParse(ctx.value);
    const { steps, problems } = readSteps(typeof ctx.value === 'object' && ctx.value !== null ? (ctx.value as Record<string, unknown>) : {});
    const stepIssues = Object.entries(problems).map(([name, code]) => ({ path: [name], message: code }));
    if (!parsed.success || stepIssues.length > 0) {
      const errors = fieldErrors([...(parsed.error?.issues ?? []), ...stepIssues], values, ctx.t, FIELD_MESSAGES);
      return ctx.answerInPlace({ card: renderPlanForm(junior, formId.data, undefined, { values, errors }, ctx.t) });
    }
    const now = deps.clock.now();
    const day = tokyoDay(now);
    const previous = await deps.ojt.plan(ctx.tenantId, junior.id);
    const plan: Plan = {
      tenantId: ctx.tenantId,
      juniorId: junior.id,
      mentorId: ctx.person.id,
      goals: parsed.data.goals,
      steps: keepDone(previous?.steps ?? [], steps),
      formId: formId.data,
      createdOn: previous?.createdOn ?? day,
      savedOn: day,
      createdAt: previous?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    };
    // The same card sent again (a double tap, a retry) is the plan already saved: nothing to write.
    if (previous?.formId !== plan.formId) await deps.ojt.savePlan(plan);
    const saved = previous?.formId === plan.formId ? previous : plan;
    const last = lastProgress(await deps.ojt.progressOf(ctx.tenantId, junior.id), day);
    const juniorLocale = await deps.localeOf(ctx.tenantId, junior.id);
    const jt = translator(juniorLocale);
    const note = jt(previous && previous.formId !== plan.formId ? 'ojt.plan.updated' : 'ojt.plan.received', { mentor: who(ctx.person, jt) });
    const card = renderPlanView({ plan: saved, junior, mentor: ctx.person, last, note, forMentor: false }, jt, juniorLocale);
    await deps.notifier.send(ctx.tenantId, day, [
      { key: ojtKeys.plan(junior.id, plan.formId), to: toPerson(junior.id), message: { card, summary: note }, locale: juniorLocale },
    ]);
    const mentorCard = renderPlanView(
      { plan: saved, junior, mentor: ctx.person, last, note: ctx.t('ojt.plan.saved', { name: junior.name }), forMentor: true },
      ctx.t,
      ctx.locale,
    );
    await ctx.answerInPlace({ card: mentorCard });
  }

  async function openProgress(ctx: HandlerContext): Promise<void> {
    const parsed = juniorRefSchema.safeParse(ctx.value);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('ojt.error.invalid') }));
    const junior = await menteeOf(ctx, parsed.data.juniorId);
    if (!junior) return;
    const plan = await deps.ojt.plan(ctx.tenantId, junior.id);
    if (!plan) return void (await ctx.reply({ text: ctx.t('ojt.error.noPlan') }));
    const month = today().slice(0, 7);
    const record = (await deps.ojt.progressOf(ctx.tenantId, junior.id)).find((p) => p.month === month);
    await ctx.reply({ card: renderProgressForm({ plan, junior, month, record }, undefined, ctx.t, ctx.locale) });
  }

  async function saveProgress(ctx: HandlerContext): Promise<void> {
    const juniorId = juniorIdSchema.safeParse(field(ctx.value, 'juniorId'));
    const month = monthSchema.safeParse(field(ctx.value, 'month'));
    const day = today();
    // A card of a month still to come cannot be; one of a past month records into that month.
    if (!juniorId.success || !month.success || month.data > day.slice(0, 7)) return void (await ctx.reply({ text: ctx.t('ojt.error.invalid') }));
    const junior = await menteeOf(ctx, juniorId.data);
    if (!junior) return;
    const plan = await deps.ojt.plan(ctx.tenantId, junior.id);
    if (!plan) return void (await ctx.reply({ text: ctx.t('ojt.error.noPlan') }));
    const parsed = readForm(progressSubmitSchema, ctx.value, PROGRESS_FIELDS, ctx.t, FIELD_MESSAGES);
    if (!parsed.ok) return ctx.answerInPlace({ card: renderProgressForm({ plan, junior, month: month.data }, parsed, ctx.t, ctx.locale) });
    const now = deps.clock.now();
    const doneSteps = parsed.data.doneSteps.filter((n) => n <= plan.steps.length);
    const progress = {
      tenantId: ctx.tenantId,
      juniorId: junior.id,
      month: month.data,
      mentorId: ctx.person.id,
      doneSteps,
      comment: parsed.data.comment,
      recordedOn: day,
      updatedAt: now.toISOString(),
    };
    await deps.ojt.saveProgress(progress);
    const updated: Plan = { ...plan, steps: markSteps(plan.steps, doneSteps, day), updatedAt: now.toISOString() };
    await deps.ojt.savePlan(updated);
    const note = ctx.t('ojt.progress.saved', { month: monthLabel(month.data, ctx.t), done: doneSteps.length, total: plan.steps.length });
    await ctx.answerInPlace({ card: renderProgressForm({ plan: updated, junior, month: month.data, record: progress, note }, undefined, ctx.t, ctx.locale) });
  }

  return {
    command: {
      name: 'ojt',
      aliases: ['OJT', 'OJT計画', 'OJT 計画', 'ojt plan'],
      descriptionKey: 'ojt.cmd.plan',
      example: { ja: 'OJT', en: 'ojt' },
      handle: overview,
    },
    verbs: [
      { verb: 'ojt.plan.open', handle: openPlan },
      { verb: 'ojt.plan.save', handle: savePlan },
      { verb: 'ojt.progress.open', handle: openProgress },
      { verb: 'ojt.progress.save', handle: saveProgress },
    ],
  };
}
