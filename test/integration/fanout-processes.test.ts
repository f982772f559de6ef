import { outboxPartition, type OutboxEntity } from '../../src/delivery/outbox.repository';
import { buildDemoOrg } from '../../src/directory/demo-org';
import { translator } from '../../src/i18n/i18n';
import { ALL_TABLES, TABLES } from '../../src/storage/table-names';
import type { RecordedCall } from '../helpers/connector-double';
import { killLeftovers, startServer, type ServerProcess } from '../helpers/server-process';
import {
  byPerson,
  closeForBusiness,
  delivered,
  install,
  newTown,
  openForBusiness,
  stopGracefully,
  storedReferences,
  townTables as tables,
  waitUntil,
  type Town,
} from '../helpers/process-town';

/**
 * Real hibi server processes (src/main.ts) on the run's Azurite, against a connector double each:
 * the morning fan-out survives a kill -9 mid-send (nobody lost; a prompt Teams had already posted is
 * posted again, marked 再送), two instances share one outbox, and Teams throttling, the last two
 * giving every member exactly one morning prompt.
 *
 * The servers serve every tenant of the shared Azurite that has org settings (other test files'
 * leftovers too), so everything here is counted by this test's tenant's conversation ids, which
 * only this test's double ever sees.
 */

/** A Wednesday office day, one minute into the morning prompt window (08:45–11:00). */
const DEV_NOW = '2026-11-25T08:46:00+09:00';
const DAY = '2026-11-25';
const TEST_TIMEOUT_MS = 180_000;

const directory = buildDemoOrg();
/** Who the scheduler prompts: everyone with a unit (the mayor and deputy have none and are never prompted). */
const prompted = directory.people.filter((p) => p.active && p.unit && p.role !== 'executive');
const morningTitle = translator('ja')('checkin.morning.title');

/** The first TextBlock of a sent card: where a resend says so. */
function firstTextOf(call: RecordedCall): unknown {
  const attachments = call.body.attachments as { content?: { body?: { text?: unknown }[] } }[] | undefined;
  return attachments?.[0]?.content?.body?.[0]?.text;
}

/** kill -9: no shutdown hook runs, sends in flight are cut off, leases stay in the outbox. */
async function crash(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL');
  const { signal } = await server.exited;
  expect(signal).toBe('SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// What reached Teams, and what the outbox says

type Row = Pick<OutboxEntity, 'key' | 'status' | 'attempts' | 'leaseOwner' | 'conversationId' | 'lastError'>;

async function outboxRows(tenantId: string): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  const filter = `PartitionKey eq '${outboxPartition(tenantId, DAY).replace(/'/g, "''")}'`;
  for await (const entity of tables.table(TABLES.outbox).listEntities<OutboxEntity>({ queryOptions: { filter } })) {
    rows.set(entity.key, {
      key: entity.key,
      status: entity.status,
      attempts: entity.attempts,
      leaseOwner: entity.leaseOwner,
      conversationId: entity.conversationId,
      lastError: entity.lastError,
    });
  }
  return rows;
}

const promptKey = (personId: string): string => `checkin.prompt|morning|${personId}`;

async function progress(town: Town): Promise<string> {
  const rows = [...(await outboxRows(town.tenantId)).values()];
  const statuses = new Map<string, number>();
  for (const row of rows) statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);
  return `delivered ${delivered(town).length}/${prompted.length}, held ${town.double.held.length}, abandoned ${town.double.abandoned.length}, rejected ${town.double.rejected.length}, outbox ${JSON.stringify(Object.fromEntries(statuses))}`;
}

/** Every prompt delivered and every row finished as sent. */
async function waitForEveryPrompt(town: Town, timeoutMs = 120_000): Promise<void> {
  await waitUntil(
    'every morning prompt delivered and its outbox row sent',
    async () => {
      if (byPerson(town, delivered(town)).size < prompted.length) return false;
      const rows = await outboxRows(town.tenantId);
      return prompted.every((p) => rows.get(promptKey(p.id))?.status === 'sent');
    },
    timeoutMs,
    () => progress(town),
  );
}

