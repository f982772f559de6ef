import { odata, type TableClient } from '@azure/data-tables';
import type { Locale } from '../i18n/i18n';
import type { TableClientFactory } from '../storage/table-client-factory';
import { TABLES } from '../storage/table-names';
import { findEntity } from '../storage/table-ops';
import { SnapshotCache } from '../storage/snapshot-cache';

/** preferences: PK = tenant, RK = person id. Kept apart from people so a re-import never resets them. */
type PreferencesEntity = {
  partitionKey: string;
  rowKey: string;
  locale?: string;
  kudosPublicOptOut?: boolean;
};

export interface Preferences {
  locale?: Locale;
  /** `ありがとう 公開しない`: kudos to this person are never posted to a channel. */
  kudosPublicOptOut?: boolean;
}

function localeOf(entity: PreferencesEntity): Locale | undefined {
  return entity.locale === 'ja' || entity.locale === 'en' ? entity.locale : undefined;
}

export class PreferencesRepository {
  private readonly table: TableClient;
  /** Every turn asks the person's language; only those who chose one have a row, so a tenant's choices are kept whole. */
  private readonly chosenLocales: SnapshotCache<ReadonlyMap<string, Locale>>;

  /** `cacheTtlMs` 0 = every read goes to storage. */
  constructor(tables: TableClientFactory, cacheTtlMs = 0) {
    this.table = tables.table(TABLES.preferences);
    this.chosenLocales = new SnapshotCache<ReadonlyMap<string, Locale>>(cacheTtlMs, async (tenantId) => {
      const out = new Map<string, Locale>();
      for await (const entity of this.table.listEntities<PreferencesEntity>({
        queryOptions: { filter: odata`PartitionKey eq ${tenantId}`, select: ['RowKey', 'locale'] },
      })) {
        const locale = localeOf(entity);
        if (locale) out.set(entity.rowKey, locale);
      }
      return out;
    });
  }

  /** Read fresh: an opt-out must hold from the moment it is said, on every instance. */
  async get(tenantId: string, personId: string): Promise<Preferences> {
    const entity = await findEntity<PreferencesEntity>(this.table, tenantId, personId);
    return entity ? { locale: localeOf(entity), kudosPublicOptOut: entity.kudosPublicOptOut === true } : {};
  }

  /** The language the person chose, if any: what every turn and every message to them asks first. */
  async localeOf(tenantId: string, personId: string): Promise<Locale | undefined> {
    const chosen = await this.chosenLocales.get(tenantId);
    return chosen ? chosen.get(personId) : (await this.get(tenantId, personId)).locale;
  }

  async setLocale(tenantId: string, personId: string, locale: Locale): Promise<void> {
    await this.table.upsertEntity<PreferencesEntity>({ partitionKey: tenantId, rowKey: personId, locale }, 'Merge');
    this.chosenLocales.evict(tenantId);
  }

  async setKudosPublicOptOut(tenantId: string, personId: string, optOut: boolean): Promise<void> {
    await this.table.upsertEntity<PreferencesEntity>({ partitionKey: tenantId, rowKey: personId, kudosPublicOptOut: optOut }, 'Merge');
  }
}
