import { translator, type Locale } from '../i18n/i18n';
import type { OutgoingMessage } from './delivery.types';

/**
 * The copy of a message sent again after a worker died with it in flight. Teams has no idempotent
 * send, so the first copy may have arrived; this one says it is a resend where a phone shows it: the
 * notification and chat list (a card's summary, a text's first words) and the top of the card.
 */
export function markedAsResent(message: OutgoingMessage, locale: Locale = 'ja'): OutgoingMessage {
  const t = translator(locale);
  if ('text' in message) return { text: t('delivery.resent.prefix', { message: message.text }) };
  const body = Array.isArray(message.card.body) ? (message.card.body as unknown[]) : [];
  const note = { type: 'TextBlock', text: t('delivery.resent.note'), size: 'Small', weight: 'Bolder', wrap: true };
  return {
    card: { ...message.card, body: [note, ...body] },
    summary: message.summary ? t('delivery.resent.prefix', { message: message.summary }) : t('delivery.resent.label'),
  };
}
