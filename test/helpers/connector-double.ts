import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the bot made to the Bot Connector REST API. */
export interface RecordedCall {
  method: 'POST' | 'PUT' | 'GET';
  /** create = POST /v3/conversations; send = POST .../activities; reply = POST .../activities/{id}; update = PUT. */
  kind: 'create' | 'send' | 'reply' | 'update' | 'member' | 'roster';
  conversationId?: string;
  activityId?: string;
  body: Record<string, unknown>;
  /** Date.now() when the request arrived, to measure spacing (Retry-After) without timing the test. */
  at: number;
  /** The id the double answered with: the activity id Teams would give a sent message. */
  responseId?: string;
}

export interface TeamsMember {
  id: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  name?: string;
}

/** Decides an answer before the normal one: return a status to fail the call with it. */
export type Interceptor = (call: RecordedCall) => { status: number; retryAfterSeconds?: number; code?: string; subCode?: string } | undefined;

/**
 * A loopback stand-in for the Bot Connector service: speaks the REST routes botbuilder calls and
 * records every delivered call (rejected ones are counted apart), so tests assert on what Teams got.
 * `calls` holds only requests answered with a 2xx on a live connection: a request whose caller went
 * away before the answer (a process killed while the call was held) lands in `abandoned` instead,
 * because Teams never acknowledged it and the caller cannot know whether it was delivered. The
 * exception is a request the double was told to accept while holding its answer (holdAfter's
 * `accepted`): Teams posted it, so it is in `calls` at once, and in `unanswered` if its caller went away.
 */
export class ConnectorDouble {
  readonly calls: RecordedCall[] = [];
  readonly rejected: RecordedCall[] = [];
  private readonly members = new Map<string, TeamsMember>();
  private interceptor: Interceptor | undefined;
  private gate: { opened: Promise<void>; open: () => void } | undefined;
  private holdAt: number | undefined;
  /** Requests that arrived while held and have not been answered yet (their caller is still connected). */
  readonly held: RecordedCall[] = [];
  /** Requests whose caller disconnected before they were answered: never acknowledged, so not delivered. */
  readonly abandoned: RecordedCall[] = [];
  /** Accepted requests (delivered, in `calls`) whose caller disconnected before their answer: Teams has them, the bot never heard. */
  readonly unanswered: RecordedCall[] = [];
  /** How many of the next held requests are accepted (posted) while their answer is held. */
  private acceptHeld = 0;
  private server: Server | undefined;
  private nextId = 1;
  serviceUrl = '';

  addMember(member: TeamsMember): void {
    this.members.set(member.id, member);
  }

  intercept(interceptor: Interceptor | undefined): void {
    this.interceptor = interceptor;
  }

  reset(): void {
    this.calls.length = 0;
    this.rejected.length = 0;
    this.abandoned.length = 0;
    this.unanswered.length = 0;
    this.interceptor = undefined;
    this.release();
  }

  /** Holds every request unanswered until release(): a send that is in flight, on demand. */
  hold(): void {
    if (this.gate) return;
    let open = (): void => undefined;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
  }

  release(): void {
    this.holdAt = undefined;
    this.acceptHeld = 0;
    this.gate?.open();
    this.gate = undefined;
  }

  /**
   * Answers `answered` more requests normally, then holds every later one (as hold()): the cut is made
   * by the double itself, so it is exact however fast the bot sends. The first `accepted` held messages
   * are posted when they arrive and only their answer waits: a send Teams has accepted while the bot
   * still waits for the 2xx, the one a crash at that moment leaves unrecorded.
   */
  holdAfter(answered: number, options: { accepted?: number } = {}): void {
    this.holdAt = this.calls.length + answered;
    this.acceptHeld = options.accepted ?? 0;
    if (answered <= 0) this.hold();
  }

