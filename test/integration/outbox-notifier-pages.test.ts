import { MessageTooLargeError, Outbox } from '../../src/delivery/outbox';
import { OutboxNotifier } from '../../src/delivery/outbox-notifier';
import type { OutboxItem } from '../../src/delivery/outbox.schema';
import { toPerson, type Notification } from '../../src/delivery/notifier';
import { RateLimiter } from '../../src/delivery/rate-limiter';
import { systemClock } from '../../src/shared/clock';
import { DeliveryHarness } from '../helpers/delivery-harness';

const DAY = '2026-11-25';

/** The outbox as production has it, noting how many rows each enqueue was given. */
class PageRecordingOutbox extends Outbox {
  readonly pages: number[] = [];

  override async enqueue(items: readonly OutboxItem[]): Promise<{ added: number; existing: number }> {
    this.pages.push(items.length);
    return super.enqueue(items);
  }
}

describe('a fan-out through the notifier (Azurite + botbuilder port + connector double)', () => {
  const h = new DeliveryHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  beforeEach(() => h.connector.reset());

  const notifierOver = (outbox: Outbox, wakes: { count: number }): OutboxNotifier =>
    new OutboxNotifier(outbox, h.sender(new RateLimiter({ clock: systemClock, globalPerSecond: 1000 })), () => (wakes.count += 1), 4);

  it('enqueues a page at a time, waking the worker after each, and each person gets the one shared card exactly once', async () => {
    const tenantId = h.newTenant();
    const ids = Array.from({ length: 10 }, (_, i) => `F${String(i + 1).padStart(4, '0')}`);
    const chats = await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    const card = { card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '今日の最優先' }] }, summary: '朝のチェックイン' };
    const items: Notification[] = ids.map((id) => ({ key: `checkin.prompt|morning|${id}`, to: toPerson(id), message: card }));
    const outbox = new PageRecordingOutbox(h.repository, systemClock);
    const wakes = { count: 0 };

    await notifierOver(outbox, wakes).send(tenantId, DAY, items);
    expect(outbox.pages).toEqual([4, 4, 2]);
    expect(wakes.count).toBe(3);
    expect(await h.worker(tenantId).drain()).toMatchObject({ sent: 10, failed: 0 });

    // The same fan-out again (a job run twice, two instances): every row is already there, nothing is sent again.
    await notifierOver(outbox, wakes).send(tenantId, DAY, items);
    expect(await h.worker(tenantId).drain()).toMatchObject({ sent: 0 });
    for (const chat of chats) {
      const sent = h.sentTo(chat.conversationId);
      expect(sent).toHaveLength(1);
      expect(JSON.stringify(sent[0]!.body)).toContain('今日の最優先');
    }
  });

  it('queues nothing of a fan-out whose last page holds a card Teams would refuse as too large', async () => {
    const tenantId = h.newTenant();
    const ids = Array.from({ length: 9 }, (_, i) => `G${String(i + 1).padStart(4, '0')}`);
    await Promise.all(ids.map((id) => h.personWithChat(tenantId, id)));
    const small = { text: 'おはようございます' };
    const huge = { card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'あ'.repeat(40_000) }] } };
    const items: Notification[] = ids.map((id, i) => ({ key: `checkin.prompt|morning|${id}`, to: toPerson(id), message: i === ids.length - 1 ? huge : small }));
    const outbox = new PageRecordingOutbox(h.repository, systemClock);

    await expect(notifierOver(outbox, { count: 0 }).send(tenantId, DAY, items)).rejects.toBeInstanceOf(MessageTooLargeError);
    expect(outbox.pages).toEqual([]);
    expect(await h.repository.openRows(tenantId, DAY)).toEqual([]);
  });
});
