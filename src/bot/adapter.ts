import {
  ActivityTypes,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  createBotFrameworkAuthenticationFromConfiguration,
  StatusCodes,
  type Activity,
  type ActivityHandler,
  type InvokeResponse,
  type Request,
  type Response,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { AppConfig } from '../config';
import type { Logger } from '../shared/logger';
import { translator } from '../i18n/i18n';
import { isStorageUnreachable } from '../shared/storage-outage';
import { statusOf } from '../storage/table-errors';
import { readVerb } from '../routing/router';
import { withQuickRetriesInTurn } from './turn-retries';

/**
 * Bot Framework authentication from the environment. Without MicrosoftAppId the credential factory
 * has no identity, which is botbuilder's development mode (no token check).
 */
export function createBotFrameworkAuthentication(config: AppConfig): BotFrameworkAuthentication {
  const { env } = config;
  const credentials = new ConfigurationServiceClientCredentialFactory(
    config.production
      ? {
          MicrosoftAppId: env.MicrosoftAppId,
          MicrosoftAppPassword: env.MicrosoftAppPassword,
          MicrosoftAppType: env.MicrosoftAppType,
          MicrosoftAppTenantId: env.MicrosoftAppTenantId,
        }
      : {},
  );
  const inner = env.BOT_OPENID_METADATA_URL
    ? new ConfigurationBotFrameworkAuthentication(publicCloudWithSigningKeysFrom(env.BOT_OPENID_METADATA_URL), credentials)
    : createBotFrameworkAuthenticationFromConfiguration(null, credentials);
  return new EveryTokenFailureIsUnauthorized(inner);
}

/**
 * botbuilder's public-cloud settings with another OpenID metadata document. Setting any one of these
 * makes botbuilder expect all of them (an unset issuer would refuse every token), hence the full set.
 */
function publicCloudWithSigningKeysFrom(openIdMetadataUrl: string): Record<string, string | boolean> {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * CloudAdapter answers 401 only for its own AuthenticationError; a token that jsonwebtoken rejects
 * itself (a bad signature under a known key id, a malformed segment) escapes as a plain error and
 * became a 500. Any failure to authenticate a request is the caller's problem: 401.
 */
class EveryTokenFailureIsUnauthorized extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateRequest(activity, authHeader).catch(unauthorized);
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader).catch(unauthorized);
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader).catch(unauthorized);
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): ReturnType<BotFrameworkAuthentication['createBotFrameworkClient']> {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
}

function unauthorized(error: unknown): never {
  if (error instanceof AuthenticationError) throw error;
  throw new AuthenticationError(`Unauthorized: ${error instanceof Error ? error.message : String(error)}`, StatusCodes.UNAUTHORIZED);
}

/** The adapter that answers Teams on /api/messages. */
export function createAdapter(config: AppConfig, logger: Logger): CloudAdapter {
  const adapter = new CloudAdapter(withQuickRetriesInTurn(createBotFrameworkAuthentication(config)));
  unhandledInvokesAreBadRequests(adapter);
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    logger.error(
      {
        err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
        status: statusOf(error),
        activityType: context.activity.type,
        verb: readVerb(context.activity.value),
      },
      'turn failed',
    );
    const locale = (context.turnState.get(LOCALE_STATE) as 'ja' | 'en' | undefined) ?? 'ja';
    if (context.activity.type === 'message') {
      const key = isStorageUnreachable(error) ? 'error.storage' : 'error.generic';
      await context.sendActivity(translator(locale)(key)).catch(() => undefined);
    }
  };
  return adapter;
}

/** What /api/messages does with a request: the adapter authenticates it and runs the bot's turn. */
export function activityProcessor(adapter: CloudAdapter, bot: ActivityHandler): (req: Request, res: Response) => Promise<void> {
  return (req, res) => adapter.process(req, res, (context) => bot.run(context));
}

/** Turn-state key where the bot leaves the resolved locale, so the error answer speaks it too. */
export const LOCALE_STATE = Symbol('hibi.locale');

/**
 * botbuilder answers an invoke that nothing handled with 501, which Azure Bot Service and any
 * monitoring read as a server fault. For hibi it is a request it does not take (an invoke name it has
 * no handler for, or a tenant it does not serve): 400. An invoke whose turn failed keeps its 5xx.
 */
function unhandledInvokesAreBadRequests(adapter: CloudAdapter): void {
  adapter.use(async (context, next) => {
    if (context.activity.type !== ActivityTypes.Invoke) return next();
    let answered = false;
    context.onSendActivities(async (_context, activities, send) => {
      for (const activity of activities) {
        if (activity.type !== ActivityTypes.InvokeResponse) continue;
        answered = true;
        if ((activity.value as InvokeResponse | undefined)?.status === StatusCodes.NOT_IMPLEMENTED) activity.value = { status: StatusCodes.BAD_REQUEST };
      }
      return send();
    });
    await next();
    if (!answered) await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: StatusCodes.BAD_REQUEST } });
  });
}
