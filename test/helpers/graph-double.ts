import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A user as the double keeps it; properties left undefined were never set (Graph then omits them). */
export interface DoubleUser {
  id: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  mail?: string;
  userPrincipalName?: string;
  department?: string;
  jobTitle?: string;
  employeeId?: string;
  accountEnabled?: boolean;
  userType?: string;
  /** The manager's object id. */
  managerId?: string;
}

export interface GraphRequestRecord {
  method: string;
  /** Path and query as sent, e.g. /v1.0/users/delta?$deltatoken=... */
  url: string;
  path: string;
  query: URLSearchParams;
  status: number;
  /** The bearer token's audience, when one was sent. */
  audience?: string;
  body?: unknown;
  /** Items in a delta page's value. */
  returned?: number;
  at: number;
}

interface TrackedUser {
  user: DoubleUser;
  changedAt: number;
  managerChangedAt: number;
  /** Whom the user reported to before the last manager change, for the removal annotation. */
  formerManagerId?: string;
}

interface Round {
  items: object[];
  version: number;
  select: string[];
}

const SELECTABLE: readonly (keyof DoubleUser)[] = [
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userPrincipalName',
  'department',
  'jobTitle',
  'employeeId',
  'accountEnabled',
  'userType',
];

const graphError = (code: string, message: string) => ({
  error: { code, message, innerError: { 'request-id': randomBytes(8).toString('hex'), date: new Date().toISOString() } },
});

/**
 * Microsoft Graph on loopback HTTPS, in Graph's own shapes, for the directory sync and the Teams
 * installs: /v1.0/users/delta with @odata.nextLink pages of `pageSize` and an @odata.deltaLink on the
 * last, the next round from that link carrying only what changed (the user with its selected
 * properties, `manager@delta` when the manager changed, `@removed` when deleted); the manager only
 * when `manager` is in $select, and $expand refused as Graph's delta refuses it. POST
 * /v1.0/users/{id | UPN}/teamwork/installedApps answers 201, then 409 Conflict; /v1.0/appCatalogs/teamsApps
 * finds an app by externalId. Every request is recorded; a chosen one gets 429 with Retry-After.
 * Tokens must be for this double's origin (what the identity double issues for the resource asked).
 */
export class GraphDouble {
  readonly requests: GraphRequestRecord[] = [];
  private readonly users = new Map<string, TrackedUser>();
  private readonly deleted = new Map<string, number>();
  private readonly installed = new Set<string>();
  private readonly rounds = new Map<string, Round>();
  private readonly throttles: { match: (method: string, url: string) => boolean; retryAfter: number }[] = [];
  private version = 0;
  private server: Server | undefined;
  private port = 0;

  constructor(
    private readonly options: { certFile: string; keyFile: string; pageSize?: number; catalog?: { id: string; externalId: string; displayName: string }[] },
  ) {}

