import { odata, type TableClient } from '@azure/data-tables';
import { LRUCache } from 'lru-cache';
import type { TableClientFactory } from '../storage/table-client-factory';
import { TABLES } from '../storage/table-names';
import { compositeKey } from '../storage/table-keys';
import { deleteIfPresent, findEntity, rowPrefixFilter } from '../storage/table-ops';

/** The parts of a Bot Framework conversation reference hibi needs to write first. */
export interface StoredReference {
  channelId: string;
  serviceUrl: string;
  conversationId: string;
  conversationType?: string;
  botId: string;
  /** Teams' own user id (29:...) for personal chats, needed to create a 1:1 conversation again. */
  userId?: string;
  teamId?: string;
  /** Shown to HR when choosing where a unit's summary goes. */
  teamName?: string;
  channelName?: string;
}

export type ReferenceOwner = { kind: 'person'; personId: string } | { kind: 'channel'; teamId: string; channelId: string };

/**
 * conversations: PK = tenant, RK = "person|<personId>" or "channel|<teamId>|<channelId>".
 * A person has one personal chat with the bot; a team can have it in several channels.
 */
type ReferenceEntity = StoredReference & {
  partitionKey: string;
  rowKey: string;
};

/** The row key of an owner; other delivery tables key recipients the same way. */
export function rowKeyOf(owner: ReferenceOwner): string {
  return owner.kind === 'person' ? compositeKey('person', owner.personId) : compositeKey('channel', owner.teamId, owner.channelId);
}

function toReference(entity: StoredReference): StoredReference {
  return {
    channelId: entity.channelId,
    serviceUrl: entity.serviceUrl,
    conversationId: entity.conversationId,
    conversationType: entity.conversationType,
    botId: entity.botId,
    userId: entity.userId,
    teamId: entity.teamId,
    teamName: entity.teamName,
    channelName: entity.channelName,
  };
}

/**
 * How long a written reference is taken as still stored. Only an uninstall removes a row, and the
 * reinstall that follows always writes; the limit bounds how long a row lost any other way stays lost
 * while its person keeps writing. A tenant's stored references are read again after as long.
 */
const WRITTEN_TTL_MS = 12 * 3_600_000;

/** The memo's form of a reference: the same for one just received and one read back from its row. */
function memoOf(reference: StoredReference): string {
  return JSON.stringify(toReference(reference));
}

export class ConversationReferencesRepository {
  private readonly table: TableClient;
  private readonly written = new LRUCache<string, string>({ max: 50_000, ttl: WRITTEN_TTL_MS });
  /** Tenants whose stored references are in `written`: one query each, instead of a write on everyone's first message since start. */
  private readonly seeded = new LRUCache<string, Promise<void>>({ max: 1_000, ttl: WRITTEN_TTL_MS });

  constructor(tables: TableClientFactory) {
    this.table = tables.table(TABLES.conversations);
  }

  async save(tenantId: string, owner: ReferenceOwner, reference: StoredReference): Promise<void> {
    const entity: ReferenceEntity = { partitionKey: tenantId, rowKey: rowKeyOf(owner), ...reference };
    await this.table.upsertEntity(entity, 'Replace');
    this.written.set(compositeKey(tenantId, entity.rowKey), memoOf(reference));
  }

  /** Every message carries its reference; it changes only when Teams moves the chat, so most are not written again. */
  async saveIfChanged(tenantId: string, owner: ReferenceOwner, reference: StoredReference): Promise<void> {
    await this.seedOnce(tenantId);
    if (this.written.get(compositeKey(tenantId, rowKeyOf(owner))) === memoOf(reference)) return;
    await this.save(tenantId, owner, reference);
  }

  /** The tenant's stored references, read once into the memo; a read that fails is tried on the next message and costs this one a write. */
  private async seedOnce(tenantId: string): Promise<void> {
    let seeding = this.seeded.get(tenantId);
    if (!seeding) {
      seeding = this.seed(tenantId).catch(() => void this.seeded.delete(tenantId));
      this.seeded.set(tenantId, seeding);
    }
    await seeding;
  }

