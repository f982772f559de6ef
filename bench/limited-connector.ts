import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LimitWindow {
  limit: number;
  windowMs: number;
}

/**
 * Teams' documented per-bot-per-conversation limits. Written out here rather than imported from
 * src/delivery/rate-limiter.ts: the double is the referee, and a referee that shares the player's
 * table would agree with any mistake in it.
 */
export const TEAMS_THREAD_LIMITS: readonly LimitWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];

export interface LimitedConnectorOptions {
  /** Calls per second the whole app may make in the tenant, over any sliding second. */
  globalPerSecond: number;
  conversationWindows?: readonly LimitWindow[];
  /** Delay before each answer, to stand in for the real service's round trip. */
  latencyMs?: number;
  /** Keep the start of each message's summary (or text), so a benchmark can tell a resend (再送) from a first send. */
  keepSummary?: boolean;
  /** Calls `onSignal` when this many sends have been accepted (the kill benchmark's moment to kill). */
  signalAfterSends?: number;
}

export type CallKind = 'create' | 'send' | 'reply' | 'update';

/** One request as the double decided it; `at` is Date.now() when the request arrived. */
export interface CallRecord {
  kind: CallKind;
  conversationId?: string;
  at: number;
  /** Absent when accepted; otherwise the limit that refused it. */
  refusedBy?: 'global' | 'conversation';
  retryAfterSeconds?: number;
  /** Date.now() when the answer was written; absent while it is delayed. */
  answeredAt?: number;
  /** The caller was gone when the answer was due (killed mid-send): accepted, but it never heard. */
  unanswered?: boolean;
  /** The message's summary or text, its first 80 characters (keepSummary only). */
  summary?: string;
}

export type Verdict = { ok: true } | { ok: false; scope: 'global' | 'conversation'; retryAfterMs: number };

/**
 * Sliding-window logs, the strictest reading of "n per window": a call is refused if the window
 * ending now already holds `limit` accepted calls. Only accepted calls are logged, so a client that
 * keeps retrying too early is refused but not punished further (Teams does not document either way).
 */
export class WindowLimits {
  private readonly global: number[] = [];
  private readonly conversations = new Map<string, number[]>();
  private readonly conversationWindows: readonly LimitWindow[];
  private readonly longestMs: number;

  constructor(private readonly options: LimitedConnectorOptions) {
    this.conversationWindows = options.conversationWindows ?? TEAMS_THREAD_LIMITS;
    this.longestMs = Math.max(1_000, ...this.conversationWindows.map((w) => w.windowMs));
  }

  /** Decides one call at `now` and, when it is accepted, counts it. */
  admit(conversationId: string | undefined, now: number): Verdict {
    prune(this.global, now - 1_000);
    const globalWait = waitFor(this.global, { limit: this.options.globalPerSecond, windowMs: 1_000 }, now);
    let conversationWait = 0;
    const log = conversationId === undefined ? undefined : (this.conversations.get(conversationId) ?? []);
    if (log) {
      prune(log, now - this.longestMs);
      for (const window of this.conversationWindows) conversationWait = Math.max(conversationWait, waitFor(log, window, now));
    }
    if (globalWait > 0 || conversationWait > 0) {
      const scope = conversationWait >= globalWait ? 'conversation' : 'global';
      return { ok: false, scope, retryAfterMs: Math.max(globalWait, conversationWait) };
    }
    this.global.push(now);
    if (log && conversationId !== undefined) {
      log.push(now);
      this.conversations.set(conversationId, log);
    }
    return { ok: true };
  }
}

/** Drops entries at or before `oldest`; logs are in arrival order. */
function prune(log: number[], oldest: number): void {
  let drop = 0;
  while (drop < log.length && (log[drop] ?? Infinity) <= oldest) drop += 1;
  if (drop > 0) log.splice(0, drop);
}

