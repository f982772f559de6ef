import type { OutgoingMessage } from './delivery.types';
import type { Notification, Notifier } from './notifier';
import type { Outbox } from './outbox';
import type { ProactiveSender } from './proactive-sender';

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

  async update(tenantId: string, day: string, key: string, message: OutgoingMessage): Promise<void> {
    const row = await this.outbox.getRow(tenantId, day, key);
    if (!row?.recipient || !row.sentActivityId || !row.conversationId) return;
    await this.sender.update({ tenantId, recipient: row.recipient, conversationId: row.conversationId, activityId: row.sentActivityId }, message);
  }
}
