import type { AppConfig } from '../config';
import { systemClock, type Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { TableClientFactory } from '../storage/table-client-factory';
import type { ConversationReferencesRepository } from './conversation-references.repository';
import type { ConnectorPort } from './delivery.types';
import { DeliveryInstancesRepository } from './delivery-instances.repository';
import { DeliveryMembership, poolOf } from './delivery-membership';
import { Outbox } from './outbox';
import { OutboxNotifier } from './outbox-notifier';
import { OutboxRepository } from './outbox.repository';
import { defaultWorkerOwner, OutboxWorker } from './outbox-worker';
import { ProactiveSender } from './proactive-sender';
import { RateLimiter } from './rate-limiter';
import { ReachabilityRepository } from './reachability.repository';
import { TeamsUsersRepository } from './teams-users.repository';

export interface DeliveryLayer {
  notifier: OutboxNotifier;
  worker: OutboxWorker;
  reachability: ReachabilityRepository;
  /** This instance among the others sharing the cap; the worker starts and stops it. */
  membership: DeliveryMembership;
}

export interface DeliveryLayerDeps {
  config: AppConfig;
  tables: TableClientFactory;
  references: ConversationReferencesRepository;
  logger: Logger;
  /** The Bot Connector, built by the composition root: delivery knows the port, never botbuilder. */
  port: ConnectorPort;
  /** Serve only these tenants; default every tenant. */
  tenantIds?: readonly string[];
  /** When rows are queued, leased and due again; real time unless a test has to step past a lease. */
  clock?: Clock;
}

/**
 * The outbox, its worker and the sender, on the real clock whatever clock features use: a frozen
 * clock would never expire a lease (nor a heartbeat). The rate limiter stays on real time even under an injected clock,
 * since Teams counts real seconds.
 */
export function createDeliveryLayer(deps: DeliveryLayerDeps): DeliveryLayer {
  const { config, tables, references, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const repository = new OutboxRepository(tables);
  const outbox = new Outbox(repository, clock);
  const reachability = new ReachabilityRepository(tables, config.env.DIRECTORY_CACHE_SECONDS * 1000);
  const limiter = new RateLimiter({ clock: systemClock, globalPerSecond: config.env.DELIVERY_GLOBAL_PER_SECOND });
  const owner = defaultWorkerOwner();
  const membership = new DeliveryMembership({
    repository: new DeliveryInstancesRepository(tables),
    pool: poolOf(deps.tenantIds),
    instanceId: owner,
    capPerSecond: config.env.DELIVERY_GLOBAL_PER_SECOND,
    heartbeatMs: config.env.DELIVERY_HEARTBEAT_MS,
    expiryMs: config.env.DELIVERY_HEARTBEAT_EXPIRY_MS,
    clock,
    logger,
    onShare: (perSecond) => limiter.setGlobalPerSecond(perSecond),
  });
  const teamsUsers = new TeamsUsersRepository(tables);
  const sender = new ProactiveSender({ port: deps.port, references, reachability, teamsUsers, limiter, clock: systemClock });
  const worker = new OutboxWorker({
    owner,
    repository,
    sender,
    logger,
    clock,
    tenantIds: deps.tenantIds,
    leaseMs: config.env.OUTBOX_LEASE_MS,
    pollMs: config.env.OUTBOX_POLL_MS,
    concurrency: config.env.OUTBOX_CONCURRENCY,
    membership,
  });
  return { notifier: new OutboxNotifier(outbox, sender, () => worker.wake()), worker, reachability, membership };
}
