import { createHash, randomBytes } from 'node:crypto';
import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { addDays, fiscalPeriodOf, tokyoDay } from '../../calendar/office-calendar';
import type { Translate } from '../../i18n/i18n';
import { readForm, typedValues, type FieldMessages, type FormState } from '../../shared/card-form';
import type { Person } from '../../directory/org.schema';
import { formRecipients, periodLabel, renderKudosForm, renderSentCard } from './kudos.cards';
import type { KudosDeps } from './kudos.deps';
import { FORM_FIELDS, KUDOS_LIMITS, kudosSubmitSchema } from './kudos.schema';
import { names, sendKudos, type KudosDraft, type SendOutcome } from './kudos.send';
import { resolveMentions } from '../../directory/mentions';
import { checkRecipients, messageOf, valueInText, valueLabel, type RecipientProblem } from './kudos.service';

/** The form's own kinds; a length over the limit reads as every card form words it. */
const FIELD_MESSAGES: FieldMessages = {
  recipients: 'kudos.error.noRecipient',
  tooMany: 'kudos.error.tooMany',
  value: 'kudos.error.value',
  message: 'kudos.error.message',
  other: 'kudos.error.invalid',
};

/** Minted into each rendered form: pressing the same card twice sends one kudos. */
export function newSubmitId(): string {
  return `k${randomBytes(9).toString('hex')}`;
}

/**
 * A typed command's submit id: derived from the activity, so Teams delivering the same message
 * again (it does when an answer is slow) finds the kudos already sent instead of sending a second.
 */
export function submitIdOf(activityKey: string | undefined): string {
  return activityKey ? `a${createHash('sha256').update(activityKey).digest('hex').slice(0, 32)}` : newSubmitId();
}

/** How far back the form looks for whom the sender thanked, to list them. */
export const RECENT_DAYS = 90;

const OPT_OUT = new Set(['公開しない', '非公開', 'private', 'no-public']);
const OPT_IN = new Set(['公開する', '公開', 'public']);

function problemText(problem: RecipientProblem, t: Translate): string {
  if (problem.kind === 'self') return t('kudos.error.self');
  if (problem.kind === 'unknown') return t('kudos.error.unknown', { names: problem.names.join(t('kudos.nameSeparator')) });
  if (problem.kind === 'tooMany') return t('kudos.error.tooMany', { max: KUDOS_LIMITS.recipients });
  return t('kudos.error.noRecipient');
}

/** What the sender reads once sent: to whom, and what became of the プラス評価 and the public post. */
function outcomeLines(
  outcome: Extract<SendOutcome, { kind: 'sent' }>,
  draft: KudosDraft,
  ctx: HandlerContext,
  today: string,
): { title: string; notes: string[] } {
  const t = ctx.t;
  const title = t('kudos.sent', { names: names(draft.recipients, t), value: valueLabel(draft.value, t) });
  const notes: string[] = [];
  if (outcome.plusFor.length > 0)
    notes.push(t('kudos.sent.plus', { names: names(outcome.plusFor, t), period: periodLabel(fiscalPeriodOf(today), ctx.locale) }));
  const { posted, optedOut, noChannel } = outcome.publicResult;
  if (posted.length > 0) notes.push(t('kudos.sent.public', { names: names(posted, t) }));
  if (optedOut.length > 0) notes.push(t('kudos.sent.optedOut', { names: names(optedOut, t) }));
  if (noChannel.length > 0) notes.push(t('kudos.sent.noChannel', { names: names(noChannel, t) }));
  return { title, notes };
}

