import { ConversationReferencesRepository, type ReferenceOwner, type StoredReference } from '../src/delivery/conversation-references.repository';
import type { ConnectorPort, CreatePersonalConversationArgs, OutgoingMessage, Recipient } from '../src/delivery/delivery.types';
import { RateLimiter, type RateLimiterOptions } from '../src/delivery/rate-limiter';
import { ReachabilityRepository } from '../src/delivery/reachability.repository';
import type { TableClientFactory } from '../src/storage/table-client-factory';
import type { CallRecord } from './limited-connector';

type Phase = 'readStart' | 'readEnd' | 'grant' | 'sendStart' | 'sendEnd' | 'doneEnd';

interface Grant {
  at: number;
  conversationId: string;
}

/**
 * Timestamps of every step of every row, taken by subclassing and wrapping the delivery layer's own
 * parts (nothing in src/ changes), to tell where a send's time goes. Keyed by conversation id; a
 * recipient whose row was retried keeps only its last attempt.
 */
export class DeliveryTrace {
  readonly steps = new Map<string, Partial<Record<Phase, number>>>();
  readonly grants: Grant[] = [];
  tryTakeCalls = 0;

  constructor(readonly conversationOfPerson: (personId: string) => string) {}

  mark(conversationId: string, phase: Phase, at = Date.now()): void {
    const steps = this.steps.get(conversationId) ?? {};
    steps[phase] = at;
    this.steps.set(conversationId, steps);
  }

  conversationOf(recipient: Recipient | ReferenceOwner): string | undefined {
    return recipient.kind === 'person' ? this.conversationOfPerson(recipient.personId) : undefined;
  }
}

export class TracingRateLimiter extends RateLimiter {
  constructor(
    options: RateLimiterOptions,
    private readonly trace: DeliveryTrace,
  ) {
    super(options);
  }

  override tryTake(conversationKey?: string): number {
    this.trace.tryTakeCalls += 1;
    const wait = super.tryTake(conversationKey);
    if (wait === 0 && conversationKey !== undefined) {
      this.trace.grants.push({ at: Date.now(), conversationId: conversationKey });
      this.trace.mark(conversationKey, 'grant');
    }
    return wait;
  }
}

export class TracingReferences extends ConversationReferencesRepository {
  constructor(
    tables: TableClientFactory,
    private readonly trace: DeliveryTrace,
  ) {
    super(tables);
  }

  override async find(tenantId: string, owner: ReferenceOwner): Promise<StoredReference | undefined> {
    const started = Date.now();
    const reference = await super.find(tenantId, owner);
    const conversationId = this.trace.conversationOf(owner);
    if (conversationId !== undefined) {
      this.trace.mark(conversationId, 'readStart', started);
      this.trace.mark(conversationId, 'readEnd');
    }
    return reference;
  }
}

/** The last write of a successful delivery (markReachable), so its end closes the row's cycle. */
export class TracingReachability extends ReachabilityRepository {
  constructor(
    tables: TableClientFactory,
    private readonly trace: DeliveryTrace,
  ) {
    super(tables);
  }

  override async clear(tenantId: string, recipient: Recipient): Promise<void> {
    await super.clear(tenantId, recipient);
    const conversationId = this.trace.conversationOf(recipient);
    if (conversationId !== undefined) this.trace.mark(conversationId, 'doneEnd');
  }
}

export class TracingPort implements ConnectorPort {
  constructor(
    private readonly inner: ConnectorPort,
    private readonly trace: DeliveryTrace,
  ) {}

  async send(ref: StoredReference, message: OutgoingMessage): Promise<{ activityId?: string }> {
    this.trace.mark(ref.conversationId, 'sendStart');
    try {
      return await this.inner.send(ref, message);
    } finally {
      this.trace.mark(ref.conversationId, 'sendEnd');
    }
  }

  update(ref: StoredReference, activityId: string, message: OutgoingMessage): Promise<void> {
    return this.inner.update(ref, activityId, message);
  }

  createPersonalConversation(args: CreatePersonalConversationArgs): Promise<StoredReference> {
    return this.inner.createPersonalConversation(args);
  }
}

