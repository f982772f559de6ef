import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { TableClientFactory } from '../storage/table-client-factory';
import { TABLES } from '../storage/table-names';
import { compositeKey } from '../storage/table-keys';
import { submitInBatches } from '../storage/batch';
import { personIdSchema, personSchema, type OrgDirectory, type OrgLocaleSetting, type Person } from './org.schema';
import { findEntity } from '../storage/table-ops';
import { SnapshotCache } from '../storage/snapshot-cache';

/** people: PK = tenant, RK = person id. One partition per municipality: 10,000 people read in one query. */
type PersonEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  kana?: string;
  unit?: string;
  group?: string;
  role: string;
  managerId?: string;
  email?: string;
  aadObjectId?: string;
  hr: boolean;
  active: boolean;
};

/** personindex: PK = tenant, RK = "aad|<objectId>" or "email|<lowercase address>" -> person id. */
type PersonIndexEntity = {
  partitionKey: string;
  rowKey: string;
  personId: string;
};

/** orgsettings: PK = tenant, RK = "org". */
type OrgSettingsEntity = {
  partitionKey: string;
  rowKey: string;
  defaultLocale: OrgLocaleSetting;
  importedAt?: string;
};

export interface OrgSettings {
  defaultLocale: OrgLocaleSetting;
  importedAt?: string;
}

function toPerson(entity: PersonEntity): Person {
  return personSchema.parse({
    id: entity.rowKey,
    name: entity.name,
    kana: entity.kana || undefined,
    unit: entity.unit || undefined,
    group: entity.group || undefined,
    role: entity.role,
    managerId: entity.managerId || undefined,
    email: entity.email || undefined,
    aadObjectId: entity.aadObjectId || undefined,
    hr: entity.hr,
    active: entity.active,
  });
}

function toEntity(tenantId: string, person: Person): PersonEntity {
  return {
    partitionKey: tenantId,
    rowKey: person.id,
    name: person.name,
    kana: person.kana ?? '',
    unit: person.unit ?? '',
    group: person.group ?? '',
    role: person.role,
    managerId: person.managerId ?? '',
    email: person.email ?? '',
    aadObjectId: person.aadObjectId ?? '',
    hr: person.hr,
    active: person.active,
  };
}

function indexKeys(person: Person): string[] {
  const keys: string[] = [];
  if (person.aadObjectId) keys.push(compositeKey('aad', person.aadObjectId.toLowerCase()));
  if (person.email) keys.push(compositeKey('email', person.email.toLowerCase()));
  return keys;
}

/** What a turn needs of a tenant's directory, kept in memory: people by id and by the keys Teams gives. */
interface OrgSnapshot {
  settings?: OrgSettings;
  byId: ReadonlyMap<string, Person>;
  byKey: ReadonlyMap<string, Person>;
}

function snapshotOf(people: readonly Person[], settings: OrgSettings | undefined): OrgSnapshot {
  const byId = new Map<string, Person>();
  const byKey = new Map<string, Person>();
  for (const person of people) {
    const kept = Object.freeze(person);
    byId.set(kept.id, kept);
    for (const key of indexKeys(kept)) byKey.set(key, kept);
  }
  return { settings: settings && Object.freeze(settings), byId, byKey };
}

export interface ImportResult {
  created: number;
  updated: number;
  deactivated: number;
}

export class OrgRepository {
  private readonly people: TableClient;
  private readonly index: TableClient;
  private readonly units: TableClient;
  private readonly settings: TableClient;
  /**
   * Every turn asks who the sender is and the organisation's language, and people and settings
   * change with an import: a tenant's whole directory is kept, so a person's first message of the
   * day finds them without a read. Someone not in it is still looked up in storage.
   */
  private readonly snapshots: SnapshotCache<OrgSnapshot>;

  /** `cacheTtlMs` 0 (scripts, tests of storage itself) = every read goes to storage. */
  constructor(tables: TableClientFactory, cacheTtlMs = 0) {
    this.snapshots = new SnapshotCache(cacheTtlMs, async (tenantId) => {
      const [people, settings] = await Promise.all([this.listPeople(tenantId), this.readSettings(tenantId)]);
      return snapshotOf(people, settings);
    });
    this.people = tables.table(TABLES.people);
    this.index = tables.table(TABLES.personIndex);
    this.units = tables.table(TABLES.units);
    this.settings = tables.table(TABLES.orgSettings);
  }

  async listPeople(tenantId: string): Promise<Person[]> {
    const out: Person[] = [];
    const query = { queryOptions: { filter: odata`PartitionKey eq ${tenantId}` } };
    for await (const entity of this.people.listEntities<PersonEntity>(query)) out.push(toPerson(entity));
    return out;
  }

  /** The active people whose manager this person is now. */
  async reportsOf(tenantId: string, managerId: string): Promise<Person[]> {
    const snapshot = await this.snapshots.get(tenantId);
    const reports: Person[] = [];
    // Not a copy of the directory per call: every morning prompt asks this of each person.
    for (const p of snapshot ? snapshot.byId.values() : await this.listPeople(tenantId)) if (p.active && p.managerId === managerId) reports.push(p);
    return reports;
  }