/** Milliseconds until one more call fits the window; 0 when it fits now. */
function waitFor(log: readonly number[], { limit, windowMs }: LimitWindow, now: number): number {
  let inWindow = 0;
  for (let i = log.length - 1; i >= 0 && (log[i] ?? -Infinity) > now - windowMs; i--) inWindow += 1;
  if (inWindow < limit) return 0;
  const blocking = log[log.length - limit] ?? now;
  return Math.max(1, blocking + windowMs - now);
}

/**
 * A loopback Bot Connector that answers like Teams under load: the REST routes botbuilder calls for
 * proactive messages, and 429 with Retry-After for any call over a limit. Records every decision so
 * the benchmark can count deliveries per recipient.
 */
export class LimitedConnector {
  readonly calls: CallRecord[] = [];
  private readonly limits: WindowLimits;
  private server: Server | undefined;
  private nextId = 1;
  private acceptedSends = 0;
  /** Called once, when `signalAfterSends` sends have been accepted. */
  onSignal: (() => void) | undefined;

  constructor(private readonly options: LimitedConnectorOptions) {
    this.limits = new WindowLimits(options);
  }

  async start(host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) respond(res, 500, { error: { code: 'BenchDoubleError', message: String(error) } });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, host, resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://${host}:${port}/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Stamped before the body is read: the limit applies when the call reaches the service.
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = classify(req.method ?? 'GET', url.pathname.split('/').filter(Boolean).map(decodeURIComponent));
    const summary = await readSummary(req, this.options.keepSummary === true);
    if (!route) {
      respond(res, 404, { error: { code: 'NotFound', message: 'route not served by the bench double' } });
      return;
    }
    const verdict = this.limits.admit(route.conversationId, at);
    const record: CallRecord = { kind: route.kind, conversationId: route.conversationId, at, ...(summary === undefined ? {} : { summary }) };
    this.calls.push(record);
    if (verdict.ok && route.kind === 'send' && ++this.acceptedSends === this.options.signalAfterSends) this.onSignal?.();
    await delay(this.options.latencyMs ?? 0);
    record.answeredAt = Date.now();
    if (res.destroyed || req.socket.destroyed) {
      record.unanswered = true;
      if (!verdict.ok) record.refusedBy = verdict.scope;
      return;
    }
    if (!verdict.ok) {
      record.refusedBy = verdict.scope;
      // Retry-After in whole seconds, as HTTP and Teams write it; never 0, which would invite a hot loop.
      record.retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      respond(res, 429, { error: { code: 'Throttled', message: `bench double: ${verdict.scope} limit` } }, { 'retry-after': String(record.retryAfterSeconds) });
      return;
    }
    const id = route.kind === 'create' ? `a:bench-conversation-${this.nextId++}` : `bench-activity-${this.nextId++}`;
    respond(res, route.kind === 'create' ? 201 : 200, { id });
  }
}

function classify(method: string, parts: string[]): { kind: CallKind; conversationId?: string } | undefined {
  if (parts[0] !== 'v3' || parts[1] !== 'conversations') return undefined;
  const conversationId = parts[2];
  if (method === 'POST' && parts.length === 2) return { kind: 'create' };
  if (method === 'POST' && parts[3] === 'activities' && parts.length === 4) return { kind: 'send', conversationId };
  if (method === 'POST' && parts[3] === 'activities' && parts.length === 5) return { kind: 'reply', conversationId };
  if (method === 'PUT' && parts[3] === 'activities' && parts.length === 5) return { kind: 'update', conversationId };
  return undefined;
}

/** Reads the body; only with `keep` is it parsed, for the start of the message's summary or text. */
async function readSummary(req: IncomingMessage, keep: boolean): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) if (keep) chunks.push(chunk as Buffer);
  if (!keep) return undefined;
  try {
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { summary?: unknown; text?: unknown };
    const summary = typeof activity.summary === 'string' ? activity.summary : typeof activity.text === 'string' ? activity.text : '';
    return summary.slice(0, 80);
  } catch {
    return '';
  }
}

const delay = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

function respond(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