/** Exactly one morning prompt per member with a unit, none to anyone else, each a 2xx answer. */
function expectExactlyOncePerMember(town: Town): void {
  const calls = delivered(town);
  const counts = byPerson(town, calls);
  const duplicates = [...counts].filter(([, n]) => n !== 1);
  expect(duplicates).toEqual([]);
  expect([...counts.keys()].sort()).toEqual(prompted.map((p) => p.id).sort());
  expect(calls).toHaveLength(prompted.length);
  for (const call of calls) expect(call.body.summary).toBe(morningTitle);
  // Nothing else of this town reached Teams (no conversation created, no stray message).
  expect(town.double.calls.filter((call) => call.kind !== 'send')).toEqual([]);
}

function sentLogLines(server: ServerProcess, tenantId: string): number {
  return server.logs.filter((entry) => entry.msg === 'outbox row sent' && entry.tenantId === tenantId).length;
}

function leaseWarnings(server: ServerProcess): number {
  return server.logs.filter((entry) => typeof entry.msg === 'string' && entry.msg.startsWith('outbox lease expired')).length;
}

// ---------------------------------------------------------------------------------------------

describe('the morning fan-out across real server processes', () => {
  const towns: Record<'crash' | 'pair' | 'throttled', Town | undefined> = { crash: undefined, pair: undefined, throttled: undefined };

  beforeAll(async () => {
    await tables.ensureTables(ALL_TABLES);
    towns.crash = await newTown(directory);
    towns.pair = await newTown(directory);
    towns.throttled = await newTown(directory);
    // One server takes the installs of all three towns; its scheduler is off, and none of the towns
    // has org settings yet, so it sends nothing to them.
    const installer = await startServer('installer', { SCHEDULER_ENABLED: 'false' });
    for (const town of Object.values(towns)) if (town) await install(installer, town, directory.people);
    await stopGracefully(installer);
    for (const town of Object.values(towns)) if (town) expect(await storedReferences(town.tenantId)).toBe(directory.people.length);
  }, TEST_TIMEOUT_MS);

  afterEach(killLeftovers);

  afterAll(async () => {
    await killLeftovers();
    for (const town of Object.values(towns)) {
      if (!town) continue;
      await town.double.stop();
      await closeForBusiness(town);
    }
  });

  it(
    'a server killed (-9) mid-send, Teams having posted a prompt it had not yet answered: nobody lost, doubled no more than was in flight, the resends marked 再送',
    async () => {
      const town = towns.crash as Town;
      // Short leases so that the dead server's claims run out within the test (the default is 120 s).
      const env = { DEV_NOW, OUTBOX_LEASE_MS: '4000', OUTBOX_POLL_MS: '250' };
      await openForBusiness(town);

      // The double answers 12 prompts, then posts the 13th but holds its answer (Teams has accepted
      // it, hibi waits for the 2xx), and holds every later request unposted: sends in flight of both kinds.
      town.double.holdAfter(12, { accepted: 1 });
      const first = await startServer('first', env);
      await waitUntil(
        'a send posted with its answer held',
        () => town.double.held.some((call) => call.responseId !== undefined),
        120_000,
        () => progress(town),
      );
      // Killed at once, mid-send. Answered sends not yet recorded as sent are in flight too.
      await crash(first);
      // The dead process's connections close: the posted send is never answered, the others never posted.
      await waitUntil(
        'held requests closed',
        () => town.double.held.length === 0,
        30_000,
        () => progress(town),
      );
      town.double.release();
      const personOf = (call: RecordedCall): string => town.personOf.get(call.conversationId ?? '') ?? '?';
      expect(town.double.unanswered.map(personOf)).toHaveLength(1);

      // In flight at the kill: the dead server's claims with no outcome recorded, still leased.
      const atCrash = await outboxRows(town.tenantId);
      const inFlight = prompted.map((p) => p.id).filter((id) => atCrash.get(promptKey(id))?.status === 'leased');
      expect(inFlight).toEqual(expect.arrayContaining(town.double.unanswered.map(personOf)));
      const sentBeforeRestart = [...atCrash.values()].filter((row) => row.status === 'sent').length;
      const postedBeforeRestart = delivered(town).length;

      const second = await startServer('second', env);
      await waitForEveryPrompt(town);
      await stopGracefully(second);

      // Teams has no idempotent send: a prompt posted before the kill but never recorded is posted again.
      const calls = delivered(town);
      const counts = byPerson(town, calls);
      const lost = prompted.filter((p) => !counts.has(p.id)).map((p) => p.id);
      const doubled = [...counts].filter(([, n]) => n > 1).map(([personId]) => personId);
      expect(lost).toEqual([]);
      expect([...counts.keys()].sort()).toEqual(prompted.map((p) => p.id).sort());
      expect(Math.max(...counts.values())).toBe(2);
      expect(doubled.length).toBeLessThanOrEqual(inFlight.length);
      expect(inFlight).toEqual(expect.arrayContaining(doubled));
      expect(doubled).toEqual(expect.arrayContaining(town.double.unanswered.map(personOf)));
      expect(town.double.calls.filter((call) => call.kind !== 'send')).toEqual([]);

      // What the second server sent to someone in flight at the kill says it is a resend; nothing else does.
      const t = translator('ja');
      const resendMarks = (call: RecordedCall): boolean[] => [
        call.body.summary === t('delivery.resent.prefix', { message: morningTitle }),
        firstTextOf(call) === t('delivery.resent.note'),
      ];
      for (const call of calls.slice(0, postedBeforeRestart)) expect(resendMarks(call)).toEqual([false, false]);
      for (const call of calls.slice(postedBeforeRestart)) {
        const inFlightAtKill = inFlight.includes(personOf(call));
        expect({ personId: personOf(call), marks: resendMarks(call) }).toEqual({ personId: personOf(call), marks: [inFlightAtKill, inFlightAtKill] });
        if (!inFlightAtKill) expect(call.body.summary).toBe(morningTitle);
      }

      const rows = await outboxRows(town.tenantId);
      for (const personId of inFlight) expect(rows.get(promptKey(personId))?.status).toBe('sent');
      expect(sentLogLines(second, town.tenantId)).toBe(prompted.length - sentBeforeRestart);
      expect(second.logs.filter((entry) => entry.msg === 'outbox row sent' && entry.tenantId === town.tenantId && entry.resent === true)).toHaveLength(
        inFlight.length,
      );
      expect(leaseWarnings(second)).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'two servers started at once on one outbox: both schedule and deliver, each member gets one prompt',
    async () => {
      const town = towns.pair as Town;
      await openForBusiness(town);
      const servers = await Promise.all([startServer('a', { DEV_NOW }), startServer('b', { DEV_NOW })]);
      await waitForEveryPrompt(town);
      await Promise.all(servers.map(stopGracefully));

      expectExactlyOncePerMember(town);
      // Each row was sent by exactly one of them, and no claim was lost mid-send.
      const [a, b] = servers.map((server) => sentLogLines(server, town.tenantId)) as [number, number];
      expect(a + b).toBe(prompted.length);
      expect(servers.map(leaseWarnings)).toEqual([0, 0]);
      const rows = await outboxRows(town.tenantId);
      expect([...rows.values()].filter((row) => row.key.startsWith('checkin.prompt|morning|'))).toHaveLength(prompted.length);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Teams throttling the first 20 sends (429, Retry-After: 1): every prompt still delivered exactly once',
    async () => {
      const town = towns.throttled as Town;
      await openForBusiness(town);
      let throttled = 0;
      town.double.intercept((call) => (call.kind === 'send' && throttled++ < 20 ? { status: 429, retryAfterSeconds: 1 } : undefined));
      const server = await startServer('throttled', { DEV_NOW });
      await waitForEveryPrompt(town);
      await stopGracefully(server);

      expect(town.double.rejected).toHaveLength(20);
      expectExactlyOncePerMember(town);
      const rows = [...(await outboxRows(town.tenantId)).values()].filter((row) => row.key.startsWith('checkin.prompt|morning|'));
      // One attempt per prompt plus one per 429.
      expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBe(prompted.length + 20);
      expect(new Set(rows.filter((row) => row.attempts > 1).map((row) => row.lastError))).toEqual(new Set(['429:Throttled']));
    },
    TEST_TIMEOUT_MS,
  );
});
