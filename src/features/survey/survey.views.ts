import type { OutgoingMessage } from '../../delivery/delivery.types';
import { toPerson, type Notifier } from '../../delivery/notifier';
import { formatDate, translator, type Locale } from '../../i18n/i18n';
import type { Person } from '../../directory/org.schema';
import type { PeopleLocales } from '../../preferences/locale-resolver';
import type { HandlerContext } from '../../routing/handler-context';
import { MIN_GROUP_SIZE } from '../kpi/kpi.public';
import { baselineSummary } from './survey.baseline';
import { renderResults, renderSurveyForm } from './survey.cards';
import type { SurveyRepository } from './survey.repository';
import { resultsOf } from './survey.service';
import type { Survey } from './survey.schema';

/** Outbox keys: one card and one reminder per person and survey, one results card per HR officer. */
export const surveyKeys = {
  card: (surveyId: string, personId: string) => `survey.card|${surveyId}|${personId}`,
  reminder: (surveyId: string, personId: string) => `survey.reminder|${surveyId}|${personId}`,
  results: (surveyId: string, personId: string) => `survey.results|${surveyId}|${personId}`,
};

/**
 * The answer card to each of `people` through the outbox, rendered once per language (the card is
 * the same for everyone); the reminder is the same card under a one-line notice.
 */
export async function surveyFanOut(
  deps: { notifier: Notifier; localesOf: PeopleLocales },
  survey: Survey,
  people: readonly Person[],
  day: string,
  kind: 'card' | 'reminder',
): Promise<void> {
  const localeOf = await deps.localesOf(
    survey.tenantId,
    people.map((p) => p.id),
  );
  const rendered = new Map<Locale, OutgoingMessage>();
  const messageIn = (locale: Locale): OutgoingMessage => {
    const t = translator(locale);
    const notice = kind === 'reminder' ? t('survey.reminderNotice', { closeOn: formatDate(survey.closeOn, locale) }) : '';
    const message = rendered.get(locale) ?? { card: renderSurveyForm(survey, t, locale, undefined, notice), summary: survey.questions.title[locale] };
    rendered.set(locale, message);
    return message;
  };
  const items = people.map((p) => ({
    key: surveyKeys[kind](survey.surveyId, p.id),
    to: toPerson(p.id),
    message: messageIn(localeOf(p.id)),
    locale: localeOf(p.id),
  }));
  await deps.notifier.send(survey.tenantId, day, items);
}

/** The survey's results as HR reads them, beside the survey closed before it and the R7 baseline. */
export async function resultsMessage(
  deps: { surveys: SurveyRepository },
  survey: Survey,
  closed: readonly Survey[],
  ctx: Pick<HandlerContext, 't' | 'locale'>,
): Promise<OutgoingMessage> {
  const index = closed.findIndex((s) => s.surveyId === survey.surveyId);
  const before = index > 0 ? closed[index - 1] : undefined;
  const [current, previous, texts] = await Promise.all([
    resultsOf(deps.surveys, survey),
    before ? resultsOf(deps.surveys, before) : Promise.resolve(undefined),
    deps.surveys.texts(survey.tenantId, survey.surveyId),
  ]);
  const showTexts = (current.town.answers ?? 0) >= MIN_GROUP_SIZE;
  const card = renderResults({ current, previous, baseline: baselineSummary(), texts: showTexts ? texts.length : undefined }, ctx.t, ctx.locale);
  return { card, summary: ctx.t('survey.results.title', { title: current.title[ctx.locale] }) };
}
