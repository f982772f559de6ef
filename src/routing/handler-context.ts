import type { OutgoingMessage } from '../delivery/delivery.types';
import type { Person } from '../directory/org.schema';
import type { Locale, MessageKey, Translate } from '../i18n/i18n';

/** Defined with proactive delivery, which sends the same messages outside a turn. */
export type { OutgoingMessage } from '../delivery/delivery.types';

/** A Teams user @mentioned in the message (never hibi itself). */
export interface Mention {
  /** Teams' own id (29:...), what the mention entity carries. */
  teamsUserId: string;
  /** The Entra object id that finds the person in the directory; missing when Teams would not say. */
  aadObjectId?: string;
  name: string;
}

/**
 * What a feature handler sees of a turn: who is asking, in which language, and how to answer.
 * Deliberately free of botbuilder types so features never depend on the SDK.
 */
export interface HandlerContext {
  tenantId: string;
  person: Person;
  locale: Locale;
  t: Translate;
  /** The whole normalised text of the message ("" for a card submit). */
  text: string;
  /** The text after the command word. */
  args: string;
  /** Everyone @mentioned in the message other than hibi, in the order written. */
  mentions: Mention[];
  /** Card submit data, untyped until the feature's zod schema has read it. */
  value?: unknown;
  /** The id of the message a card submit came from, to update that card in place. */
  sourceActivityId?: string;
  /**
   * The same for every delivery of this one activity (conversation + activity id): Teams redelivers a
   * message it saw no answer to, and a command keyed by this writes once. Undefined without an id.
   */
  activityKey?: string;
  /** A channel or group chat: whatever is answered there is seen by everyone in it. */
  sharedChat: boolean;
  reply(message: OutgoingMessage): Promise<string | undefined>;
  updateMessage(activityId: string, message: OutgoingMessage): Promise<void>;
  /**
   * A card submit's answer replaces the card it came from, so the same form cannot be sent twice;
   * without one (a typed command) the answer is a new message.
   */
  answerInPlace(message: OutgoingMessage): Promise<void>;
}

export interface CommandRoute {
  name: string;
  /** Every word that starts this command, in any language; matched after NFKC and lower-casing. */
  aliases: string[];
  descriptionKey: MessageKey;
  example: Record<Locale, string>;
  handle(ctx: HandlerContext): Promise<void>;
  /** True when merely asking for this command must not be linked to the asker: see VerbRoute.concealsSender. */
  concealsSender?: boolean;
  /** True when its answer shows nothing private, so it may be used in a channel or group chat too. */
  sharedChats?: boolean;
}

export interface VerbRoute {
  /** The `verb` field a card puts in its submit data. */
  verb: string;
  handle(ctx: HandlerContext): Promise<void>;
  /**
   * True when this submit must not be linked to the person who sent it (an anonymous report): the
   * bot then neither logs who sent it nor rewrites their conversation row, whose time would match.
   */
  concealsSender?(value: unknown): boolean;
  /** As CommandRoute.sharedChats: a card posted in a channel or group chat may be submitted there. */
  sharedChats?: boolean;
}

/** One choice a card's type-ahead offers: what the person reads and what the input submits. */
export interface SearchResult {
  title: string;
  value: string;
}

/** What a type-ahead search sees of its turn: who is typing, and what. */
export interface SearchQuery {
  tenantId: string;
  person: Person;
  /** As typed; may be empty when the dropdown first opens. */
  queryText: string;
  skip: number;
  /** How many Teams asks for; the bot never returns more than Teams shows (15). */
  top: number;
}

/**
 * Answers a card's dynamic type-ahead (an Input.ChoiceSet whose `choices.data` is a Data.Query with
 * this `dataset`). Clients without it use the card's static choices, so a search only narrows them.
 */
export interface SearchRoute {
  dataset: string;
  search(query: SearchQuery): Promise<SearchResult[]>;
}
