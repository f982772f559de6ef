import { randomBytes } from 'node:crypto';
import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { addDays, tokyoDay } from '../../calendar/office-calendar';
import { formatDate } from '../../i18n/i18n';
import { typedValues } from '../../shared/card-form';
import type { Clock } from '../../shared/clock';
import { readLeaveDay } from '../checkin/checkin.public';
import { MIN_GROUP_SIZE } from '../kpi/kpi.public';
import type { OrgRepository } from '../../directory/org.repository';
import type { PeopleLocales } from '../../preferences/locale-resolver';
import type { Notifier } from '../../delivery/notifier';
import { renderDone, renderSurveyForm, renderTexts, textPages } from './survey.cards';
import { loadQuestions } from './survey.questions';
import type { SurveyRepository } from './survey.repository';
import { readAnswer, readSurveyCommand, surveyIdSchema, type Survey } from './survey.schema';
import { closeDayAllowed, closedOf, eligible, isClosed, MAX_OPEN_DAYS, reminderDayOf, tallyGroupsOf } from './survey.service';
import { resultsMessage, surveyFanOut } from './survey.views';

export interface SurveyDeps {
  surveys: SurveyRepository;
  org: OrgRepository;
  notifier: Notifier;
  localesOf: PeopleLocales;
  clock: Clock;
  /** HR's question file (SURVEY_QUESTIONS_FILE); unset = the R7 questions. */
  questionsFile?: string;
}