  async waitForHeld(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.held.length < count) {
      if (Date.now() > deadline) throw new Error(`connector double: ${count} held requests not reached within ${timeoutMs} ms (${this.held.length})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Activities the bot sent (new messages and replies), in order. */
  sent(): RecordedCall[] {
    return this.calls.filter((c) => c.kind === 'send' || c.kind === 'reply');
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) respond(res, 500, { error: String(error) });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.serviceUrl = `http://127.0.0.1:${port}/`;
    return this.serviceUrl;
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Waits until `predicate` holds over the recorded calls; proactive work finishes after the HTTP turn. */
  async waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > deadline) throw new Error(`connector double: condition not met within ${timeoutMs} ms (${this.calls.length} calls)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const body = await readJson(req);
    const call = this.classify(req.method ?? 'GET', parts, body, Date.now());
    if (!call) {
      respond(res, 404, { error: { code: 'NotFound' } });
      return;
    }
    if (this.holdAt !== undefined && this.calls.length >= this.holdAt) this.hold();
    if (this.gate) {
      const gate = this.gate;
      const accepted = this.acceptHeld > 0 && isPost(call) ? this.accept(call) : undefined;
      if (accepted) this.acceptHeld -= 1;
      this.held.push(call);
      // The caller dying (kill -9) closes the connection while the request waits here.
      const gone = new Promise<void>((resolve) => res.once('close', () => resolve()));
      await Promise.race([gate.opened, gone]);
      const index = this.held.indexOf(call);
      if (index !== -1) this.held.splice(index, 1);
      if (accepted) {
        if (res.destroyed || req.socket.destroyed) this.unanswered.push(call);
        else respond(res, accepted.status, accepted.body);
        return;
      }
    }
    if (res.destroyed || req.socket.destroyed) {
      this.abandoned.push(call);
      return;
    }
    const failure = this.interceptor?.(call);
    if (failure) {
      this.rejected.push(call);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      respond(res, failure.status, { error: { code: failure.code ?? 'Throttled', subCode: failure.subCode, message: 'double' } }, headers);
      return;
    }
    if (call.kind === 'roster') {
      this.calls.push(call);
      respond(res, 200, { members: [...this.members.values()] });
      return;
    }
    if (call.kind === 'member') {
      const member = this.members.get(call.activityId ?? '');
      if (!member) {
        respond(res, 404, { error: { code: 'MemberNotFound' } });
        return;
      }
      this.calls.push(call);
      respond(res, 200, member);
      return;
    }
    const { status, body: answer } = this.accept(call);
    respond(res, status, answer);
  }

  /** Records a create, send, reply or update as delivered and gives the answer Teams would. */
  private accept(call: RecordedCall): { status: number; body: { id: string | undefined } } {
    const id =
      call.kind === 'create' ? `a:double-conversation-${this.nextId++}` : call.kind === 'update' ? call.activityId : `double-activity-${this.nextId++}`;
    call.responseId = id;
    this.calls.push(call);
    return { status: call.kind === 'create' ? 201 : 200, body: { id } };
  }

  private classify(method: string, parts: string[], body: Record<string, unknown>, at: number): RecordedCall | undefined {
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return undefined;
    const conversationId = parts[2];
    if (method === 'POST' && parts.length === 2) return { method: 'POST', kind: 'create', body, at };
    if (method === 'POST' && parts[3] === 'activities' && parts.length === 4) return { method: 'POST', kind: 'send', conversationId, body, at };
    if (method === 'POST' && parts[3] === 'activities' && parts.length === 5)
      return { method: 'POST', kind: 'reply', conversationId, activityId: parts[4], body, at };
    if (method === 'PUT' && parts[3] === 'activities' && parts.length === 5)
      return { method: 'PUT', kind: 'update', conversationId, activityId: parts[4], body, at };
    if (method === 'GET' && parts[3] === 'members' && parts.length === 5)
      return { method: 'GET', kind: 'member', conversationId, activityId: parts[4], body, at };
    if (method === 'GET' && parts[3] === 'pagedmembers' && parts.length === 4) return { method: 'GET', kind: 'roster', conversationId, body, at };
    return undefined;
  }
}

/** The calls that post or change a message (not roster reads): what holdAfter may accept. */
const isPost = (call: RecordedCall): boolean => call.kind === 'create' || call.kind === 'send' || call.kind === 'reply' || call.kind === 'update';

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  return JSON.parse(text) as Record<string, unknown>;
}

/** restify patches http.ServerResponse globally and its writeHead does not return the response, so no chaining. */
function respond(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): void {
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}
