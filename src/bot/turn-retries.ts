import { setTimeout as sleep } from 'node:timers/promises';
import type { BotFrameworkAuthentication, ConnectorFactory } from 'botframework-connector';
import { IN_TURN_MAX_WAIT_MS, IN_TURN_UPDATE_POLICY, isTransient, parseRetryAfter } from '../delivery/retry-policy';

/** The parts of @azure/core-rest-pipeline (inside botbuilder's connector client) this module touches. */
interface PipelineResponseLike {
  status: number;
  headers: { get(name: string): string | undefined };
}
type SendRequest = (request: unknown) => Promise<PipelineResponseLike>;
interface PipelinePolicyLike {
  name: string;
  sendRequest(request: unknown, next: SendRequest): Promise<PipelineResponseLike>;
}
interface ConnectorInternals {
  client?: { pipeline?: { removePolicy(options: { phase: 'Retry' }): unknown[]; addPolicy(policy: PipelinePolicyLike, options: { phase: 'Retry' }): void } };
}

/**
 * A reply or card update Teams refuses for now gets one retry, and only when it can come within
 * IN_TURN_MAX_WAIT_MS (a later Retry-After is not waited for); an error without an answer gets it too.
 */
const oneQuickRetry: PipelinePolicyLike = {
  name: 'hibiOneQuickRetryInTurn',
  async sendRequest(request, next) {
    let response: PipelineResponseLike;
    try {
      response = await next(request);
    } catch {
      await sleep(IN_TURN_UPDATE_POLICY.baseDelayMs);
      return next(request);
    }
    if (!isTransient(response)) return response;
    const waitMs = parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? IN_TURN_UPDATE_POLICY.baseDelayMs;
    if (waitMs > IN_TURN_MAX_WAIT_MS) return response;
    await sleep(waitMs);
    return next(request);
  },
};

/**
 * The adapter that answers turns: botbuilder's connector clients retry a refused reply or card update
 * three times, waiting out any Retry-After, which runs past Teams' turn timeout (after which Teams
 * sends the activity again). Their Retry-phase policy is swapped for one quick retry, in the clients
 * a turn gets (from authenticateRequest) and in any other the adapter makes.
 */
export function withQuickRetriesInTurn<T extends BotFrameworkAuthentication>(auth: T): T {
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    const result = await authenticate(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: quickRetries(result.connectorFactory) } : result;
  };
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity) => quickRetries(createFactory(claimsIdentity));
  return auth;
}

function quickRetries(factory: ConnectorFactory): ConnectorFactory {
  return {
    create: async (serviceUrl, audience) => {
      const connector = await factory.create(serviceUrl, audience);
      const pipeline = (connector as unknown as ConnectorInternals).client?.pipeline;
      if (!pipeline || pipeline.removePolicy({ phase: 'Retry' }).length === 0) {
        throw new Error('botbuilder connector client has no retry policy to replace: re-check src/bot/turn-retries.ts after an SDK upgrade');
      }
      pipeline.addPolicy(oneQuickRetry, { phase: 'Retry' });
      return connector;
    },
  };
}
