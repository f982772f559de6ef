import type { Locale } from '../i18n/i18n';
import type { OutgoingMessage, Recipient } from './delivery.types';

/** A message for one person or team channel, identified by a key that makes sending it again a no-op. */
export interface Notification {
  key: string;
  to: Recipient;
  message: OutgoingMessage;
  /** The outbox keeps this row's times to the hour only: for sends that must not say when they were made. */
  coarseTimes?: boolean;
  /** The recipient's language, for what delivery itself adds to the message (the 再送 marker of a resend); default Japanese. */
  locale?: Locale;
}

export function toPerson(personId: string): Recipient {
  return { kind: 'person', personId };
}

/**
 * What features use to reach people outside the current turn. Sends go through the outbox, so
 * they survive restarts and throttling; `update` rewrites an already sent card in place.
 */
export interface Notifier {
  send(tenantId: string, day: string, items: readonly Notification[]): Promise<void>;
  update(tenantId: string, day: string, key: string, message: OutgoingMessage): Promise<void>;
}