  /**
   * Everyone, as the in-memory directory holds them (shared and frozen, as fresh as the cache keeps
   * it), or read from storage without a cache: for the scheduler, which asks every minute.
   */
  async cachedPeople(tenantId: string): Promise<readonly Person[]> {
    const snapshot = await this.snapshots.get(tenantId);
    return snapshot ? [...snapshot.byId.values()] : this.listPeople(tenantId);
  }

  /** An id no directory can hold (a card sent back with "../X" in it) finds nobody, without asking storage. */
  async getPerson(tenantId: string, personId: string): Promise<Person | undefined> {
    if (!personIdSchema.safeParse(personId).success) return undefined;
    return (await this.snapshots.get(tenantId))?.byId.get(personId) ?? this.readPerson(tenantId, personId);
  }

  private async readPerson(tenantId: string, personId: string): Promise<Person | undefined> {
    const entity = await findEntity<PersonEntity>(this.people, tenantId, personId);
    return entity && toPerson(entity);
  }

  /** Teams gives the Entra object id on every activity; email/UPN is the fallback for people imported without it. */
  async findPerson(tenantId: string, ids: { aadObjectId?: string; email?: string }): Promise<Person | undefined> {
    const keys: string[] = [];
    if (ids.aadObjectId) keys.push(compositeKey('aad', ids.aadObjectId.toLowerCase()));
    if (ids.email) keys.push(compositeKey('email', ids.email.toLowerCase()));
    const snapshot = await this.snapshots.get(tenantId);
    for (const key of keys) {
      const kept = snapshot?.byKey.get(key);
      if (kept?.active) return kept;
    }
    for (const key of keys) {
      const hit = await findEntity<PersonIndexEntity>(this.index, tenantId, key);
      const person = hit && (await this.readPerson(tenantId, hit.personId));
      if (person?.active) return person;
    }
    return undefined;
  }

  async getSettings(tenantId: string): Promise<OrgSettings | undefined> {
    const snapshot = await this.snapshots.get(tenantId);
    return snapshot ? snapshot.settings : this.readSettings(tenantId);
  }

  private async readSettings(tenantId: string): Promise<OrgSettings | undefined> {
    const entity = await findEntity<OrgSettingsEntity>(this.settings, tenantId, 'org');
    return entity && { defaultLocale: entity.defaultLocale, importedAt: entity.importedAt };
  }

  /** Every municipality with a directory: the scheduler's list of whom to serve. */
  async listTenants(): Promise<string[]> {
    const out: string[] = [];
    for await (const entity of this.settings.listEntities<OrgSettingsEntity>({ queryOptions: { filter: odata`RowKey eq 'org'` } })) {
      out.push(entity.partitionKey);
    }
    return out;
  }

  async saveSettings(tenantId: string, settings: OrgSettings): Promise<void> {
    await this.settings.upsertEntity<OrgSettingsEntity>({ partitionKey: tenantId, rowKey: 'org', ...settings }, 'Replace');
    this.snapshots.evict(tenantId);
  }

  /**
   * Replaces the tenant's directory with an already validated one: people are upserted in place,
   * people missing from it are deactivated (their history stays), the lookup index follows.
   */
  async importDirectory(tenantId: string, directory: OrgDirectory): Promise<ImportResult> {
    const existing = new Map((await this.listPeople(tenantId)).map((p) => [p.id, p]));
    const incoming = new Set(directory.people.map((p) => p.id));
    const result: ImportResult = { created: 0, updated: 0, deactivated: 0 };

    const peopleActions: TransactionAction[] = directory.people.map((person) => {
      if (existing.has(person.id)) result.updated += 1;
      else result.created += 1;
      return ['upsert', toEntity(tenantId, { ...person, active: true }), 'Replace'];
    });
    for (const old of existing.values()) {
      if (!incoming.has(old.id) && old.active) {
        result.deactivated += 1;
        peopleActions.push(['upsert', toEntity(tenantId, { ...old, active: false }), 'Replace']);
      }
    }

    const wanted = new Map<string, string>();
    for (const person of directory.people) for (const key of indexKeys(person)) wanted.set(key, person.id);
    const indexActions: TransactionAction[] = [];
    for await (const entity of this.index.listEntities<PersonIndexEntity>({
      queryOptions: { filter: odata`PartitionKey eq ${tenantId}` },
    })) {
      if (!wanted.has(entity.rowKey)) indexActions.push(['delete', { partitionKey: tenantId, rowKey: entity.rowKey }]);
    }
    for (const [rowKey, personId] of wanted) {
      indexActions.push(['upsert', { partitionKey: tenantId, rowKey, personId }, 'Replace']);
    }

    const unitActions: TransactionAction[] = directory.units.map((unit) => [
      'upsert',
      { partitionKey: tenantId, rowKey: compositeKey(unit.name), name: unit.name },
      'Replace',
    ]);

    await submitInBatches(this.units, unitActions);
    await submitInBatches(this.people, peopleActions);
    await submitInBatches(this.index, indexActions);
    this.snapshots.evict(tenantId);
    return result;
  }
}
