import type { OutgoingMessage } from './delivery.types';
import type { Notification, Notifier } from './notifier';
import type { Outbox, OutboxRowView } from './outbox';
import type { ProactiveSender } from './proactive-sender';
import { IN_TURN_MAX_WAIT_MS, IN_TURN_UPDATE_POLICY } from './retry-policy';

/** The outbox row that carries the updates of the message sent under `key`: one row, its latest version. */
export const updateKeyOf = (key: string): string => `update|${key}`;

const isOpen = (row: OutboxRowView | undefined): boolean => row?.status === 'pending' || row?.status === 'leased';

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
  ) {}

  async send(tenantId: string, day: string, items: readonly Notification[]): Promise<void> {
    await this.outbox.enqueue(
      items.map((item) => ({ tenantId, day, key: item.key, recipient: item.to, message: item.message, coarseTimes: item.coarseTimes, locale: item.locale })),
    );
    this.onQueued();
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
