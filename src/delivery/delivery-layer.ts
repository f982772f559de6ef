import { createConnectorPort } from '../bot/connector-port';
import type { AppConfig } from '../config';
import { systemClock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { TableClientFactory } from '../storage/table-client-factory';
import type { ConversationReferencesRepository } from './conversation-references.repository';
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
}

/**
 * The outbox, its worker and the sender, on the real clock whatever clock features use: a frozen
 * clock would never refill the rate limiter nor expire a lease.
 */
export function createDeliveryLayer(
  config: AppConfig,
  tables: TableClientFactory,
  references: ConversationReferencesRepository,
  logger: Logger,
  tenantIds?: readonly string[],
): DeliveryLayer {
  const repository = new OutboxRepository(tables);
  const outbox = new Outbox(repository, systemClock);
  const reachability = new ReachabilityRepository(tables, config.env.DIRECTORY_CACHE_SECONDS * 1000);
  const limiter = new RateLimiter({ clock: systemClock, globalPerSecond: config.env.DELIVERY_GLOBAL_PER_SECOND });
  const teamsUsers = new TeamsUsersRepository(tables);
  const sender = new ProactiveSender({ port: createConnectorPort(config), references, reachability, teamsUsers, limiter, clock: systemClock });
  const worker = new OutboxWorker({
    owner: defaultWorkerOwner(),
    repository,
    sender,
    logger,
    tenantIds,
    leaseMs: config.env.OUTBOX_LEASE_MS,
    pollMs: config.env.OUTBOX_POLL_MS,
    concurrency: config.env.OUTBOX_CONCURRENCY,
  });
  return { notifier: new OutboxNotifier(outbox, sender, () => worker.wake()), worker, reachability };
}
