import {
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  createBotFrameworkAuthenticationFromConfiguration,
  type TurnContext,
} from 'botbuilder';
import type { AppConfig } from '../config';
import type { Logger } from '../shared/logger';
import { translator } from '../i18n/i18n';

/**
 * Bot Framework authentication from the environment. Without MicrosoftAppId the credential factory
 * has no identity, which is botbuilder's development mode (no token check).
 */
export function createBotFrameworkAuthentication(config: AppConfig): ReturnType<typeof createBotFrameworkAuthenticationFromConfiguration> {
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
  return createBotFrameworkAuthenticationFromConfiguration(null, credentials);
}

/**
 * Table storage that does not answer at all (connection refused, timeout, 5xx): the person must
 * hear that nothing was saved, not a vague apology. Turn errors only reach here from our own code
 * and its storage calls; the connector's own failures cannot be answered anyway.
 */
function isStorageUnreachable(error: unknown): boolean {
  const e = error as { name?: string; statusCode?: number; code?: string };
  if (e?.name !== 'RestError') return false;
  return e.statusCode === undefined || e.statusCode >= 500 || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(e.code ?? '');
}

/** The adapter that answers Teams on /api/messages. */
export function createAdapter(config: AppConfig, logger: Logger): CloudAdapter {
  const adapter = new CloudAdapter(createBotFrameworkAuthentication(config));
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    logger.error(
      { err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error), activityType: context.activity.type },
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

/** Turn-state key where the bot leaves the resolved locale, so the error answer speaks it too. */
export const LOCALE_STATE = Symbol('hibi.locale');