  get baseUrl(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  addUser(user: DoubleUser): void {
    this.version += 1;
    this.deleted.delete(user.id);
    this.users.set(user.id, { user: { ...user }, changedAt: this.version, managerChangedAt: this.version });
  }

  /** Changes properties; `managerId: undefined` in the patch removes the manager. */
  updateUser(id: string, patch: Partial<Omit<DoubleUser, 'id'>>): void {
    const tracked = this.users.get(id);
    if (!tracked) throw new Error(`no user ${id}`);
    this.version += 1;
    tracked.changedAt = this.version;
    if ('managerId' in patch && patch.managerId !== tracked.user.managerId) {
      tracked.formerManagerId = tracked.user.managerId;
      tracked.managerChangedAt = this.version;
    }
    tracked.user = { ...tracked.user, ...patch };
  }

  deleteUser(id: string): void {
    this.version += 1;
    this.users.delete(id);
    this.deleted.set(id, this.version);
  }

  /** The next request matching gets 429 with Retry-After (seconds), once. */
  throttleNext(match: (method: string, url: string) => boolean, retryAfter = 1): void {
    this.throttles.push({ match, retryAfter });
  }

  markInstalled(userId: string): void {
    this.installed.add(userId);
  }

  isInstalled(userId: string): boolean {
    return this.installed.has(userId);
  }

  async start(): Promise<void> {
    this.server = createServer({ cert: readFileSync(this.options.certFile), key: readFileSync(this.options.keyFile) }, (req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => this.handle(req, res, raw));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const record: GraphRequestRecord = {
      method: req.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      path: url.pathname,
      query: url.searchParams,
      status: 0,
      at: Date.now(),
    };
    if (raw) record.body = JSON.parse(raw) as unknown;
    this.requests.push(record);
    const send = (status: number, body?: object, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.statusCode = status;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      if (body === undefined) {
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8');
      res.end(JSON.stringify(body));
    };

    record.audience = this.audienceOf(req.headers.authorization);
    if (record.audience !== this.baseUrl) {
      send(401, graphError('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'));
      return;
    }
    const throttle = this.throttles.find((t) => t.match(record.method, record.url));
    if (throttle) {
      this.throttles.splice(this.throttles.indexOf(throttle), 1);
      send(429, graphError('TooManyRequests', 'Too many requests.'), { 'Retry-After': String(throttle.retryAfter) });
      return;
    }
    if (record.method === 'GET' && url.pathname === '/v1.0/users/delta') {
      const page = this.deltaPage(url.searchParams);
      if ('error' in page) send(page.status, page.error);
      else {
        record.returned = page.body.value.length;
        send(200, page.body);
      }
      return;
    }
    const install = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps$/.exec(url.pathname);
    if (record.method === 'POST' && install) {
      this.install(decodeURIComponent(install[1] ?? ''), record.body, send);
      return;
    }
    if (record.method === 'GET' && url.pathname === '/v1.0/appCatalogs/teamsApps') {
      const externalId = /^externalId eq '([^']*)'$/.exec(url.searchParams.get('$filter') ?? '')?.[1];
      const apps = (this.options.catalog ?? []).filter((app) => externalId === undefined || app.externalId === externalId);
      send(200, {
        '@odata.context': `${this.baseUrl}/v1.0/$metadata#appCatalogs/teamsApps`,
        value: apps.map((app) => ({ ...app, distributionMethod: 'organization' })),
      });
      return;
    }
    send(400, graphError('BadRequest', `Resource not found for the segment '${url.pathname.split('/').at(-1) ?? ''}'.`));
  }

  /** The audience of a bearer token, read without checking the signature (the identity double signs with a throwaway key). */
  private audienceOf(authorization: string | undefined): string | undefined {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const payload = token?.split('.')[1];
    if (!payload) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: string; exp?: number };
      return (claims.exp ?? 0) * 1000 > Date.now() ? claims.aud : undefined;
    } catch {
      return undefined;
    }
  }

  private deltaPage(query: URLSearchParams): { body: { value: object[] } & Record<string, unknown> } | { status: number; error: object } {
    if (query.has('$expand')) return { status: 400, error: graphError('Request_UnsupportedQuery', 'Unsupported Query.') };
    let round: Round | undefined;
    let offset = 0;
    const skip = query.get('$skiptoken');
    const delta = query.get('$deltatoken');
    if (skip) {
      const [id, at] = skip.split('.');
      round = this.rounds.get(id ?? '');
      offset = Number(at);
      if (!round) return { status: 400, error: graphError('Request_BadRequest', 'Invalid skip token.') };
    } else if (delta) {
      const state = JSON.parse(Buffer.from(delta, 'base64url').toString('utf8')) as { v: number; select: string[] };
      round = this.newRound(state.select, state.v);
    } else {
      round = this.newRound((query.get('$select') ?? '').split(',').filter(Boolean), undefined);
    }
    const size = this.options.pageSize ?? 2;
    const value = round.items.slice(offset, offset + size);
    const context = `${this.baseUrl}/v1.0/$metadata#users(${round.select.join(',')})`;
    const roundId = [...this.rounds].find(([, r]) => r === round)?.[0] ?? '';
    if (offset + size < round.items.length) {
      return { body: { '@odata.context': context, '@odata.nextLink': `${this.baseUrl}/v1.0/users/delta?$skiptoken=${roundId}.${offset + size}`, value } };
    }
    const token = Buffer.from(JSON.stringify({ v: round.version, select: round.select })).toString('base64url');
    return { body: { '@odata.context': context, '@odata.deltaLink': `${this.baseUrl}/v1.0/users/delta?$deltatoken=${token}`, value } };
  }

  /** Everyone (since undefined), or what changed after version `since`, as the round's items. */
  private newRound(select: string[], since: number | undefined): Round {
    const items: object[] = [];
    const withManager = select.includes('manager');
    for (const tracked of this.users.values()) {
      if (since !== undefined && tracked.changedAt <= since) continue;
      const item: Record<string, unknown> = { id: tracked.user.id };
      for (const field of SELECTABLE)
        if (select.length === 0 || select.includes(field)) if (tracked.user[field] !== undefined) item[field] = tracked.user[field];
      if (withManager) {
        const { managerId } = tracked.user;
        if (since === undefined) {
          if (managerId) item['manager@delta'] = [{ '@odata.type': '#microsoft.graph.user', id: managerId }];
        } else if (tracked.managerChangedAt > since) {
          item['manager@delta'] = managerId
            ? [{ '@odata.type': '#microsoft.graph.user', id: managerId }]
            : [{ '@odata.type': '#microsoft.graph.user', id: tracked.formerManagerId, '@removed': { reason: 'deleted' } }];
        }
      }
      items.push(item);
    }
    if (since !== undefined) for (const [id, at] of this.deleted) if (at > since) items.push({ id, '@removed': { reason: 'changed' } });
    const round = { items, version: this.version, select };
    this.rounds.set(randomBytes(12).toString('base64url'), round);
    return round;
  }

  private install(userKey: string, body: unknown, send: (status: number, body?: object) => void): void {
    const key = userKey.toLowerCase();
    const user = [...this.users.values()].map((t) => t.user).find((u) => u.id === key || u.userPrincipalName?.toLowerCase() === key);
    if (!user) {
      send(404, graphError('NotFound', `User '${userKey}' was not found.`));
      return;
    }
    const bind = (body as { 'teamsApp@odata.bind'?: string } | undefined)?.['teamsApp@odata.bind'] ?? '';
    const appId = new RegExp(`^${this.baseUrl.replace(/[.]/g, '\\.')}/v1\\.0/appCatalogs/teamsApps/([^/]+)$`).exec(bind)?.[1];
    if (!appId || !(this.options.catalog ?? []).some((app) => app.id === appId)) {
      send(404, graphError('NotFound', 'The Teams app was not found in the catalog.'));
      return;
    }
    if (this.installed.has(user.id)) {
      send(409, graphError('Conflict', 'App is already installed.'));
      return;
    }
    this.installed.add(user.id);
    send(201);
  }
}
