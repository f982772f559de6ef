import { ActivityTypes, CardFactory, TeamsActivityHandler, TurnContext, type Activity } from 'botbuilder';
import type { OrgRepository } from '../directory/org.repository';
import type { Person } from '../directory/org.schema';
import type { PreferencesRepository } from '../preferences/preferences.repository';
import { resolveLocale, translator, type Locale } from '../i18n/i18n';
import type { Logger } from '../shared/logger';
import { normaliseText } from '../shared/text';
import { hibiMetrics, type TurnKind, type TurnOutcome } from '../telemetry/metrics';
import { LOCALE_STATE } from './adapter';
import type { HandlerContext, OutgoingMessage } from '../routing/handler-context';
import { resolvePerson } from './identity';
import { mentionsOf } from './mentions';
import type { InstallCapture } from './install-capture';
import type { Router } from '../routing/router';
import { answerSearch, SEARCH_INVOKE } from './search-invoke';
import { teamsInfoOf } from './teams-activity';
import type { TurnLimiter } from './turn-limiter';

const TENANT_STATE = Symbol('hibi.tenant');
const HANDLED_TYPES: ReadonlySet<string> = new Set([
  ActivityTypes.Message,
  ActivityTypes.Invoke,
  ActivityTypes.InstallationUpdate,
  ActivityTypes.ConversationUpdate,
]);

export interface HibiBotDeps {
  org: OrgRepository;
  preferences: PreferencesRepository;
  capture: InstallCapture;
  router: Router;
  logger: Logger;
  /** Empty = every tenant (development only; config makes it required in production). */
  allowedTenants: readonly string[];
  /** Used when an activity carries no tenant at all, which only emulators do. */
  fallbackTenantId?: string;
  /** Messages per person per minute; none = unlimited. */
  turnLimiter?: TurnLimiter;
}

export function toActivity(message: OutgoingMessage): Partial<Activity> {
  if ('text' in message) return { type: 'message', text: message.text };
  return { type: 'message', attachments: [CardFactory.adaptiveCard(message.card)], summary: message.summary };
}

