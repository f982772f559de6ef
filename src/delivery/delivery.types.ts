import type { StoredReference } from './conversation-references.repository';

/** What hibi sends: plain text or an Adaptive Card (already bound to its data). */
export type OutgoingMessage = { text: string } | { card: Record<string, unknown>; summary?: string };

/**
 * Who a proactive message is for. `teamsUserId` (29:...) lets hibi open a personal chat for a
 * person who has none stored yet; without it such a person is RecipientNotFound.
 */
export type Recipient = { kind: 'person'; personId: string; teamsUserId?: string } | { kind: 'channel'; teamId: string; channelId: string };

/** Outcome of one delivery, in Company Communicator's vocabulary (plus Unreachable for blocked / not installed). */
export type DeliveryResult = 'Succeeded' | 'Throttled' | 'RecipientNotFound' | 'Failed' | 'Unreachable';

export interface CreatePersonalConversationArgs {
  tenantId: string;
  /** Taken from any reference stored for the tenant: one bot, one regional service URL per tenant. */
  serviceUrl: string;
  channelId: string;
  botId: string;
  /** Teams' own user id (29:...). */
  userId: string;
}

/**
 * The Bot Connector as delivery sees it; src/bot/connector-port.ts implements it with botbuilder.
 * Every failure is thrown as a DeliveryError, and the implementation must not retry by itself:
 * retries belong to the outbox, where they are counted and persisted.
 */
export interface ConnectorPort {
  send(ref: StoredReference, message: OutgoingMessage): Promise<{ activityId?: string }>;
  update(ref: StoredReference, activityId: string, message: OutgoingMessage): Promise<void>;
  createPersonalConversation(args: CreatePersonalConversationArgs): Promise<StoredReference>;
}

export interface DeliveryErrorDetails {
  retryAfterMs?: number;
  /** Teams' error code (e.g. MessageWritesBlocked) or a transport code (ECONNREFUSED). */
  code?: string;
}

/** A failed Bot Connector call; status 0 = no HTTP answer at all. */
export class DeliveryError extends Error {
  readonly retryAfterMs?: number;
  readonly code?: string;

  constructor(
    readonly status: number,
    details: DeliveryErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(`delivery failed: ${status === 0 ? 'no response' : `HTTP ${status}`}${details.code ? ` (${details.code})` : ''}`, options);
    this.name = 'DeliveryError';
    this.retryAfterMs = details.retryAfterMs;
    this.code = details.code;
  }
}
