import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type ShouldRetry,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';

/** Retries of one request on 429 / 503 / 504, each after Graph's Retry-After (or 3 s, growing). */
const MAX_RETRIES = 4;
const FIRST_DELAY_SECONDS = 3;
/** A Retry-After longer than this is not waited out: the run stops and says so, HR runs it later. */
const RETRY_AFTER_LIMIT_SECONDS = 120;

const withinRetryAfterLimit: ShouldRetry = (_delay, _attempt, _request, _options, response) => {
  const after = Number(response.headers.get('Retry-After'));
  return !(after > RETRY_AFTER_LIMIT_SECONDS);
};

/**
 * A Graph client that authenticates with hibi's own identity (managed identity on Azure, `az login`
 * at a desk). The chain is the SDK's default one spelled out, so the RetryHandler that honours 429's
 * Retry-After is certainly there and has a bound. `baseUrl` is Graph's root (GRAPH_BASE_URL): the
 * token is asked for that audience and the SDK sends it only to that host.
 */
export function createGraphClient(baseUrl: string, credential: TokenCredential): Client {
  const origin = new URL(baseUrl).origin;
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [`${origin}/.default`] });
  return Client.initWithMiddleware({
    baseUrl: origin,
    defaultVersion: 'v1.0',
    // The SDK authenticates only Graph's own hosts; a national cloud or the test double is named here.
    customHosts: new Set([new URL(origin).hostname]),
    middleware: [
      new AuthenticationHandler(authProvider),
      new RetryHandler(new RetryHandlerOptions(FIRST_DELAY_SECONDS, MAX_RETRIES, withinRetryAfterLimit)),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
  });
}

/** The HTTP status of a failed Graph call; undefined when no answer came. */
export function graphStatusOf(error: unknown): number | undefined {
  return error instanceof GraphError && error.statusCode > 0 ? error.statusCode : undefined;
}

/** One line for HR or the log: status, Graph's error code and its message. */
export function describeGraphError(error: unknown): string {
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? `${error.statusCode} ` : '';
    return `${status}${error.code ?? 'Error'}: ${(error.message || '').split('\n')[0]}`.trim();
  }
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}

/** Graph refused or could not be asked (no token for hibi's identity): what went wrong and what to do, in Japanese; undefined = another failure. */
export function graphFailureLine(error: unknown, permission: string): string | undefined {
  // The SDK wraps what the credential threw in a GraphError named after it (status -1).
  const name = error instanceof GraphError ? error.code : error instanceof Error ? error.name : '';
  const tokenless = /AuthenticationError|CredentialUnavailableError/.test(name ?? '');
  if (!(error instanceof GraphError) && !tokenless) return undefined;
  const status = graphStatusOf(error);
  const hint = tokenless
    ? 'hibi の ID（マネージド ID、または az login）で Microsoft Graph のトークンを取得できません。'
    : status === 401 || status === 403
      ? `hibi の ID に Microsoft Graph のアプリケーション権限 ${permission}（管理者の同意つき）が必要です。`
      : status === 429
        ? 'Microsoft Graph が混み合っています。しばらくしてからもう一度実行してください。'
        : '';
  return `${describeGraphError(error)}${hint ? `\n${hint}` : ''}`;
}
