import type { OutgoingMessage } from './delivery.types';
import type { Notification, Notifier } from './notifier';
import { refuseTooLarge, type Outbox, type OutboxRowView } from './outbox';
import type { OutboxItem } from './outbox.schema';
import type { ProactiveSender } from './proactive-sender';
import { IN_TURN_MAX_WAIT_MS, IN_TURN_UPDATE_POLICY } from './retry-policy';

/** The outbox row that carries the updates of the message sent under `key`: one row, its latest version. */
export const updateKeyOf = (key: string): string => `update|${key}`;

const isOpen = (row: OutboxRowView | undefined): boolean => row?.status === 'pending' || row?.status === 'leased';

/** Rows written per enqueue: a fan-out to a whole town is validated, serialised and held a page at a time. */
export const ENQUEUE_PAGE_SIZE = 200;

/**
 * Features' Notifier on top of the outbox: sends are rows the worker delivers; an update finds the
 * sent activity through its row. An update for a message not delivered yet is skipped: the worker
 * will deliver the original, and the turn that asked for the update has already told the people involved.
 */
export class OutboxNotifier implements Notifier {
  constructor(
    private readonly outbox: Outbox,
    private readonly sender: ProactiveSender,
    private readonly onQueued: () => void,
    private readonly pageSize = ENQUEUE_PAGE_SIZE,
  ) {}

  /**
   * Enqueues a page at a time, and wakes the worker after each, so it sends the first page while the
   * next are written. Every distinct message is checked for size before the first page, so a card
   * Teams would refuse still stops the whole fan-out before anything is queued.
   */
  async send(tenantId: string, day: string, items: readonly Notification[]): Promise<void> {
    const rowOf = (item: Notification): OutboxItem => ({
      tenantId,
      day,
      key: item.key,
      recipient: item.to,
      message: item.message,
      coarseTimes: item.coarseTimes,
      locale: item.locale,
    });
    const distinct = new Map<OutgoingMessage, Notification>();
    for (const item of items) if (!distinct.has(item.message)) distinct.set(item.message, item);
    refuseTooLarge([...distinct.values()].map(rowOf));
    for (let from = 0; from < items.length; from += this.pageSize) {
      await this.outbox.enqueue(items.slice(from, from + this.pageSize).map(rowOf));
      this.onQueued();
    }
  }

  /**
   * Updates are asked for inside someone's turn, which Teams gives up on (and sends again) after
   * seconds: Teams gets one quick retry here, and an update that needs longer goes through the outbox.
   * While an earlier update of the same card still waits there, this one joins it rather than land
   * first and be overwritten by the older one.
   */
  async update(tenantId: string, day: string, key: string, message: OutgoingMessage): Promise<void> {
    const row = await this.outbox.getRow(tenantId, day, key);
    if (!row?.recipient || !row.sentActivityId || !row.conversationId) return;
    const replaces = { conversationId: row.conversationId, activityId: row.sentActivityId };
    const updateKey = updateKeyOf(key);
    if (!isOpen(await this.outbox.getRow(tenantId, day, updateKey))) {
      const result = await this.sender.update({ tenantId, recipient: row.recipient, ...replaces }, message, {
        retry: IN_TURN_UPDATE_POLICY,
        maxWaitMs: IN_TURN_MAX_WAIT_MS,
      });
      if (result !== 'Deferred') return;
    }
    await this.outbox.enqueueUpdate({ tenantId, day, key: updateKey, recipient: row.recipient, message, replaces, coarseTimes: row.coarseTimes });
    this.onQueued();
  }
}