export function kudosHandlers(deps: KudosDeps): { command: CommandRoute; verb: VerbRoute } {
  const today = (): string => tokyoDay(deps.clock.now());
  const limitText = (t: Translate): string => t('kudos.error.limit', { limit: deps.dailyLimit });

  /** The form, listing a bounded few (chosen, recent, the sender's own 課): everyone else is a type-ahead away. */
  async function form(ctx: HandlerContext, directory: readonly Person[], submitId: string, state?: FormState): Promise<Record<string, unknown>> {
    // Whom someone thanked lately is theirs to see, not a channel's.
    const recent = ctx.sharedChat ? [] : await deps.kudos.recentRecipients(ctx.tenantId, ctx.person.id, addDays(today(), -RECENT_DAYS));
    const chosen = (state?.values.recipients ?? '').split(',').map((id) => id.trim());
    return renderKudosForm(formRecipients(ctx.person, directory, recent, chosen), submitId, ctx.t, state);
  }

  async function openForm(ctx: HandlerContext, directory: readonly Person[], submitId: string, state?: FormState): Promise<void> {
    await ctx.reply({ card: await form(ctx, directory, submitId, state), summary: ctx.t('kudos.form.title') });
  }

  /** `ありがとう <at>A</at> text`: sent at once when the text names a value, else the card, filled in. */
  async function command(ctx: HandlerContext): Promise<void> {
    const args = ctx.args.trim();
    if (ctx.mentions.length === 0 && OPT_OUT.has(args.toLowerCase())) {
      await deps.preferences.setKudosPublicOptOut(ctx.tenantId, ctx.person.id, true);
      return void (await ctx.reply({ text: ctx.t('kudos.optOut.done') }));
    }
    if (ctx.mentions.length === 0 && OPT_IN.has(args.toLowerCase())) {
      await deps.preferences.setKudosPublicOptOut(ctx.tenantId, ctx.person.id, false);
      return void (await ctx.reply({ text: ctx.t('kudos.optIn.done') }));
    }
    const directory = await deps.org.listPeople(ctx.tenantId);
    const submitId = submitIdOf(ctx.activityKey);
    if (!args && ctx.mentions.length === 0) return openForm(ctx, directory, submitId);

    const typed = ctx.text.replace(/<at>([^<]*)<\/at>/g, '@$1');
    const refuse = (reason: string) => ctx.reply({ text: `${reason}\n\n${ctx.t('kudos.error.typed', { text: typed })}` });
    const { found, unknownNames } = resolveMentions(ctx.mentions, directory);
    const problem = checkRecipients(ctx.person, found, unknownNames, KUDOS_LIMITS.recipients);
    if (problem) return void (await refuse(problemText(problem, ctx.t)));
    const message = messageOf(args);
    if (!message) return void (await refuse(ctx.t('kudos.error.message')));
    if ([...message].length > KUDOS_LIMITS.message) {
      return void (await refuse(ctx.t('form.error.max', { max: KUDOS_LIMITS.message, length: [...message].length })));
    }
    const value = valueInText(message);
    const values = { recipients: found.map((p) => p.id).join(','), message };
    if (!value) return openForm(ctx, directory, submitId, { values, errors: {}, formError: ctx.t('kudos.form.pickValue') });

    const draft: KudosDraft = { submitId, recipients: found, value, message, public: false };
    const outcome = await sendKudos(deps, ctx.tenantId, ctx.person, draft, directory);
    if (outcome.kind === 'limit') return void (await refuse(limitText(ctx.t)));
    if (outcome.kind === 'duplicate') return void (await ctx.reply({ text: ctx.t('kudos.alreadySent') }));
    if (outcome.kind === 'foreignKey') return void (await ctx.reply({ text: ctx.t('kudos.error.invalid') }));
    const { title, notes } = outcomeLines(outcome, draft, ctx, today());
    await ctx.reply({ text: [title, ...notes].join('\n\n') });
  }

  /** The card's submit: refused forms come back in place with everything typed and the problem named. */
  async function submit(ctx: HandlerContext): Promise<void> {
    const raw = typeof ctx.value === 'object' && ctx.value !== null ? (ctx.value as Record<string, unknown>) : {};
    const typed = typedValues(raw, FORM_FIELDS);
    const submitId = typeof raw.submitId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(raw.submitId) ? raw.submitId : undefined;
    if (!submitId) return void (await ctx.reply({ text: ctx.t('kudos.error.invalid') }));
    const directory = await deps.org.listPeople(ctx.tenantId);
    const sendBack = async (formError: string, errors: FormState['errors'] = {}) =>
      ctx.answerInPlace({ card: await form(ctx, directory, submitId, { values: typed, errors, formError }) });

    const parsed = readForm(kudosSubmitSchema, ctx.value, FORM_FIELDS, ctx.t, FIELD_MESSAGES);
    if (!parsed.ok) return sendBack(ctx.t('kudos.form.error'), parsed.errors);
    const { recipients: ids, value, message } = parsed.data;
    const found = directory.filter((p) => p.active && ids.includes(p.id));
    const unknownNames = ids.filter((id) => !found.some((p) => p.id === id));
    const problem = checkRecipients(ctx.person, found, unknownNames, KUDOS_LIMITS.recipients);
    if (problem) return sendBack(problemText(problem, ctx.t));

    const draft: KudosDraft = { submitId, recipients: found, value, message, public: parsed.data.public };
    const outcome = await sendKudos(deps, ctx.tenantId, ctx.person, draft, directory);
    if (outcome.kind === 'limit') return sendBack(limitText(ctx.t));
    if (outcome.kind === 'duplicate') return void (await ctx.reply({ text: ctx.t('kudos.alreadySent') }));
    if (outcome.kind === 'foreignKey') return void (await ctx.reply({ text: ctx.t('kudos.error.invalid') }));
    const { title, notes } = outcomeLines(outcome, draft, ctx, today());
    await ctx.answerInPlace({ card: renderSentCard(title, draft.recipients, draft.value, draft.message, notes, ctx.t) });
  }

  return {
    command: {
      name: 'kudos',
      aliases: ['ありがとう', 'kudos', 'thanks', 'サンクス', '感謝'],
      descriptionKey: 'help.cmd.kudos',
      example: { ja: 'ありがとう @名前 メッセージ', en: 'thanks @name message' },
      handle: command,
      sharedChats: true,
    },
    verb: { verb: 'kudos.send', handle: submit, sharedChats: true },
  };
}