/** Routes Teams activities to features; knows nothing of what features do. */
export class HibiBot extends TeamsActivityHandler {
  constructor(private readonly deps: HibiBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forget(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const added = context.activity.membersAdded ?? [];
      const botAdded = added.some((m) => m.id === context.activity.recipient.id);
      if (botAdded) await this.welcome(context);
      else if (teamsInfoOf(context.activity).teamId) await this.deps.capture.rememberMembers(this.tenant(context), added);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botRemoved = (context.activity.membersRemoved ?? []).some((m) => m.id === context.activity.recipient.id);
      if (botRemoved) await this.forget(context);
      await next();
    });
  }

  /** Every activity that passed authentication is a turn in hibi's metrics: its kind, how it ended, how long it took. */
  override async run(context: TurnContext): Promise<void> {
    const turnEnded = hibiMetrics.startTurn(turnKindOf(context.activity));
    try {
      turnEnded(await this.serve(context));
    } catch (error) {
      turnEnded('error');
      throw error;
    }
  }

  /**
   * The tenant gate comes before anything else: a foreign tenant gets no answer and nothing is stored.
   * Only the activity types hibi acts on reach the handlers: botbuilder's own handlers for the others
   * (message edits and deletes, reactions) assume Teams' channelData and would fail on anything less.
   */
  private async serve(context: TurnContext): Promise<TurnOutcome> {
    if (!HANDLED_TYPES.has(context.activity.type)) return 'ok';
    const tenantId = teamsInfoOf(context.activity).tenantId ?? this.deps.fallbackTenantId;
    const allowed = this.deps.allowedTenants;
    if (!tenantId || (allowed.length > 0 && !allowed.includes(tenantId))) {
      this.deps.logger.warn({ activityType: context.activity.type }, 'activity from a tenant that is not allowed ignored');
      return 'refused';
    }
    context.turnState.set(TENANT_STATE, tenantId);
    if (!(await this.withinTurnLimit(context))) return 'rate_limited';
    await super.run(context);
    return 'ok';
  }

  /** Messages only: Teams' own events and invokes are not someone typing. Over the limit: one polite answer, then nothing. */
  private async withinTurnLimit(context: TurnContext): Promise<boolean> {
    const limiter = this.deps.turnLimiter;
    if (!limiter || context.activity.type !== ActivityTypes.Message) return true;
    const tenantId = this.tenant(context);
    const verdict = limiter.check(`${tenantId}|${context.activity.from.aadObjectId ?? context.activity.from.id}`);
    if (verdict === 'serve') return true;
    this.deps.logger.warn({ tenantId, told: verdict === 'tell' }, 'message over the rate limit not handled');
    if (verdict === 'tell') {
      const locale = await this.localeFor(context, await resolvePerson(context, tenantId, this.deps.org));
      await context.sendActivity(translator(locale)('limits.rate', { limit: limiter.perMinute }));
    }
    return false;
  }

  private tenant(context: TurnContext): string {
    return context.turnState.get(TENANT_STATE) as string;
  }

  private async localeFor(context: TurnContext, person: Person | undefined): Promise<Locale> {
    const tenantId = this.tenant(context);
    const [settings, chosen] = await Promise.all([
      this.deps.org.getSettings(tenantId),
      person ? this.deps.preferences.localeOf(tenantId, person.id) : Promise.resolve(undefined),
    ]);
    const locale = resolveLocale(chosen, settings?.defaultLocale ?? 'ja', context.activity.locale);
    context.turnState.set(LOCALE_STATE, locale);
    return locale;
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const tenantId = this.tenant(context);
    const person = await resolvePerson(context, tenantId, this.deps.org);
    const locale = await this.localeFor(context, person);
    const t = translator(locale);
    const text = normaliseText(TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '');
    // Answers carry 1on1s, near-misses and evaluations: only those that show nothing private are given outside the person's own chat.
    const conversationType = teamsInfoOf(context.activity).conversationType;
    const shared = conversationType !== undefined && conversationType !== 'personal';
    // Whether someone is in the directory is the town's business, not the channel's.
    if (shared && (!person || !this.deps.router.allowsSharedChat(context.activity.value, text))) {
      await context.sendActivity(t('limits.personalOnly'));
      return;
    }
    if (!person) {
      await context.sendActivity(t('notRegistered'));
      return;
    }
    const concealed = this.deps.router.concealsSender(context.activity.value, text);
    if (!concealed) await this.deps.capture.refresh(tenantId, context.activity, person.id);
    const reply = async (message: OutgoingMessage) => (await context.sendActivity(toActivity(message)))?.id;
    const updateMessage = async (activityId: string, message: OutgoingMessage) => {
      await context.updateActivity({ ...toActivity(message), id: activityId });
    };
    const sourceActivityId = context.activity.replyToId;
    const handlerContext: HandlerContext = {
      tenantId,
      person,
      locale,
      t,
      text: context.activity.value === undefined ? text : '',
      args: '',
      mentions: context.activity.value === undefined ? await mentionsOf(context) : [],
      value: context.activity.value,
      sourceActivityId,
      activityKey: context.activity.id ? `${context.activity.conversation?.id ?? ''}|${context.activity.id}` : undefined,
      sharedChat: shared,
      reply,
      updateMessage,
      answerInPlace: async (message) => {
        if (sourceActivityId) await updateMessage(sourceActivityId, message);
        else await reply(message);
      },
    };
    this.deps.logger.info(
      { tenantId, personId: concealed ? undefined : person.id, kind: context.activity.value === undefined ? 'command' : 'submit' },
      'message',
    );
    await this.deps.router.dispatch(handlerContext);
  }

  /** Teams' type-ahead for a card's Data.Query choices; every other invoke as botbuilder answers it. */
  protected override async onInvokeActivity(context: TurnContext) {
    if (context.activity.name !== SEARCH_INVOKE) return super.onInvokeActivity(context);
    const tenantId = this.tenant(context);
    const person = await resolvePerson(context, tenantId, this.deps.org);
    return answerSearch(this.deps.router, tenantId, person, context.activity.value, this.deps.logger);
  }

  private async remember(context: TurnContext): Promise<Person | undefined> {
    const tenantId = this.tenant(context);
    const info = teamsInfoOf(context.activity);
    const inTeam = info.conversationType === 'channel' || info.teamId !== undefined;
    const person = inTeam ? undefined : await resolvePerson(context, tenantId, this.deps.org);
    if (inTeam || person) await this.deps.capture.remember(tenantId, context.activity, person?.id);
    if (inTeam) {
      // A roster Teams will not give (permissions, emulators) only costs the chats hibi could have opened.
      const known = await this.deps.capture.rememberRoster(tenantId, context).catch(() => 0);
      this.deps.logger.info({ tenantId, known }, 'team roster read');
    }
    return person;
  }

  private async welcome(context: TurnContext): Promise<void> {
    const person = await this.remember(context);
    const inTeam = teamsInfoOf(context.activity).teamId !== undefined;
    const locale = await this.localeFor(context, person);
    if (!inTeam && !person) {
      await context.sendActivity(translator(locale)('notRegistered'));
      return;
    }
    await context.sendActivity(translator(locale)('welcome'));
  }

  private async forget(context: TurnContext): Promise<void> {
    const tenantId = this.tenant(context);
    const info = teamsInfoOf(context.activity);
    const person = info.teamId ? undefined : await resolvePerson(context, tenantId, this.deps.org);
    await this.deps.capture.forget(tenantId, context.activity, person?.id);
  }
}

/** A card's Action.Submit arrives as a message with a value; Teams' membership events count as installs. */
function turnKindOf(activity: Activity): TurnKind {
  if (activity.type === ActivityTypes.Message) return activity.value === undefined ? 'message' : 'card_submit';
  if (activity.type === ActivityTypes.Invoke) return 'invoke';
  if (activity.type === ActivityTypes.InstallationUpdate || activity.type === ActivityTypes.ConversationUpdate) return 'install';
  return 'other';
}
