import type { TableClient } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { compositeKey } from '../../storage/table-keys';
import { ONEONONE_TABLES } from './oneonone.repository';
import type { Agenda, MeetingRef, RecordBody } from './oneonone.schema';
import { findEntity, isChangedSinceRead, isConflict } from '../../storage/table-ops';

/** What a pair writes about one 1on1: the member's agenda, the manager's record, the member's comment. */
export interface PairTexts {
  agenda?: Agenda;
  record?: RecordBody;
  comment?: string;
}

type Kind = keyof PairTexts;

/** Rounds of read, change and conditional write before a change gives up: only a burst of presses on one record gets that far. */
const ATTEMPTS = 5;

/** oneononetexts: PK = tenant|manager|member, RK = meeting|kind. Apart from the facts so HR's reads never touch it. */
type TextEntity = { partitionKey: string; rowKey: string; body: string; authorId: string; updatedAt: string };

/** Raised when someone outside the pair asks for its texts; they get nothing, not even whether any exist. */
export class NotInPairError extends Error {
  constructor() {
    super('1on1 texts are readable by the pair only');
    this.name = 'NotInPairError';
  }
}

/**
 * The only way to the texts of a 1on1: every call names who asks, and only the pair's manager or
 * member gets through. The pair is part of the key, so a meeting id from another pair finds nothing.
 */
export class PrivateTexts {
  private readonly table: TableClient;

  constructor(tables: TableClientFactory) {
    this.table = tables.table(ONEONONE_TABLES.texts);
  }

  static isInPair(askerId: string, ref: MeetingRef): boolean {
    return askerId === ref.managerId || askerId === ref.memberId;
  }

  async read(tenantId: string, askerId: string, ref: MeetingRef): Promise<PairTexts> {
    if (!PrivateTexts.isInPair(askerId, ref)) throw new NotInPairError();
    const out: PairTexts = {};
    for (const kind of ['agenda', 'record', 'comment'] as const) {
      const body = await this.getBody(tenantId, ref, kind);
      if (body !== undefined) Object.assign(out, { [kind]: JSON.parse(body) as unknown });
    }
    return out;
  }

  /** For texts one person writes (the member's agenda and comment): the last save is the one kept. */
  async write<K extends Exclude<Kind, 'record'>>(
    tenantId: string,
    authorId: string,
    ref: MeetingRef,
    kind: K,
    value: NonNullable<PairTexts[K]>,
    at: Date,
  ): Promise<void> {
    if (!PrivateTexts.isInPair(authorId, ref)) throw new NotInPairError();
    await this.table.upsertEntity<TextEntity>(this.entity(tenantId, authorId, ref, kind, value, at), 'Replace');
  }

  /**
   * For texts both of the pair change (the record: the manager re-saves it, either presses 完了): reads,
   * applies `change`, and writes only if nobody wrote in between (create-if-absent, If-Match); otherwise
   * reads again and re-applies, so neither change is lost. `change` returns no value to write nothing;
   * its `result` is from the round that counted.
   */
  async update<K extends Kind, R>(
    tenantId: string,
    authorId: string,
    ref: MeetingRef,
    kind: K,
    change: (current: PairTexts[K] | undefined) => { value?: NonNullable<PairTexts[K]>; result: R },
    at: Date,
  ): Promise<R> {
    if (!PrivateTexts.isInPair(authorId, ref)) throw new NotInPairError();
    const pk = compositeKey(tenantId, ref.managerId, ref.memberId);
    const rk = compositeKey(ref.meetingId, kind);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await findEntity<TextEntity>(this.table, pk, rk);
      const { value, result } = change(current ? (JSON.parse(current.body) as PairTexts[K]) : undefined);
      if (value === undefined) return result;
      const entity = this.entity(tenantId, authorId, ref, kind, value, at);
      try {
        if (current) await this.table.updateEntity<TextEntity>(entity, 'Replace', { etag: current.etag });
        else await this.table.createEntity<TextEntity>(entity);
        return result;
      } catch (error) {
        if (!isConflict(error) && !isChangedSinceRead(error)) throw error;
      }
    }
    throw new Error(`1on1 ${kind}: changed by someone else on every attempt, try again`);
  }

  private entity(tenantId: string, authorId: string, ref: MeetingRef, kind: Kind, value: unknown, at: Date): TextEntity {
    return {
      partitionKey: compositeKey(tenantId, ref.managerId, ref.memberId),
      rowKey: compositeKey(ref.meetingId, kind),
      body: JSON.stringify(value),
      authorId,
      updatedAt: at.toISOString(),
    };
  }

  private async getBody(tenantId: string, ref: MeetingRef, kind: Kind): Promise<string | undefined> {
    return (await findEntity<TextEntity>(this.table, compositeKey(tenantId, ref.managerId, ref.memberId), compositeKey(ref.meetingId, kind)))?.body;
  }
}
