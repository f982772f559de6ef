import { cardNameOf, MESSAGE_BUDGET_BYTES, utf16Bytes } from '../cards/render-card';
import type { Clock } from '../shared/clock';
import { keyPart } from '../storage/table-keys';
import type { DeliveryResult, Recipient } from './delivery.types';
import { deadlineStamp, pastStamp } from './outbox-times';
import { outboxPartition, type OutboxEntity, type OutboxRepository, type OutboxStatus } from './outbox.repository';
import { outboxItemSchema, readRecipient, type OutboxItem } from './outbox.schema';

export interface OutboxRowView {
  tenantId: string;
  day: string;
  key: string;
  recipient: Recipient | undefined;
  status: OutboxStatus;
  result?: DeliveryResult;
  attempts: number;
  /** With conversationId, what a later step needs to update the sent card in place. */
  sentActivityId?: string;
  conversationId?: string;
  lastError?: string;
  coarseTimes?: boolean;
}

/** Parallel writes per enqueue; a fan-out is a few hundred rows at most. */
const WRITE_CONCURRENCY = 16;

/**
 * A message larger than Teams takes (see MESSAGE_BUDGET_BYTES). It names the card's template and the
 * kind of send (the key up to its first "|"), never the key itself or anything the card holds: the
 * rest of a key can be a person's id, and the message ends up in logs.
 */
export class MessageTooLargeError extends Error {
  constructor(
    readonly cardName: string,
    readonly bytes: number,
    readonly sendKind: string,
  ) {
    super(
      `message too large to send: ${cardName} is ${(bytes / 1024).toFixed(1)} KB in UTF-16 (limit ${MESSAGE_BUDGET_BYTES / 1024} KB), in a ${sendKind} send`,
    );
    this.name = 'MessageTooLargeError';
  }
}

/** Throws MessageTooLargeError for the first item Teams would refuse as too large (413 MessageSizeTooBig). */
export function refuseTooLarge(items: readonly OutboxItem[]): void {
  for (const item of items) {
    const message: unknown = item.message;
    if (typeof message !== 'object' || message === null) continue;
    const bytes = utf16Bytes(message);
    if (bytes <= MESSAGE_BUDGET_BYTES) continue;
    const card = 'card' in message && typeof message.card === 'object' && message.card !== null ? message.card : undefined;
    const template = card ? cardNameOf(card) : undefined;
    const name = template ? `card ${template}` : card ? 'an unnamed card' : 'a text message';
    throw new MessageTooLargeError(name, bytes, item.key.includes('|') ? (item.key.split('|')[0] ?? '') : 'unkeyed');
  }
}

/** Where features put proactive sends; the OutboxWorker delivers them. */
export class Outbox {
  constructor(
    private readonly repository: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes one row per item, before anything is sent. An item whose key is already in the outbox
   * (same tenant and day) is left as it is and counted as existing, so a fan-out can be re-run safely.
   */
  async enqueue(items: readonly OutboxItem[]): Promise<{ added: number; existing: number }> {
    // Before anything is written: a fan-out with one card Teams would refuse is a bug to fix, not to half-send.
    refuseTooLarge(items);
    const parsed = items.map((item) => outboxItemSchema.parse(item));
    const now = this.clock.now();
    const days = daysOf(parsed);
    // The day is marked before its rows exist and again after, so a worker releasing it in between cannot strand them.
    await this.touchDays(days, now);
    let added = 0;
    for (let i = 0; i < parsed.length; i += WRITE_CONCURRENCY) {
      const created = await Promise.all(parsed.slice(i, i + WRITE_CONCURRENCY).map((item) => this.repository.create(toEntity(item, now))));
      added += created.filter(Boolean).length;
    }
    await this.touchDays(days, this.clock.now());
    return { added, existing: parsed.length - added };
  }

  /**
   * Queues an update (an item with `replaces`) under its key, replacing whatever that row held: the
   * latest version of a card is the one to deliver, even over an older one being sent right now (that
   * worker's record of it fails on the changed etag, and the row is sent again with this message).
   */
  async enqueueUpdate(item: OutboxItem & { replaces: NonNullable<OutboxItem['replaces']> }): Promise<void> {
    refuseTooLarge([item]);
    const parsed = outboxItemSchema.parse(item);
    const days = daysOf([parsed]);
    await this.touchDays(days, this.clock.now());
    await this.repository.upsert(toEntity(parsed, this.clock.now()));
    await this.touchDays(days, this.clock.now());
  }

  async getRow(tenantId: string, day: string, key: string): Promise<OutboxRowView | undefined> {
    const record = await this.repository.get(tenantId, day, key);
    if (!record) return undefined;
    const { entity } = record;
    return {
      tenantId: entity.tenantId,
      day: entity.day,
      key: entity.key,
      recipient: readRecipient(entity.recipient),
      status: entity.status,
      result: entity.result,
      attempts: entity.attempts,
      sentActivityId: entity.sentActivityId,
      conversationId: entity.conversationId,
      lastError: entity.lastError,
      coarseTimes: entity.coarseTimes,
    };
  }

  /**
   * A day with a coarse row is marked with the next full hour: it says no more than the row does, and
   * being later than now it only keeps the day longer from release, never cuts an enqueue short.
   */
  private async touchDays(days: readonly DayMark[], at: Date): Promise<void> {
    await Promise.all(days.map((d) => this.repository.touchDay(d.tenantId, d.day, new Date(deadlineStamp(at, d.coarse)))));
  }
}

interface DayMark {
  tenantId: string;
  day: string;
  coarse: boolean;
}

function daysOf(items: readonly OutboxItem[]): DayMark[] {
  const days = new Map<string, DayMark>();
  for (const item of items) {
    const id = `${item.tenantId}\u0000${item.day}`;
    const coarse = (days.get(id)?.coarse ?? false) || item.coarseTimes === true;
    days.set(id, { tenantId: item.tenantId, day: item.day, coarse });
  }
  return [...days.values()];
}

function toEntity(item: OutboxItem, now: Date): OutboxEntity {
  return {
    partitionKey: outboxPartition(item.tenantId, item.day),
    rowKey: keyPart(item.key),
    tenantId: item.tenantId,
    day: item.day,
    key: item.key,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: item.notBefore ? deadlineStamp(item.notBefore, item.coarseTimes) : pastStamp(now, item.coarseTimes),
    recipient: JSON.stringify(item.recipient),
    payload: JSON.stringify(item.message),
    createdAt: pastStamp(now, item.coarseTimes),
    ...(item.coarseTimes ? { coarseTimes: true } : {}),
    ...(item.locale ? { locale: item.locale } : {}),
    ...(item.replaces ? { conversationId: item.replaces.conversationId, updatesActivityId: item.replaces.activityId } : {}),
  };
}
