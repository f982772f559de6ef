import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { APP_TABLES } from '../../src/app-tables';
import { createConnectorPort } from '../../src/bot/connector-port';
import { loadConfig } from '../../src/config';
import { ConversationReferencesRepository } from '../../src/delivery/conversation-references.repository';
import { createDeliveryLayer, type DeliveryLayer } from '../../src/delivery/delivery-layer';
import { DeliveryInstancesRepository } from '../../src/delivery/delivery-instances.repository';
import { poolOf } from '../../src/delivery/delivery-membership';
import { IDLE_PER_SECOND, ownerOf } from '../../src/delivery/instance-shares';
import { toPerson, type Notification } from '../../src/delivery/notifier';
import { OutboxRepository } from '../../src/delivery/outbox.repository';
import type { Clock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { ConnectorDouble, type RecordedCall } from '../helpers/connector-double';
import { testConnectionString } from '../helpers/test-app';

/**
 * Three delivery layers, as three instances of hibi would build them (createDeliveryLayer), in one
 * process on the run's Azurite, each with its own clock, limiter and worker, against one connector
 * double that enforces the tenant's cap (TEAMS_CAP calls in any sliding second) and answers 429 over it.
 */

/**
 * What the instances together may send (DELIVERY_GLOBAL_PER_SECOND), under Teams' cap by the headroom
 * README recommends: a call reaches Teams later than its instance counted it, and here three
 * instances, their storage client and the double share one event loop.
 */
const CAP = 10;
const TEAMS_CAP = 12;
const HEARTBEAT_MS = 100;
const EXPIRY_MS = 60_000;
const DAY = '2026-12-02';
const WAIT_MS = 60_000;

/** Real time plus an offset the test can step: heartbeats expire on it, Teams' limits never do. */
function steppedClock(): Clock & { step(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), step: (ms) => (offset += ms) };
}