  private async seed(tenantId: string): Promise<void> {
    for await (const entity of this.table.listEntities<ReferenceEntity>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } })) {
      this.written.set(compositeKey(tenantId, entity.rowKey), memoOf(entity));
    }
  }

  /**
   * The stored reference as a send needs it: from the memo once the tenant is seeded, so a fan-out to
   * thousands reads none of their rows; one not in the memo (written by another instance since) is
   * read and kept. A reference another instance rewrote since is seen here once its memo entry
   * expires (WRITTEN_TTL_MS), or at once when Teams refuses the old chat and the sender asks again (refresh).
   */
  async find(tenantId: string, owner: ReferenceOwner): Promise<StoredReference | undefined> {
    await this.seedOnce(tenantId);
    const key = compositeKey(tenantId, rowKeyOf(owner));
    const memo = this.written.get(key);
    if (memo !== undefined) return JSON.parse(memo) as StoredReference;
    const stored = await this.get(tenantId, owner);
    if (stored) this.written.set(key, memoOf(stored));
    return stored;
  }

  /** The stored reference read from its row, not the memo, and the memo set to it: what another instance wrote since is seen. */
  async refresh(tenantId: string, owner: ReferenceOwner): Promise<StoredReference | undefined> {
    const key = compositeKey(tenantId, rowKeyOf(owner));
    const stored = await this.get(tenantId, owner);
    if (stored) this.written.set(key, memoOf(stored));
    else this.written.delete(key);
    return stored;
  }

  async get(tenantId: string, owner: ReferenceOwner): Promise<StoredReference | undefined> {
    const entity = await findEntity<ReferenceEntity>(this.table, tenantId, rowKeyOf(owner));
    return entity ? toReference(entity) : undefined;
  }

  /** Any reference of the tenant: a tenant has one bot and one regional service URL, which opening a new chat needs. */
  async anyOfTenant(tenantId: string): Promise<StoredReference | undefined> {
    const pages = this.table.listEntities<ReferenceEntity>({ queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } }).byPage({ maxPageSize: 1 });
    const first = await pages.next();
    const entity = first.done ? undefined : first.value[0];
    return entity ? toReference(entity) : undefined;
  }

  async remove(tenantId: string, owner: ReferenceOwner): Promise<void> {
    this.written.delete(compositeKey(tenantId, rowKeyOf(owner)));
    await deleteIfPresent(this.table, tenantId, rowKeyOf(owner));
  }

  /** The people who have a personal chat with hibi stored. */
  async listPersonIds(tenantId: string): Promise<Set<string>> {
    const prefix = `${compositeKey('person')}|`;
    const out = new Set<string>();
    for await (const entity of this.table.listEntities<ReferenceEntity>({
      queryOptions: { filter: rowPrefixFilter(tenantId, prefix), select: ['RowKey'] },
    })) {
      out.add(decodeURIComponent(entity.rowKey.slice(prefix.length)));
    }
    return out;
  }

  /** Every team channel hibi is installed in, for HR to pick a unit's summary channel. */
  async listChannels(tenantId: string): Promise<(StoredReference & { teamId: string; ownerChannelId: string })[]> {
    const prefix = `${compositeKey('channel')}|`;
    const out: (StoredReference & { teamId: string; ownerChannelId: string })[] = [];
    for await (const entity of this.table.listEntities<ReferenceEntity>({
      queryOptions: { filter: rowPrefixFilter(tenantId, prefix) },
    })) {
      const [teamId, channelId] = entity.rowKey.slice(prefix.length).split('|').map(decodeURIComponent);
      if (teamId && channelId) out.push({ ...toReference(entity), teamId, ownerChannelId: channelId });
    }
    return out;
  }

  /** Every channel of a team: uninstalling from a team removes them all. */
  async removeTeam(tenantId: string, teamId: string): Promise<number> {
    const prefix = `${compositeKey('channel', teamId)}|`;
    let removed = 0;
    for await (const entity of this.table.listEntities<ReferenceEntity>({
      queryOptions: { filter: rowPrefixFilter(tenantId, prefix) },
    })) {
      this.written.delete(compositeKey(tenantId, entity.rowKey));
      await this.table.deleteEntity(tenantId, entity.rowKey);
      removed += 1;
    }
    return removed;
  }
}