function spread(values: number[]): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return `mean ${mean.toFixed(1)} / p50 ${at(0.5)} / p90 ${at(0.9)} / p99 ${at(0.99)} / max ${at(1)}`;
}

/** Where the time went, from the trace and the double's arrival times. */
export function printTrace(trace: DeliveryTrace, calls: readonly CallRecord[], globalPerSecond: number, concurrency: number): void {
  const arrival = new Map<string, number>();
  for (const call of calls) if (call.kind === 'send' && call.conversationId !== undefined) arrival.set(call.conversationId, call.at);
  const rows = [...trace.steps.entries()].map(([conversationId, steps]) => ({ ...steps, arrived: arrival.get(conversationId) }));
  const phase = (from: Phase | 'arrived', to: Phase | 'arrived'): number[] =>
    rows.flatMap((row) => (row[from] !== undefined && row[to] !== undefined ? [(row[to] ?? 0) - (row[from] ?? 0)] : []));

  const pacingMs = 1000 / globalPerSecond;
  const grants = trace.grants;
  const intervals = grants.slice(1).map((grant, i) => grant.at - (grants[i]?.at ?? grant.at));
  // A grant later than its predecessor + pacing lost that time for good (burst 1 keeps no credit). The
  // part after the token was ready but before the granted lane even asked is the lane's own lateness
  // (too few lanes); the rest is timers and the event loop.
  const late = grants.slice(1).map((grant, i) => {
    const ready = (grants[i]?.at ?? grant.at) + pacingMs;
    const lateMs = Math.max(0, grant.at - ready);
    const asked = trace.steps.get(grant.conversationId)?.readEnd ?? ready;
    return { lateMs, laneLateMs: Math.min(lateMs, Math.max(0, asked - ready)) };
  });
  const starved = late.filter((g) => g.laneLateMs > 0);
  const sum = (values: number[]): number => values.reduce((total, v) => total + v, 0);
  const firstGrant = grants[0]?.at;
  const lastGrant = grants[grants.length - 1]?.at;
  const grantRate =
    firstGrant !== undefined && lastGrant !== undefined && lastGrant > firstGrant ? ((grants.length - 1) * 1000) / (lastGrant - firstGrant) : undefined;

  console.log('');
  console.log('── trace (ms: mean / p50 / p90 / p99 / max) ───────────────────────────');
  console.log(`read      reference read                   ${spread(phase('readStart', 'readEnd'))}`);
  console.log(`wait      read → slot granted              ${spread(phase('readEnd', 'grant'))}`);
  console.log(`claim     granted → send starts (claim)    ${spread(phase('grant', 'sendStart'))}`);
  console.log(`to wire   send starts → double receives    ${spread(phase('sendStart', 'arrived'))}`);
  console.log(`granted   granted → double receives        ${spread(phase('grant', 'arrived'))}`);
  console.log(`send      send round trip                  ${spread(phase('sendStart', 'sendEnd'))}`);
  console.log(`after     send end → row + reachability    ${spread(phase('sendEnd', 'doneEnd'))}`);
  console.log(
    `busy      a lane's cycle minus its wait    ${spread(rows.flatMap((r) => (r.readStart !== undefined && r.readEnd !== undefined && r.grant !== undefined && r.doneEnd !== undefined ? [r.doneEnd - r.readStart - (r.grant - r.readEnd)] : [])))}`,
  );
  console.log(
    `grants    ${grants.length} at ${grantRate === undefined ? 'n/a' : `${grantRate.toFixed(2)}/s`} (pacing ${pacingMs.toFixed(1)} ms); interval ${spread(intervals)}`,
  );
  console.log(
    `late      grants past their pacing point lost ${(sum(late.map((g) => g.lateMs)) / 1000).toFixed(1)} s in all: ${(sum(late.map((g) => g.laneLateMs)) / 1000).toFixed(1)} s because no lane was asking yet (${starved.length} of ${late.length} grants, concurrency ${concurrency}), the rest timers and event loop`,
  );
  console.log(`limiter   tryTake called ${trace.tryTakeCalls} times for ${grants.length} grants`);
}