interface Instance {
  name: string;
  layer: DeliveryLayer;
  clock: ReturnType<typeof steppedClock>;
  /** The key of every row it logged as sent. */
  sentKeys: string[];
}

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, state: () => string | Promise<string> = () => ''): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${WAIT_MS} ms: ${what}. ${await state()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('several instances share the per-tenant send cap through heartbeats', () => {
  const tables = new TableClientFactory(testConnectionString());
  const references = new ConversationReferencesRepository(tables);
  const outbox = new OutboxRepository(tables);
  const heartbeats = new DeliveryInstancesRepository(tables);
  const connector = new ConnectorDouble();
  const tenantId = randomUUID();
  const pool = poolOf([tenantId]);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DELIVERY_GLOBAL_PER_SECOND: String(CAP),
    DELIVERY_HEARTBEAT_MS: String(HEARTBEAT_MS),
    DELIVERY_HEARTBEAT_EXPIRY_MS: String(EXPIRY_MS),
    OUTBOX_POLL_MS: '50',
  });
  const instances: Instance[] = [];
  /** Accepted Bot Connector calls in the last second, by the double's own clock. */
  const accepted: number[] = [];

  const conversationOf = (personId: string): string => `a:personal-${tenantId.slice(0, 8)}-${personId}`;
  const laneOfPerson = (personId: string): string => `${tenantId}|person|${personId}`;

  function startInstance(name: string): Instance {
    const sentKeys: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          for (const line of chunk.toString().split('\n').filter(Boolean)) {
            const entry = JSON.parse(line) as { msg?: string; key?: string };
            if (entry.msg === 'outbox row sent' && entry.key) sentKeys.push(entry.key);
          }
          done();
        },
      }),
    );
    const clock = steppedClock();
    const layer = createDeliveryLayer({ config, tables, references, logger, port: createConnectorPort(config), tenantIds: [tenantId], clock });
    layer.worker.start();
    const instance = { name, layer, clock, sentKeys };
    instances.push(instance);
    return instance;
  }

  const sees = (instance: Instance, count: number): boolean => instance.layer.membership.members.length === count;
  const membersOf = (): string => instances.map((i) => `${i.name}: ${i.layer.membership.members.length} (${i.layer.membership.share}/s)`).join(', ');
  const throttled = (): RecordedCall[] => connector.rejected;

  async function people(prefix: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
    await Promise.all(
      ids.map((personId) =>
        references.save(
          tenantId,
          { kind: 'person', personId },
          {
            channelId: 'msteams',
            serviceUrl: connector.serviceUrl,
            conversationId: conversationOf(personId),
            conversationType: 'personal',
            botId: '28:hibi-bot',
            userId: `29:${personId}`,
          },
        ),
      ),
    );
    return ids;
  }

  const prompt = (personId: string): Notification => ({
    key: `instances|${personId}`,
    to: toPerson(personId),
    message: { text: `おはようございます ${personId}` },
  });
  const sendsTo = (personId: string): RecordedCall[] => connector.calls.filter((c) => c.kind === 'send' && c.conversationId === conversationOf(personId));
  const statusOf = async (personId: string): Promise<string | undefined> => (await outbox.get(tenantId, DAY, `instances|${personId}`))?.entity.status;
  /** Which instance sent a row, from its "outbox row sent" log line. */
  const senderOf = (personId: string): string[] => instances.filter((i) => i.sentKeys.includes(`instances|${personId}`)).map((i) => i.name);

  beforeAll(async () => {
    await tables.ensureTables(APP_TABLES);
    await connector.start();
    connector.intercept(() => {
      const now = Date.now();
      while (accepted.length > 0 && accepted[0]! <= now - 1000) accepted.shift();
      if (accepted.length >= TEAMS_CAP) return { status: 429, retryAfterSeconds: 1 };
      accepted.push(now);
      return undefined;
    });
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.layer.worker.stop()));
    await connector.stop();
  });

  it('counts a newly started instance; shares sum to the cap; every recipient gets one message, from the instance it hashes to, no 429', async () => {
    const a = startInstance('a');
    const b = startInstance('b');
    await waitUntil('a and b see each other', () => sees(a, 2) && sees(b, 2), membersOf);
    expect(a.layer.membership.equalShare + b.layer.membership.equalShare).toBeCloseTo(CAP, 9);

    const c = startInstance('c');
    await waitUntil('all three see three', () => instances.every((i) => sees(i, 3)), membersOf);
    for (const i of instances) expect(i.layer.membership.equalShare).toBeCloseTo(CAP / 3, 9);
    const ids = a.layer.membership.members;
    expect(new Set(instances.map((i) => i.layer.membership.members.join(',')))).toEqual(new Set([ids.join(',')]));

    const everyone = await people('P', 36);
    await a.layer.notifier.send(tenantId, DAY, everyone.map(prompt));
    await waitUntil('every prompt sent', async () => (await Promise.all(everyone.map(statusOf))).every((s) => s === 'sent'));

    for (const personId of everyone) expect(sendsTo(personId)).toHaveLength(1);
    expect(throttled()).toEqual([]);
    // Each recipient was served by the instance its lane hashes to, and each instance served some.
    for (const personId of everyone) {
      const owner = instances.find((i) => i.layer.membership.id === ownerOf(laneOfPerson(personId), ids));
      expect(senderOf(personId)).toEqual([owner?.name]);
    }
    for (const i of [a, b, c]) expect(i.sentKeys.length).toBeGreaterThan(0);
  });

  it('drops an instance that stops heartbeating once its heartbeat expires; the survivors take its share and its recipients', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const crashedId = c.layer.membership.id;
    expect((await heartbeats.list(pool)).map((beat) => beat.instanceId).sort()).toEqual([a, b, c].map((i) => i.layer.membership.id).sort());

    // c stops sending; a crash leaves its last heartbeat behind, which counts until it expires.
    await c.layer.worker.stop();
    await heartbeats.beat(pool, crashedId, new Date(c.clock.now().getTime() + EXPIRY_MS), 'busy');
    instances.splice(instances.indexOf(c), 1);
    // a and b may have beaten while c's row was away; once each has written a beat since it is back
    // (beats run one after another), every list they make holds c again.
    const etagsThen = new Map((await heartbeats.list(pool)).map((beat) => [beat.instanceId, beat.etag]));
    await waitUntil('a and b beat again and see c', async () => {
      const now = new Map((await heartbeats.list(pool)).map((beat) => [beat.instanceId, beat.etag]));
      return [a, b].every((i) => now.get(i.layer.membership.id) !== etagsThen.get(i.layer.membership.id) && sees(i, 3));
    });

    const everyone = await people('Q', 36);
    const ofC = everyone.filter((personId) => ownerOf(laneOfPerson(personId), [a, b, c].map((i) => i.layer.membership.id).sort()) === crashedId);
    const ofSurvivors = everyone.filter((personId) => !ofC.includes(personId));
    expect(ofC.length).toBeGreaterThan(0);
    await a.layer.notifier.send(tenantId, DAY, everyone.map(prompt));
    await waitUntil('the survivors sent their own recipients', async () => (await Promise.all(ofSurvivors.map(statusOf))).every((s) => s === 'sent'));
    // While c still counts, its recipients wait, and its row (busy) keeps a third of the cap.
    expect(sees(a, 3) && sees(b, 3)).toBe(true);
    expect(await Promise.all(ofC.map(statusOf))).toEqual(ofC.map(() => 'pending'));
    expect(a.layer.membership.equalShare).toBeCloseTo(CAP / 3, 9);

    a.clock.step(EXPIRY_MS + 1);
    b.clock.step(EXPIRY_MS + 1);
    await waitUntil('a and b dropped c', () => sees(a, 2) && sees(b, 2), membersOf);
    expect(a.layer.membership.equalShare).toBeCloseTo(CAP / 2, 9);

    await waitUntil('c’s recipients sent by the survivors', async () => (await Promise.all(ofC.map(statusOf))).every((s) => s === 'sent'));
    for (const personId of everyone) expect(sendsTo(personId)).toHaveLength(1);
    for (const personId of ofC) expect(senderOf(personId)).toHaveLength(1);
    expect(throttled()).toEqual([]);
    // The expired row is tidied by the survivors' beats.
    await waitUntil('c’s heartbeat row removed', async () => !(await heartbeats.list(pool)).some((beat) => beat.instanceId === crashedId));
  });

  it('lends: with every recipient its own, one instance borrows the idle one’s part and sends at the cap less that part, no 429', async () => {
    const [a, b] = instances as [Instance, Instance];
    await waitUntil('both idle', () => a.layer.membership.state === 'idle' && b.layer.membership.state === 'idle');
    const ids = [a, b].map((i) => i.layer.membership.id).sort();
    const candidates = await people('R', 60);
    const ofA = candidates.filter((personId) => ownerOf(laneOfPerson(personId), ids) === a.layer.membership.id);
    expect(ofA.length).toBeGreaterThan(10);
    const seen = { borrowing: false, share: 0, rowSaid: '' };
    await a.layer.notifier.send(tenantId, DAY, ofA.map(prompt));
    await waitUntil(
      'a borrowed and sent every prompt',
      async () => {
        if (a.layer.membership.state === 'borrowing') seen.borrowing = true;
        seen.share = Math.max(seen.share, a.layer.membership.share);
        if (!seen.rowSaid)
          seen.rowSaid = (await heartbeats.list(pool)).find((beat) => beat.instanceId === a.layer.membership.id && beat.state === 'borrowing')?.state ?? '';
        return seen.borrowing && (await Promise.all(ofA.map(statusOf))).every((s) => s === 'sent');
      },
      () => `${membersOf()}; seen ${JSON.stringify(seen)}`,
    );
    expect(seen.share).toBeCloseTo(CAP - IDLE_PER_SECOND, 9);
    expect(seen.rowSaid).toBe('borrowing');
    expect(b.layer.membership.share).toBeLessThanOrEqual(IDLE_PER_SECOND);
    for (const personId of ofA) expect(senderOf(personId)).toEqual(['a']);
    for (const personId of ofA) expect(sendsTo(personId)).toHaveLength(1);
    expect(throttled()).toEqual([]);
    // Done, a says so: both idle again.
    await waitUntil('a idle again', () => a.layer.membership.state === 'idle', membersOf);
  });
});
