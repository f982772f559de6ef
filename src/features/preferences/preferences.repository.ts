import type { TableClient } from '@azure/data-tables';
import type { Locale } from '../../i18n/i18n';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { TABLES } from '../../storage/table-names';
import { isNotFound } from '../../storage/table-errors';

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

  constructor(tables: TableClientFactory) {
    this.table = tables.table(TABLES.preferences);
  }

  async get(tenantId: string, personId: string): Promise<Preferences> {
    try {
      const entity = await this.table.getEntity<PreferencesEntity>(tenantId, personId);
      return { locale: entity.locale === 'ja' || entity.locale === 'en' ? entity.locale : undefined, kudosPublicOptOut: entity.kudosPublicOptOut === true };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  async setLocale(tenantId: string, personId: string, locale: Locale): Promise<void> {
    await this.table.upsertEntity<PreferencesEntity>({ partitionKey: tenantId, rowKey: personId, locale }, 'Merge');
  }

  async setKudosPublicOptOut(tenantId: string, personId: string, optOut: boolean): Promise<void> {
    await this.table.upsertEntity<PreferencesEntity>({ partitionKey: tenantId, rowKey: personId, kudosPublicOptOut: optOut }, 'Merge');
  }
}
