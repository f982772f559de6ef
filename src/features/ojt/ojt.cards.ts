import listTemplate from '../../../cards/ojt/list.card.json';
import planViewTemplate from '../../../cards/ojt/plan-view.card.json';
import planTemplate from '../../../cards/ojt/plan.card.json';
import progressTemplate from '../../../cards/ojt/progress.card.json';
import { renderCard, renderFitting } from '../../cards/render-card';
import { formatDate, type Locale, type MessageKey, type Translate } from '../../i18n/i18n';
import type { FormState } from '../../shared/card-form';
import type { Person } from '../../directory/org.schema';
import { nextStep } from './ojt.rules';
import { STEP_ROWS, stepDoneField, stepDueField, stepTextField, type Plan, type PlanStep, type Progress } from './ojt.schema';

type Card = Record<string, unknown>;

export function who(person: Pick<Person, 'role' | 'name'>, t: Translate): string {
  return `${t(`role.${person.role}` as MessageKey)} ${person.name}`;
}

export function monthLabel(month: string, t: Translate): string {
  const [year = '', mm = ''] = month.split('-');
  return t('ojt.month', { year, month: String(Number(mm)) });
}

export function stepLine(step: PlanStep, t: Translate, locale: Locale): string {
  return t('ojt.agenda.nextValue', { text: step.text, due: formatDate(step.due, locale) });
}

export interface JuniorRow {
  junior: Person;
  plan?: Plan;
  onTrack: boolean;
}

/** The mentor's `OJT`: each junior with where their plan stands; those that do not fit one card are counted. */
export function renderJuniorList(rows: readonly JuniorRow[], t: Translate, locale: Locale): Card {
  const action = (key: MessageKey, verb: string, juniorId: string) => ({ title: t(key), data: { verb, juniorId } });
  const juniors = rows.map(({ junior, plan, onTrack }) => {
    const next = plan && nextStep(plan.steps);
    return {
      name: who(junior, t),
      status: t(!plan ? 'ojt.list.noPlan' : onTrack ? 'ojt.list.onTrack' : 'ojt.list.behind'),
      color: !plan || !onTrack ? 'Attention' : 'Good',
      detail: next ? t('ojt.list.next', { step: stepLine(next, t, locale) }) : '',
      actions: plan
        ? [action('ojt.action.edit', 'ojt.plan.open', junior.id), action('ojt.action.progress', 'ojt.progress.open', junior.id)]
        : [action('ojt.action.create', 'ojt.plan.open', junior.id)],
    };
  });
  const render = (shown: number): Card =>
    renderCard(listTemplate, {
      title: t('ojt.list.title'),
      intro: t('ojt.list.intro'),
      juniors: juniors.slice(0, shown),
      more: shown < juniors.length ? t('ojt.list.more', { count: juniors.length - shown }) : '',
    });
  return renderFitting(juniors.length, render).card;
}

/** The plan form; prefilled from the saved plan, or as typed when it comes back refused. */
export function renderPlanForm(junior: Person, formId: string, plan: Plan | undefined, state: FormState | undefined, t: Translate): Card {
  const stored: Record<string, string> = { goals: plan?.goals ?? '' };
  plan?.steps.forEach((step, i) => {
    stored[stepTextField(i + 1)] = step.text;
    stored[stepDueField(i + 1)] = step.due;
  });
  const values = state ? state.values : stored;
  const errorOf = (n: number): string => state?.errors[stepTextField(n)] ?? state?.errors[stepDueField(n)] ?? '';
  return renderCard(planTemplate, {
    title: t('ojt.plan.title', { name: who(junior, t) }),
    intro: t('ojt.plan.intro', { name: junior.name }),
    formError: state ? t('ojt.plan.formError') : '',
    goals: values.goals ?? '',
    goalsError: state?.errors.goals ?? '',
    juniorId: junior.id,
    formId,
    labels: { goals: t('ojt.field.goals'), steps: t('ojt.field.steps'), due: t('ojt.field.due'), save: t('ojt.plan.save') },
    steps: STEP_ROWS.map((n) => ({
      textId: stepTextField(n),
      dueId: stepDueField(n),
      label: t('ojt.field.step', { n }),
      text: values[stepTextField(n)] ?? '',
      due: values[stepDueField(n)] ?? '',
      error: errorOf(n),
    })),
  });
}

export function progressLine(plan: Plan, last: Progress | undefined, t: Translate): string {
  if (!last) return t('ojt.view.noProgress');
  return t('ojt.view.lastProgress', {
    month: monthLabel(last.month, t),
    done: last.doneSteps.length,
    total: plan.steps.length,
    comment: last.comment ?? '',
  }).trim();
}

/**
 * The plan as the junior receives it and the mentor sees it once saved; the mentor's copy carries
 * the buttons to revise it and to record progress.
 */
export function renderPlanView(
  args: { plan: Plan; junior: Person; mentor: Person | undefined; last?: Progress; note?: string; forMentor: boolean },
  t: Translate,
  locale: Locale,
): Card {
  const { plan, junior } = args;
  return renderCard(planViewTemplate, {
    title: t('ojt.plan.title', { name: who(junior, t) }),
    who: t('ojt.view.who', { mentor: args.mentor ? who(args.mentor, t) : '', day: formatDate(plan.createdOn, locale) }),
    note: args.note ?? '',
    labels: { goals: t('ojt.field.goalsShort'), steps: t('ojt.field.stepsShort') },
    goals: plan.goals,
    steps: plan.steps.map((step) => ({
      line: step.doneOn
        ? t('ojt.view.stepDone', { mark: '✅', text: step.text, due: formatDate(step.due, locale), done: formatDate(step.doneOn, locale) })
        : t('ojt.view.step', { mark: '⬜', text: step.text, due: formatDate(step.due, locale) }),
      color: step.doneOn ? 'Good' : 'Default',
    })),
    progress: progressLine(plan, args.last, t),
    actions: args.forMentor
      ? [
          { title: t('ojt.action.edit'), data: { verb: 'ojt.plan.open', juniorId: junior.id } },
          { title: t('ojt.action.progress'), data: { verb: 'ojt.progress.open', juniorId: junior.id } },
        ]
      : [],
  });
}

/** The month's progress card: a toggle per step (ticked when done), and a comment. */
export function renderProgressForm(
  args: { plan: Plan; junior: Person; month: string; record?: Progress; note?: string },
  state: FormState | undefined,
  t: Translate,
  locale: Locale,
): Card {
  const { plan, junior, month } = args;
  const ticked = (n: number): boolean => {
    const typed = state?.values[stepDoneField(n)];
    return typed !== undefined ? typed === 'true' : Boolean(plan.steps[n - 1]?.doneOn);
  };
  return renderCard(progressTemplate, {
    title: t('ojt.progress.title', { name: who(junior, t), month: monthLabel(month, t) }),
    intro: t('ojt.progress.intro'),
    formError: state ? t('ojt.progress.formError') : '',
    note: args.note ?? '',
    labels: { goals: t('ojt.field.goalsShort'), steps: t('ojt.field.doneSteps'), comment: t('ojt.field.comment'), save: t('ojt.progress.save') },
    goals: plan.goals,
    steps: plan.steps.map((step, i) => ({ id: stepDoneField(i + 1), title: stepLine(step, t, locale), value: ticked(i + 1) ? 'true' : 'false' })),
    comment: state?.values.comment ?? args.record?.comment ?? '',
    commentError: state?.errors.comment ?? '',
    juniorId: junior.id,
    month,
  });
}
