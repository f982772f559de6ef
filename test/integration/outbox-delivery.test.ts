import { OutboxRepository, type OpenRow } from '../../src/delivery/outbox.repository';
import type { OutboxItem } from '../../src/delivery/outbox.schema';
import { TABLES } from '../../src/storage/table-names';
import { DeliveryHarness } from '../helpers/delivery-harness';

const DAY = '2026-11-25';

function morningPrompt(tenantId: string, personId: string, text = `おはようございます ${personId}`): OutboxItem {
  return { tenantId, day: DAY, key: `checkin-morning|住民課|${personId}`, recipient: { kind: 'person', personId }, message: { text } };
}

function people(count: number, prefix = 'P'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);
}

/** Runs `meanwhile` once, after a pass has listed the open rows and before it serves them: another worker's writes in between. */
class ListingThenMeanwhile extends OutboxRepository {
  meanwhile: (() => Promise<void>) | undefined;

  override async openRows(tenantId: string, day: string): Promise<OpenRow[]> {
    const listed = await super.openRows(tenantId, day);
    const meanwhile = this.meanwhile;
    this.meanwhile = undefined;
    await meanwhile?.();
    return listed;
  }
}

describe('outbox delivery (Azurite + botbuilder port + connector double)', () => {
  const h = new DeliveryHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  beforeEach(() => h.connector.reset());

  it('delivers a fan-out to N people exactly once each, records it, and logs no message text', async () => {
    const tenantId = h.newTenant();
    const ids = people(25);
    const chats = await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    const items = ids.map((id) => morningPrompt(tenantId, id, `秘密の本文 ${id}`));
    items[0] = { ...items[0]!, message: { card: { type: 'AdaptiveCard', version: '1.5', body: [] }, summary: '朝のチェックイン' } };

    expect(await h.outbox.enqueue(items)).toEqual({ added: 25, existing: 0 });
    const summary = await h.worker(tenantId).drain();

    expect(summary).toMatchObject({ sent: 25, retried: 0, failed: 0 });
    for (const chat of chats) expect(h.sentTo(chat.conversationId)).toHaveLength(1);
    expect(h.connector.calls.filter((c) => c.kind !== 'send')).toEqual([]);
    expect(h.sentTo(chats[1]!.conversationId)[0]!.body.text).toBe('秘密の本文 P0002');
    const card = h.sentTo(chats[0]!.conversationId)[0]!.body.attachments as { contentType: string }[];
    expect(card[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');

    const row = await h.outbox.getRow(tenantId, DAY, 'checkin-morning|住民課|P0002');
    expect(row).toMatchObject({ status: 'sent', result: 'Succeeded', attempts: 1, conversationId: chats[1]!.conversationId });
    expect(row!.sentActivityId).toMatch(/^double-activity-/);
    const stored = await h.tables.table(TABLES.outbox).getEntity<Record<string, unknown>>(`${tenantId}|${DAY}`, 'checkin-morning|住民課|P0002');
    expect(stored).toMatchObject({ status: 'sent', finishedAt: expect.any(String) as string });
    expect(stored.leaseOwner).toBeUndefined();
    expect(stored.leaseUntil).toBeUndefined();
    expect(h.logLines.join('')).toContain('checkin-morning|住民課|P0002');
    expect(h.logLines.join('')).not.toContain('秘密の本文');
  });

  it('treats an idempotency key enqueued twice as one send', async () => {
    const tenantId = h.newTenant();
    const chat = await h.personWithChat(tenantId, 'A0100');
    const item = morningPrompt(tenantId, 'A0100');

    expect(await h.outbox.enqueue([item, item])).toEqual({ added: 1, existing: 1 });
    expect(await h.outbox.enqueue([item])).toEqual({ added: 0, existing: 1 });
    await h.worker(tenantId).drain();
    expect(await h.outbox.enqueue([item])).toEqual({ added: 0, existing: 1 });
    await h.worker(tenantId).drain();

    expect(h.sentTo(chat.conversationId)).toHaveLength(1);
  });

  it('retries 429 only after Retry-After, delivering every message once', async () => {
    const tenantId = h.newTenant();
    const ids = people(3, 'T');
    const chats = await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    let throttled = 0;
    h.connector.intercept((call) => (call.kind === 'send' && throttled++ < 4 ? { status: 429, retryAfterSeconds: 1 } : undefined));

    await h.outbox.enqueue(ids.map((id) => morningPrompt(tenantId, id)));
    const summary = await h.worker(tenantId).drain({ waitUpToMs: 15_000 });

    expect(summary.sent).toBe(3);
    expect(h.connector.rejected).toHaveLength(4);
    for (const [i, chat] of chats.entries()) {
      const delivered = h.sentTo(chat.conversationId);
      expect(delivered).toHaveLength(1);
      const refusals = h.connector.rejected.filter((c) => c.conversationId === chat.conversationId);
      const attempts = [...refusals, ...delivered].map((c) => c.at);
      for (let k = 1; k < attempts.length; k++) expect(attempts[k]! - attempts[k - 1]!).toBeGreaterThanOrEqual(1000);
      // One outbox attempt per request the double saw: nothing retried underneath the outbox.
      const row = await h.outbox.getRow(tenantId, DAY, `checkin-morning|住民課|${ids[i]}`);
      expect(row!.attempts).toBe(refusals.length + 1);
    }
  });

  it('retries 502 with backoff; gives up as Throttled when 429 never ends', async () => {
    const tenantId = h.newTenant();
    const flaky = await h.personWithChat(tenantId, 'F0001');
    const jammed = await h.personWithChat(tenantId, 'F0002');
    let flakyCalls = 0;
    h.connector.intercept((call) => {
      if (call.conversationId === flaky.conversationId && flakyCalls++ === 0) return { status: 502 };
      if (call.conversationId === jammed.conversationId) return { status: 429 };
      return undefined;
    });

    await h.outbox.enqueue([morningPrompt(tenantId, 'F0001'), morningPrompt(tenantId, 'F0002')]);
    await h.worker(tenantId).drain({ waitUpToMs: 5_000 });

    expect(h.sentTo(flaky.conversationId)).toHaveLength(1);
    expect(await h.outbox.getRow(tenantId, DAY, 'checkin-morning|住民課|F0001')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await h.outbox.getRow(tenantId, DAY, 'checkin-morning|住民課|F0002')).toMatchObject({
      status: 'failed',
      result: 'Throttled',
      attempts: 5,
      lastError: '429:Throttled',
    });
    expect(h.connector.rejected.filter((c) => c.conversationId === jammed.conversationId)).toHaveLength(5);
  });

  it('marks a person unreachable on 403 MessageWritesBlocked, without retry, until a later delivery succeeds', async () => {
    const tenantId = h.newTenant();
    const chat = await h.personWithChat(tenantId, 'B0001');
    h.connector.intercept((call) => (call.conversationId === chat.conversationId ? { status: 403, code: 'MessageWritesBlocked' } : undefined));

    await h.outbox.enqueue([morningPrompt(tenantId, 'B0001')]);
    const summary = await h.worker(tenantId).drain({ waitUpToMs: 2_000 });

    expect(summary).toMatchObject({ unreachable: 1, retried: 0, sent: 0 });
    expect(h.connector.rejected).toHaveLength(1);
    expect(await h.outbox.getRow(tenantId, DAY, 'checkin-morning|住民課|B0001')).toMatchObject({
      status: 'unreachable',
      result: 'Unreachable',
      attempts: 1,
      lastError: '403:MessageWritesBlocked',
    });
    expect(await h.reachability.list(tenantId)).toEqual([
      { recipient: { kind: 'person', personId: 'B0001' }, code: 'MessageWritesBlocked', at: expect.any(String) as string },
    ]);

    h.connector.intercept(undefined);
    await h.outbox.enqueue([{ ...morningPrompt(tenantId, 'B0001'), key: 'checkin-evening|住民課|B0001' }]);
    await h.worker(tenantId).drain();
    expect(await h.reachability.list(tenantId)).toEqual([]);
  });

  it('lists open rows without their messages, and sends every row whole, once, in queue order, over more pages than one', async () => {
    const tenantId = h.newTenant();
    const ids = people(13, 'L');
    const chats = await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    await h.outbox.enqueue(ids.map((id) => morningPrompt(tenantId, id, `1通目 ${id}`)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Four people also have a second row queued: their lanes hold two rows, the other nine one.
    await h.outbox.enqueue(ids.slice(0, 4).map((id) => ({ ...morningPrompt(tenantId, id, `2通目 ${id}`), key: `checkin-reminder|住民課|${id}` })));

    const listed = await h.repository.openRows(tenantId, DAY);
    expect(listed).toHaveLength(17);
    for (const row of listed) expect(row.entity).not.toHaveProperty('payload');
    expect(listed[0]!.recipient).toEqual({ kind: 'person', personId: expect.any(String) as string });

    expect(await h.worker(tenantId, { concurrency: 2 }, { pageSize: 2 }).drain()).toMatchObject({ sent: 17, lost: 0 });
    for (const [i, chat] of chats.entries()) {
      const expected = i < 4 ? [`1通目 ${ids[i]}`, `2通目 ${ids[i]}`] : [`1通目 ${ids[i]}`];
      expect(h.sentTo(chat.conversationId).map((c) => c.body.text)).toEqual(expected);
    }
  });

  it('sends nothing another worker rescheduled or sent after this pass listed it, and keeps the rescheduled messages', async () => {
    const tenantId = h.newTenant();
    const ids = people(5, 'R');
    const chats = await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    await h.outbox.enqueue(ids.map((id) => morningPrompt(tenantId, id)));
    const reminder = { ...morningPrompt(tenantId, 'R0001', 'リマインド'), key: 'checkin-reminder|住民課|R0001' };
    await h.outbox.enqueue([reminder]);
    const rescheduled = ['checkin-morning|住民課|R0001', reminder.key, 'checkin-morning|住民課|R0002'];
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const repository = new ListingThenMeanwhile(h.tables);
    repository.meanwhile = async () => {
      for (const key of rescheduled) {
        const record = await h.repository.get(tenantId, DAY, key);
        expect(await h.repository.replace(record!, { nextAttemptAt: later, lastError: '429' })).toBeDefined();
      }
      expect(await h.worker(tenantId, { owner: 'worker-other' }).drain()).toMatchObject({ sent: 3 });
    };

    // R0001's two rows are read one by one, the others from pages: all six were planned, none is this worker's now.
    expect(await h.worker(tenantId, {}, { repository, pageSize: 2 }).drain()).toMatchObject({ sent: 0, lost: 6 });

    expect(chats.map((chat) => h.sentTo(chat.conversationId).length)).toEqual([0, 0, 1, 1, 1]);
    for (const key of rescheduled) {
      const record = await h.repository.get(tenantId, DAY, key);
      expect(record!.entity).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: later });
      expect(record!.entity.payload).not.toBe('');
    }
  });

  it('lets two workers drain one outbox at once without sending any row twice', async () => {
    const tenantId = h.newTenant();
    const ids = people(40, 'W');
    const chats = await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    await h.outbox.enqueue(ids.map((id) => morningPrompt(tenantId, id)));

    const [a, b] = await Promise.all([h.worker(tenantId, { owner: 'worker-a' }).drain(), h.worker(tenantId, { owner: 'worker-b' }).drain()]);

    expect(a.sent + b.sent).toBe(40);
    for (const chat of chats) expect(h.sentTo(chat.conversationId)).toHaveLength(1);
    expect(h.connector.calls).toHaveLength(40);
  });

  it('sends the rows of a worker that died holding their lease, once, after the lease expires', async () => {
    const tenantId = h.newTenant();
    const ids = people(5, 'D');
    const chats = await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    await h.outbox.enqueue(ids.map((id) => morningPrompt(tenantId, id)));
    const leaseUntil = Date.now() + 800;
    for (const row of await h.repository.openRows(tenantId, DAY)) {
      const record = await h.repository.get(tenantId, DAY, row.entity.key);
      const claimed = await h.repository.replace(record!, {
        status: 'leased',
        leaseOwner: 'worker-dead',
        leaseUntil: new Date(leaseUntil).toISOString(),
        attempts: 1,
      });
      expect(claimed).toBeDefined();
    }

    const survivor = h.worker(tenantId, { owner: 'worker-survivor' });
    expect(await survivor.drain()).toMatchObject({ sent: 0 });
    expect(h.connector.calls).toHaveLength(0);

    expect(await survivor.drain({ waitUpToMs: 5_000 })).toMatchObject({ sent: 5 });
    for (const chat of chats) {
      const delivered = h.sentTo(chat.conversationId);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.at).toBeGreaterThanOrEqual(leaseUntil);
    }
    expect(await h.outbox.getRow(tenantId, DAY, 'checkin-morning|住民課|D0001')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('wake() sends what was just enqueued without waiting for the next poll', async () => {
    const tenantId = h.newTenant();
    const chat = await h.personWithChat(tenantId, 'K0001');
    const worker = h.worker(tenantId, {}, { pollMs: 60_000 });
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 100));

    await h.outbox.enqueue([morningPrompt(tenantId, 'K0001')]);
    worker.wake();
    await h.connector.waitFor(() => h.sentTo(chat.conversationId).length === 1, 3000);
    await worker.stop();
  });

  it('stop() lets the send in flight finish and claims nothing more; a restart sends the rest, nothing twice', async () => {
    const tenantId = h.newTenant();
    const ids = people(6, 'S');
    const chats = await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    await h.outbox.enqueue(ids.map((id) => morningPrompt(tenantId, id)));

    h.connector.hold();
    const first = h.worker(tenantId, { concurrency: 1 });
    first.start();
    await h.connector.waitForHeld(1);
    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(stopped).toBe(false);
    h.connector.release();
    await stopping;

    expect(h.connector.calls.filter((c) => c.kind === 'send')).toHaveLength(1);
    const rows = await Promise.all(ids.map((id) => h.outbox.getRow(tenantId, DAY, `checkin-morning|住民課|${id}`)));
    expect(rows.filter((r) => r!.status === 'sent')).toHaveLength(1);
    expect(rows.filter((r) => r!.status === 'pending' && r!.attempts === 0)).toHaveLength(5);

    expect(await h.worker(tenantId).drain()).toMatchObject({ sent: 5 });
    for (const chat of chats) expect(h.sentTo(chat.conversationId)).toHaveLength(1);
  });
});
