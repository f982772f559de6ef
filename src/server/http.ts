import restify, { type Next, type Request, type Response } from 'restify';
import type { Logger } from '../shared/logger';
import { isReadableActivity } from './inbound-activity';

/** Runs the turn an /api/messages request carries and writes its answer; built in src/bot (adapter + bot). */
export type ProcessActivity = (req: Request, res: Response) => Promise<void>;

export interface HttpServerDeps {
  process: ProcessActivity;
  logger: Logger;
  /** True when storage answers; /healthz reports it. */
  storageHealthy: () => Promise<boolean>;
  /** Largest accepted request body; Teams activities are far smaller. */
  maxBodyBytes?: number;
}

export interface HttpServer {
  listen(port: number, host?: string): Promise<number>;
  /** Stops taking requests, waits for the ones in flight (up to timeoutMs), then closes. */
  stop(timeoutMs: number): Promise<void>;
}

export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const server = restify.createServer({ name: 'hibi', handleUncaughtExceptions: false });
  let inFlight = 0;
  let stopping = false;
  const idleWaiters: (() => void)[] = [];

  const maxBodySize = deps.maxBodyBytes ?? 256 * 1024;
  const body = [acceptOnlyPlainJson(maxBodySize), ...restify.plugins.bodyParser({ maxBodySize, mapParams: false }), acceptOnlyActivities];

  server.post('/api/messages', ...body, async (req: Request, res: Response) => {
    if (stopping) {
      res.send(503, { error: 'shutting down' });
      return;
    }
    inFlight += 1;
    try {
      await deps.process(req, res);
    } catch (error) {
      deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'request failed');
      if (!res.headersSent) res.send(500);
    } finally {
      inFlight -= 1;
      if (inFlight === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  });

  server.get('/healthz', async (_req, res) => {
    const storage = await deps.storageHealthy();
    res.send(storage ? 200 : 503, { status: storage ? 'ok' : 'degraded', storage: storage ? 'reachable' : 'unreachable' });
  });

  return {
    listen: (port, host = '0.0.0.0') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(address.port);
        });
      }),
    stop: async (timeoutMs) => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => idleWaiters.push(resolve)), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]);
      }
      server.server.closeIdleConnections?.();
      await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}

/**
 * Teams posts uncompressed JSON. Anything else is refused before a byte of the body is read: other
 * content types would reach restify's form and multipart parsers (files on disk), and a gzip body is
 * measured compressed, so a small bomb would inflate without limit. A declared length over the cap
 * is refused at once rather than read to the end.
 */
function acceptOnlyPlainJson(maxBodySize: number) {
  return (req: Request, res: Response, next: Next): void => {
    const encoding = req.headers['content-encoding'];
    if (req.getContentType() !== 'application/json' || (encoding !== undefined && encoding !== 'identity')) {
      res.send(415, { error: 'application/json without content-encoding expected' });
      return next(false);
    }
    if (Number(req.headers['content-length'] ?? 0) > maxBodySize) {
      res.header('connection', 'close');
      res.send(413, { error: `request body larger than ${maxBodySize} bytes` });
      return next(false);
    }
    next();
  };
}

/** A body botbuilder would choke on (no type, a text that is a number, a mention without its account) is a 400, not a failed turn. */
function acceptOnlyActivities(req: Request, res: Response, next: Next): void {
  if (!isReadableActivity(req.body)) {
    res.send(400, { error: 'not a Bot Framework activity' });
    return next(false);
  }
  next();
}
