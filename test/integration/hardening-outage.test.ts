import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { CHECKIN_TABLES } from '../../src/features/checkin/checkin.repository';
import { en } from '../../src/i18n/catalog-en';
import { Outbox } from '../../src/delivery/outbox';
import { OutboxRepository } from '../../src/delivery/outbox.repository';
import { fixedClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { startAzurite, type RunningAzurite } from '../../src/storage/azurite';
import { cardSubmit, personalMessage } from '../helpers/activities';
import { ConnectorDouble, type RecordedCall } from '../helpers/connector-double';
import { freePort } from '../helpers/free-port';
import { shownStrings } from '../helpers/hardening';
import { inputsOf, ONEONONE_CSV } from '../helpers/oneonone-org';
import { conversationOf, loadTestOrg, teamsUserOf, type TestOrg } from '../helpers/people';
import { StorageGate } from '../helpers/storage-gate';
import type { TestApp } from '../helpers/test-app';

const TENANT = 'c3c3c3c3-0000-4000-8000-000000000000';
const jst = (iso: string): Date => new Date(`${iso}+09:00`);

/**
 * Storage that stops answering. This file runs its own Azurite (with its data on disk, so it comes
 * back with everything it had) behind a proxy that can hold a request: storage is stopped at an exact
 * point of a turn, not somewhere around it.
 */
describe('storage outage', () => {
  const clock = fixedClock(jst('2026-11-25T09:00:00'));
  /** Delivery's own clock (leases, retries): real time, moved ahead to step past every lease. */
  let deliveryAhead = 0;
  const deliveryClock = { now: () => new Date(Date.now() + deliveryAhead) };
  const connector = new ConnectorDouble();
  let location: string;
  let azuritePort: number;
  let azurite: RunningAzurite;
  let gate: StorageGate;
  let app: App;
  let t: TestApp;
  let org: TestOrg;
  let leaseMs: number;

  const restartAzurite = async () => {
    azurite = await startAzurite({ port: azuritePort, location });
  };
  /** Azurite writes its data to disk on SIGINT (a SIGTERM would lose the last seconds): a storage account that went away, not one wiped. */
  const stopAzurite = async () => {
    process.kill(azurite.pid, 'SIGINT');
    for (let alive = true; alive; await new Promise((resolve) => setTimeout(resolve, 50))) {
      try {
        process.kill(azurite.pid, 0);
      } catch {
        alive = false;
      }
    }
    await azurite.stop();
  };

  beforeAll(async () => {
    location = await mkdtemp(path.join(tmpdir(), 'hibi-outage-'));
    azuritePort = await freePort();
    await restartAzurite();
    gate = new StorageGate(azuritePort);
    await gate.start();
    const connectionString = gate.connectionString(azurite.connectionString);
    const config = loadConfig({ LOG_LEVEL: 'silent', STORAGE_CONNECTION_STRING: connectionString, SHUTDOWN_TIMEOUT_MS: '2000' });
    leaseMs = config.env.OUTBOX_LEASE_MS;
    app = await createApp(config, connectionString, createLogger('silent'), { background: false, tenants: [TENANT], clock, deliveryClock });
    const url = `http://127.0.0.1:${await app.start(0, '127.0.0.1')}`;
    await connector.start();
    const post = async (activity: object) => {
      const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      await response.text();
      return response.status;
    };
    t = { app, connector, tenantId: TENANT, url, connectionString, post, stop: async () => undefined };
    org = await loadTestOrg(t, ONEONONE_CSV);
    // S reads hibi in English: the outage answer must come in the person's own language.
    await t.post(personalMessage(teamsUserOf(org.by('S'), org.base), 'language English'));
  });
  afterAll(async () => {
    await app.stop();
    await connector.stop();
    await gate.stop();
    await azurite.stop();
    await rm(location, { recursive: true, force: true });
  });

  describe('during a check-in submit', () => {
    const answers = {
      verb: 'checkin.submit',
      slot: 'morning',
      day: '2026-11-25',
      priority: 'Road survey report',
      purpose: 'Due Friday',
      trouble: 'Printer is down',
      needHelp: 'false',
      condition: '4',
    };
    const submit = () => cardSubmit(teamsUserOf(org.by('S'), org.base), answers, 'morning-card-1');
    const updatesOfTheCard = () => connector.calls.filter((c) => c.kind === 'update' && c.activityId === 'morning-card-1');

    async function storedCheckins(): Promise<unknown[]> {
      const rows: unknown[] = [];
      const filter = `PartitionKey eq '${TENANT}|建設課|2026-11-25' and RowKey eq 'morning|S'`;
      for await (const row of app.tables.table(CHECKIN_TABLES.checkins).listEntities({ queryOptions: { filter } })) rows.push(row);
      return rows;
    }

    it('tells the person, in their language, that nothing was saved, and gives the card back with their answers', async () => {
      connector.reset();
      // The person and their language are read; storage goes away as the check-in is about to be written.
      const held = gate.holdNext((r) => r.path.includes(`/${CHECKIN_TABLES.checkins}`));
      const status = t.post(submit());
      await held;
      await stopAzurite();
      gate.release();
      expect(await status).toBe(200);

      const updates = updatesOfTheCard();
      expect(updates).toHaveLength(1);
      const card = (updates[0]?.body.attachments as { content: unknown }[])[0]?.content;
      expect(shownStrings(updates[0] as RecordedCall)).toContain(en['error.storage']);
      expect(inputsOf(card)).toMatchObject({ priority: answers.priority, purpose: answers.purpose, trouble: answers.trouble, condition: answers.condition });
      expect(connector.sent()).toEqual([]);
      expect((await fetch(`${t.url}/healthz`)).status).toBe(503);
    });

    it('stores the same submit once when storage is back', async () => {
      await restartAzurite();
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      expect(await storedCheckins()).toEqual([]);
      connector.reset();

      expect(await t.post(submit())).toBe(200);
      expect(await t.post(submit())).toBe(200);
      expect(await storedCheckins()).toHaveLength(1);
      const saved = updatesOfTheCard().map((c) => shownStrings(c).some((s) => s.startsWith(en['checkin.saved.morning'])));
      expect(saved).toEqual([true, true]);
    });
  });

  describe('scheduled sends', () => {
    const prompts = (calls: RecordedCall[]) => calls.filter((c) => c.kind === 'send' || c.kind === 'create');
    const perConversation = (calls: RecordedCall[]) => {
      const out = new Map<string, number>();
      for (const call of calls) if (call.kind === 'send') out.set(call.conversationId ?? '', (out.get(call.conversationId ?? '') ?? 0) + 1);
      return out;
    };
    const members = () =>
      org.people
        .filter((p) => p.role !== 'executive')
        .map(conversationOf)
        .sort();
    const isProbe = (call: RecordedCall) => call.kind === 'send' && JSON.stringify(call.body).includes('lease probe');

    it('pause while storage is down and resume after, each message once: a fan-out queued before, and a reminder that came due during it', async () => {
      connector.reset();
      clock.set(jst('2026-11-26T08:46:00'));
      expect(await app.runDueJobs()).toBeGreaterThan(0);

      await stopAzurite();
      await expect(app.deliverPending()).rejects.toThrow();
      clock.set(jst('2026-11-26T09:16:00'));
      await expect(app.runDueJobs()).rejects.toThrow();
      expect(prompts(connector.calls)).toEqual([]);

      await restartAzurite();
      await app.deliverPending();
      const afterPrompts = perConversation(connector.calls);
      expect([...afterPrompts.keys()].sort()).toEqual(members());
      expect([...afterPrompts.values()].every((n) => n === 1)).toBe(true);

      // The reminder that came due while storage was down runs now, once.
      expect(await app.runDueJobs()).toBeGreaterThan(0);
      await app.deliverPending();
      expect(await app.runDueJobs()).toBe(0);
      await app.deliverPending();
      const all = perConversation(connector.calls);
      expect([...all.keys()].sort()).toEqual(members());
      expect([...all.values()].every((n) => n === 2)).toBe(true);
      const reminderText = /check-in|チェックイン/;
      for (const conversation of members()) {
        const texts = connector.calls.filter((c) => c.kind === 'send' && c.conversationId === conversation).map((c) => JSON.stringify(c.body));
        expect(texts[1]).toMatch(reminderText);
      }
    });

    it('records a send that was in flight when storage went away once storage is back, and never sends it again', async () => {
      connector.reset();
      clock.set(jst('2026-11-27T08:46:00'));
      expect(await app.runDueJobs()).toBeGreaterThan(0);
      connector.hold();
      const draining = app.deliverPending().catch(() => undefined);
      await connector.waitForHeld(1);
      const inFlight = connector.held.length;
      await stopAzurite();
      // The held sends now reach Teams while storage is gone: their rows cannot be marked sent yet.
      connector.release();
      await connector.waitFor((calls) => calls.filter((c) => c.kind === 'send').length >= inFlight);
      await restartAzurite();
      await draining;

      // Wait until no row of the day is still leased: the in-flight sends have been recorded.
      const outbox = app.tables.table('outbox');
      const leased = async () => {
        let count = 0;
        for await (const row of outbox.listEntities<{ status: string }>({ queryOptions: { filter: `PartitionKey eq '${TENANT}|2026-11-27'` } }))
          if (row.status === 'leased') count += 1;
        return count;
      };
      for (const deadline = Date.now() + 30_000; (await leased()) > 0; await new Promise((resolve) => setTimeout(resolve, 200))) {
        if (Date.now() > deadline) throw new Error('rows still leased 30 s after storage came back');
      }
      // A row another worker leased and never recorded (it died mid-send), to show the step below goes past leases.
      const repository = new OutboxRepository(app.tables);
      await new Outbox(repository, deliveryClock).enqueue([
        { tenantId: TENANT, day: '2026-11-27', key: 'lease-probe', recipient: { kind: 'person', personId: 'S' }, message: { text: 'lease probe' } },
      ]);
      const probe = (await repository.get(TENANT, '2026-11-27', 'lease-probe'))!;
      expect(
        await repository.replace(probe, {
          status: 'leased',
          leaseOwner: 'a-worker-that-died',
          leaseUntil: new Date(deliveryClock.now().getTime() + leaseMs).toISOString(),
          attempts: 1,
        }),
      ).toBeDefined();
      await app.deliverPending();
      expect(connector.calls.filter(isProbe)).toEqual([]);

      // Well past every lease (on delivery's clock, which is what leases are kept by): a row left leased would now be sent a second time.
      clock.set(jst('2026-11-27T09:00:00'));
      deliveryAhead = 2 * leaseMs;
      await app.deliverPending();
      expect(connector.calls.filter(isProbe)).toHaveLength(1);
      const all = perConversation(connector.calls.filter((c) => !isProbe(c)));
      expect([...all.keys()].sort()).toEqual(members());
      expect([...all.values()].every((n) => n === 1)).toBe(true);
    });
  });
});
