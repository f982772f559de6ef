import type { TableClient } from '@azure/data-tables';
import type { Locale } from '../../i18n/i18n';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { TABLES } from '../../storage/table-names';
import { isNotFound } from '../../storage/table-errors';
import { compositeKey } from '../../storage/table-keys';
import { ReadCache, type ReadCacheOptions } from '../../storage/read-cache';

/** preferences: PK = tenant, RK = person id. Kept apart from people so a re-import never resets them. */
type PreferencesEntity = {
  partitionKey: string;
  rowKey: string;
  locale?: string;
  kudosPublicOptOut?: boolean;
}

export interface Preferences {
  locale?: Locale;
  /** `ありがとう 公開しない`: kudos to this person are never posted to a channel. */
  kudosPublicOptOut?: boolean;
}

export class PreferencesRepository {
  private readonly table: TableClient;
  /** Read on every turn for the person's language; most people never set one, and that is kept too. */
  private readonly cached: ReadCache<Preferences>;

  constructor(tables: TableClientFactory, cache: ReadCacheOptions = { ttlMs: 0 }) {
    this.table = tables.table(TABLES.preferences);
    this.cached = new ReadCache(cache);
  }

  /** Read fresh: an opt-out must hold from the moment it is said, on every instance. */
  async get(tenantId: string, personId: string): Promise<Preferences> {
    try {
      const entity = await this.table.getEntity<PreferencesEntity>(tenantId, personId);
      return { locale: entity.locale === 'ja' || entity.locale === 'en' ? entity.locale : undefined, kudosPublicOptOut: entity.kudosPublicOptOut === true };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  /** The language the person chose, if any: what every turn and every message to them asks first. */
  async localeOf(tenantId: string, personId: string): Promise<Locale | undefined> {
    return (await this.cached.read(compositeKey(tenantId, personId), () => this.get(tenantId, personId)))?.locale;
  }

  async setLocale(tenantId: string, personId: string, locale: Locale): Promise<void> {
    await this.table.upsertEntity<PreferencesEntity>({ partitionKey: tenantId, rowKey: personId, locale }, 'Merge');
    this.cached.evict(compositeKey(tenantId, personId));
  }

  async setKudosPublicOptOut(tenantId: string, personId: string, optOut: boolean): Promise<void> {
    await this.table.upsertEntity<PreferencesEntity>({ partitionKey: tenantId, rowKey: personId, kudosPublicOptOut: optOut }, 'Merge');
    this.cached.evict(compositeKey(tenantId, personId));
  }
}
