import { createConnectorPort } from '../src/bot/connector-port';
import { loadConfig } from '../src/config';
import type { ConversationReferencesRepository } from '../src/delivery/conversation-references.repository';
import { createDeliveryLayer } from '../src/delivery/delivery-layer';
import type { OutboxRepository } from '../src/delivery/outbox.repository';
import { defaultWorkerOwner, OutboxWorker } from '../src/delivery/outbox-worker';
import { ProactiveSender } from '../src/delivery/proactive-sender';
import { RateLimiter } from '../src/delivery/rate-limiter';
import { ReachabilityRepository } from '../src/delivery/reachability.repository';
import { TeamsUsersRepository } from '../src/delivery/teams-users.repository';
import { systemClock } from '../src/shared/clock';
import type { Logger } from '../src/shared/logger';
import type { TableClientFactory } from '../src/storage/table-client-factory';
import { TracingPort, TracingRateLimiter, TracingReachability, TracingReferences, type DeliveryTrace } from './trace';

export interface WiringOptions {
  tables: TableClientFactory;
  references: ConversationReferencesRepository;
  repository: OutboxRepository;
  logger: Logger;
  tenantId: string;
  globalPerSecond: number;
  /** OUTBOX_CONCURRENCY; unset = the config's default. */
  concurrency?: number;
  /** Set = a knob delivery-layer.ts does not pass through; the layer is then built by hand. */
  burst?: number;
  /** Set = build by hand with every part timestamped (see trace.ts). */
  trace?: DeliveryTrace;
}

export interface Wiring {
  worker: OutboxWorker;
  /** How the worker was built, for the report. */
  description: string;
  concurrency: number;
}

/**
 * The worker exactly as the app gets it (createDeliveryLayer, configured through the environment it
 * reads) unless a knob that factory does not expose is asked for; then the same parts, in the same
 * order, from the same config, with that knob set.
 */
export function wireDelivery(options: WiringOptions): Wiring {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DELIVERY_GLOBAL_PER_SECOND: String(options.globalPerSecond),
    OUTBOX_CONCURRENCY: options.concurrency === undefined ? undefined : String(options.concurrency),
  });
  const { env } = config;
  const settings = `DELIVERY_GLOBAL_PER_SECOND=${env.DELIVERY_GLOBAL_PER_SECOND}, OUTBOX_CONCURRENCY=${env.OUTBOX_CONCURRENCY}`;
  const { trace } = options;
  if (options.burst === undefined && trace === undefined) {
    const layer = createDeliveryLayer({
      config,
      tables: options.tables,
      references: options.references,
      logger: options.logger,
      port: createConnectorPort(config),
      tenantIds: [options.tenantId],
    });
    return { worker: layer.worker, description: `createDeliveryLayer (production wiring), ${settings}`, concurrency: env.OUTBOX_CONCURRENCY };
  }
  const limiterOptions = { clock: systemClock, globalPerSecond: env.DELIVERY_GLOBAL_PER_SECOND, globalBurst: options.burst };
  const port = createConnectorPort(config);
  const sender = new ProactiveSender({
    port: trace ? new TracingPort(port, trace) : port,
    references: trace ? new TracingReferences(options.tables, trace) : options.references,
    reachability: trace ? new TracingReachability(options.tables, trace) : new ReachabilityRepository(options.tables),
    teamsUsers: new TeamsUsersRepository(options.tables),
    limiter: trace ? new TracingRateLimiter(limiterOptions, trace) : new RateLimiter(limiterOptions),
    clock: systemClock,
  });
  const worker = new OutboxWorker({
    owner: defaultWorkerOwner(),
    repository: options.repository,
    sender,
    logger: options.logger,
    tenantIds: [options.tenantId],
    leaseMs: env.OUTBOX_LEASE_MS,
    pollMs: env.OUTBOX_POLL_MS,
    concurrency: env.OUTBOX_CONCURRENCY,
  });
  const description = `as delivery-layer.ts, by hand${trace ? ', traced' : ''}: ${settings}, globalBurst=${options.burst ?? 'default (1)'}`;
  return { worker, description, concurrency: env.OUTBOX_CONCURRENCY };
}