export function surveyHandlers(deps: SurveyDeps): { command: CommandRoute; verb: VerbRoute } {
  const today = (): string => tokyoDay(deps.clock.now());

  async function status(ctx: HandlerContext, survey: Survey): Promise<string> {
    const [answered, people] = await Promise.all([deps.surveys.answeredIds(ctx.tenantId, survey.surveyId), deps.org.listPeople(ctx.tenantId)]);
    const asked = people.filter(eligible);
    return ctx.t('survey.status', {
      title: survey.questions.title[ctx.locale],
      answered: asked.filter((p) => answered.has(p.id)).length,
      eligible: asked.length,
      closeOn: formatDate(survey.closeOn, ctx.locale),
    });
  }

  async function mine(ctx: HandlerContext): Promise<void> {
    const survey = await deps.surveys.current(ctx.tenantId);
    if (!survey || isClosed(survey, today())) return void (await ctx.reply({ text: ctx.t('survey.none') }));
    if (ctx.person.hr) await ctx.reply({ text: await status(ctx, survey) });
    if (!eligible(ctx.person)) return void (await ctx.reply({ text: ctx.t('survey.notEligible') }));
    if (await deps.surveys.hasAnswered(ctx.tenantId, survey.surveyId, ctx.person.id)) return void (await ctx.reply({ text: ctx.t('survey.already.note') }));
    await ctx.reply({ card: renderSurveyForm(survey, ctx.t, ctx.locale), summary: survey.questions.title[ctx.locale] });
  }

  async function open(ctx: HandlerContext, closeArg: string): Promise<void> {
    const now = today();
    const [, month, day] = addDays(now, 14).split('-').map(Number);
    const example = `${month}/${day}`;
    if (closeArg === '') return void (await ctx.reply({ text: ctx.t('survey.open.usage', { example }) }));
    const reading = readLeaveDay(closeArg, now);
    if (!reading.ok && reading.reason === 'invalid') return void (await ctx.reply({ text: ctx.t('survey.open.invalidDate', { text: closeArg }) }));
    const closeOn = reading.day ?? now;
    if (!reading.ok || !closeDayAllowed(closeOn, now))
      return void (await ctx.reply({ text: ctx.t('survey.open.range', { max: MAX_OPEN_DAYS, day: formatDate(closeOn, ctx.locale) }) }));
    const questions = loadQuestions(deps.questionsFile);
    if (!questions.ok) return void (await ctx.reply({ text: ctx.t('survey.open.badFile', { problem: questions.problem }) }));
    const survey: Survey = {
      tenantId: ctx.tenantId,
      surveyId: `S${now.replace(/-/g, '')}-${randomBytes(2).toString('hex')}`,
      questions: questions.questions,
      openedOn: now,
      closeOn,
      state: 'open',
    };
    if (!(await deps.surveys.open(survey))) {
      const running = await deps.surveys.current(ctx.tenantId);
      const title = running?.questions.title[ctx.locale] ?? '';
      return void (await ctx.reply({ text: ctx.t('survey.open.already', { title, closeOn: running ? formatDate(running.closeOn, ctx.locale) : '' }) }));
    }
    const asked = (await deps.org.listPeople(ctx.tenantId)).filter(eligible);
    await surveyFanOut(deps, survey, asked, now, 'card');
    const reminderDay = reminderDayOf(survey);
    await ctx.reply({
      text: ctx.t('survey.opened', {
        title: survey.questions.title[ctx.locale],
        count: asked.length,
        reminder: reminderDay ? ctx.t('survey.opened.reminder', { day: formatDate(reminderDay, ctx.locale) }) : '',
        closeOn: formatDate(closeOn, ctx.locale),
      }),
    });
  }

  /** The latest closed survey, with the list it was found in (for the one before it). */
  async function latestClosed(tenantId: string): Promise<{ survey?: Survey; closed: Survey[] }> {
    const closed = closedOf(await deps.surveys.list(tenantId), today());
    return { survey: closed.at(-1), closed };
  }

  async function results(ctx: HandlerContext): Promise<void> {
    const running = await deps.surveys.current(ctx.tenantId);
    if (running && !isClosed(running, today())) await ctx.reply({ text: await status(ctx, running) });
    const { survey, closed } = await latestClosed(ctx.tenantId);
    if (!survey) return void (await ctx.reply({ text: ctx.t('survey.results.none') }));
    await ctx.reply(await resultsMessage(deps, survey, closed, ctx));
  }

  async function texts(ctx: HandlerContext, page: number): Promise<void> {
    const { survey } = await latestClosed(ctx.tenantId);
    if (!survey) return void (await ctx.reply({ text: ctx.t('survey.results.none') }));
    const town = (await deps.surveys.tallies(ctx.tenantId, survey.surveyId)).get('town');
    if ((town?.answers ?? 0) < MIN_GROUP_SIZE) return void (await ctx.reply({ text: ctx.t('survey.results.textsHidden') }));
    const pages = textPages(await deps.surveys.texts(ctx.tenantId, survey.surveyId));
    await ctx.reply({ card: renderTexts(survey.questions.title, pages, page, ctx.t, ctx.locale) });
  }

  async function command(ctx: HandlerContext): Promise<void> {
    const parsed = readSurveyCommand(ctx.args);
    if (parsed.kind === 'mine') return mine(ctx);
    if (parsed.kind === 'unknown') return void (await ctx.reply({ text: ctx.t('survey.usage') }));
    if (!ctx.person.hr) return void (await ctx.reply({ text: ctx.t('survey.hrOnly') }));
    if (parsed.kind === 'open') return open(ctx, parsed.closeArg);
    if (parsed.kind === 'results') return results(ctx);
    return texts(ctx, parsed.page);
  }

  /**
   * One answer, counted once, tied to no one: the handler logs nothing, and the bot neither logs
   * the sender nor rewrites their conversation row for this verb (concealsSender).
   */
  async function submit(ctx: HandlerContext): Promise<void> {
    const id = surveyIdSchema.safeParse((ctx.value as { surveyId?: unknown } | undefined)?.surveyId);
    const survey = id.success ? await deps.surveys.get(ctx.tenantId, id.data) : undefined;
    if (!survey) return void (await ctx.reply({ text: ctx.t('survey.invalid') }));
    if (isClosed(survey, today()))
      return ctx.answerInPlace({
        card: renderDone(ctx.t('survey.closed.title'), ctx.t('survey.closed.note', { closeOn: formatDate(survey.closeOn, ctx.locale) })),
      });
    if (!eligible(ctx.person)) return void (await ctx.reply({ text: ctx.t('survey.notEligible') }));
    const already = renderDone(ctx.t('survey.already.title'), ctx.t('survey.already.note'));
    if (await deps.surveys.hasAnswered(ctx.tenantId, survey.surveyId, ctx.person.id)) return ctx.answerInPlace({ card: already });
    const reading = readAnswer(ctx.value, survey.questions);
    if (!reading.ok) return ctx.answerInPlace({ card: renderSurveyForm(survey, ctx.t, ctx.locale, reading) });
    const outcome = await deps.surveys.record(ctx.tenantId, survey.surveyId, ctx.person.id, tallyGroupsOf(ctx.person), reading.answer);
    if (outcome === 'textsFull') {
      const values = typedValues(ctx.value, Object.keys(ctx.value ?? {}));
      return ctx.answerInPlace({ card: renderSurveyForm(survey, ctx.t, ctx.locale, { values, missing: [], tooLong: false }, ctx.t('survey.textsFull')) });
    }
    await ctx.answerInPlace({ card: outcome === 'stored' ? renderDone(ctx.t('survey.thanks.title'), ctx.t('survey.thanks.note')) : already });
  }

  return {
    command: {
      name: 'survey',
      aliases: ['アンケート', 'あんけーと', 'survey'],
      descriptionKey: 'help.cmd.survey',
      example: { ja: 'アンケート', en: 'survey' },
      handle: command,
    },
    verb: { verb: 'survey.submit', handle: submit, concealsSender: () => true },
  };
}
