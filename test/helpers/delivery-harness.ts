import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createConnectorPort } from '../../src/bot/connector-port';
import { loadConfig } from '../../src/config';
import { ConversationReferencesRepository, type StoredReference } from '../../src/delivery/conversation-references.repository';
import { Outbox } from '../../src/delivery/outbox';
import { OutboxRepository } from '../../src/delivery/outbox.repository';
import { OutboxWorker, type OutboxWorkerOptions } from '../../src/delivery/outbox-worker';
import { ProactiveSender } from '../../src/delivery/proactive-sender';
import { RateLimiter } from '../../src/delivery/rate-limiter';
import { ReachabilityRepository } from '../../src/delivery/reachability.repository';
import type { RetryPolicyOptions } from '../../src/delivery/retry-policy';
import { systemClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ALL_TABLES } from '../../src/storage/table-names';
import { ConnectorDouble } from './connector-double';
import { testConnectionString } from './test-app';

/** Fast enough for tests, and far below any Retry-After the double sends, so honouring it is measurable. */
export const FAST_RETRY: RetryPolicyOptions = { maxAttempts: 5, baseDelayMs: 40, maxDelayMs: 200, random: Math.random };

export interface WorkerSetup {
  owner?: string;
  leaseMs?: number;
  concurrency?: number;
  globalPerSecond?: number;
  retry?: RetryPolicyOptions;
}

/**
 * The delivery layer wired as production wires it (real botbuilder port, real Azurite tables), without
 * the HTTP app; each test takes a fresh tenant and workers that serve only it.
 */
export class DeliveryHarness {
  readonly connector = new ConnectorDouble();
  readonly tables = new TableClientFactory(testConnectionString());
  readonly references = new ConversationReferencesRepository(this.tables);
  readonly repository = new OutboxRepository(this.tables);
  readonly reachability = new ReachabilityRepository(this.tables);
  readonly outbox = new Outbox(this.repository, systemClock);
  readonly port = createConnectorPort(loadConfig({ LOG_LEVEL: 'silent' }));
  /** Every log line the workers wrote, to check that no message text is ever logged. */
  readonly logLines: string[] = [];
  private readonly logger = createLogger(
    'info',
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.logLines.push(chunk.toString());
        done();
      },
    }),
  );
  private readonly workers: OutboxWorker[] = [];

  async start(): Promise<void> {
    await this.tables.ensureTables(ALL_TABLES);
    await this.connector.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.connector.stop();
  }

  newTenant(): string {
    return randomUUID();
  }

  sender(limiter: RateLimiter, retry: RetryPolicyOptions = FAST_RETRY): ProactiveSender {
    return new ProactiveSender({ port: this.port, references: this.references, reachability: this.reachability, limiter, clock: systemClock, retry });
  }

  worker(tenantId: string, setup: WorkerSetup = {}, extra: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
    const limiter = new RateLimiter({ clock: systemClock, globalPerSecond: setup.globalPerSecond ?? 1000, globalBurst: setup.globalPerSecond ?? 1000 });
    const worker = new OutboxWorker({
      owner: setup.owner ?? `worker-${randomUUID().slice(0, 8)}`,
      repository: this.repository,
      sender: this.sender(limiter, setup.retry),
      logger: this.logger,
      retry: setup.retry ?? FAST_RETRY,
      leaseMs: setup.leaseMs ?? 5_000,
      pollMs: 50,
      concurrency: setup.concurrency ?? 8,
      tenantIds: [tenantId],
      ...extra,
    });
    this.workers.push(worker);
    return worker;
  }

  /** Stores the personal-chat reference Teams would have given at install, pointing at the double. */
  async personWithChat(tenantId: string, personId: string): Promise<StoredReference> {
    const reference: StoredReference = {
      channelId: 'msteams',
      serviceUrl: this.connector.serviceUrl,
      conversationId: `a:personal-${tenantId.slice(0, 8)}-${personId}`,
      conversationType: 'personal',
      botId: '28:hibi-bot',
      userId: `29:${personId}`,
    };
    await this.references.save(tenantId, { kind: 'person', personId }, reference);
    return reference;
  }

  async channel(tenantId: string, teamId: string): Promise<StoredReference> {
    const reference: StoredReference = {
      channelId: 'msteams',
      serviceUrl: this.connector.serviceUrl,
      conversationId: teamId,
      conversationType: 'channel',
      botId: '28:hibi-bot',
      teamId,
    };
    await this.references.save(tenantId, { kind: 'channel', teamId, channelId: teamId }, reference);
    return reference;
  }

  /** New messages (POST .../activities) the double accepted for one conversation. */
  sentTo(conversationId: string) {
    return this.connector.calls.filter((call) => call.kind === 'send' && call.conversationId === conversationId);
  }
}
