import type { Notifier } from '../../delivery/notifier';
import type { Locale } from '../../i18n/i18n';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import type { PersonLocale } from '../../preferences/locale-resolver';
import type { PreferencesRepository } from '../../preferences/preferences.repository';
import type { KudosRepository } from './kudos.repository';

export type UnitChannel = { teamId: string; channelId: string };

export interface KudosDeps {
  kudos: KudosRepository;
  org: OrgRepository;
  preferences: PreferencesRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  orgLocale: (tenantId: string) => Promise<Locale>;
  /** The unit's team channel as HR set it; a function so kudos never reads another feature's tables. */
  unitChannelOf: (tenantId: string, unit: string) => Promise<UnitChannel | undefined>;
  clock: Clock;
  dailyLimit: number;
}

/** Outbox keys: everything a send notifies is keyed by its submit id, so a retried submit notifies no one twice. */
export const kudosKeys = {
  received: (submitId: string, recipientId: string) => `kudos.received|${submitId}|${recipientId}`,
  managerNote: (submitId: string, managerId: string) => `kudos.manager|${submitId}|${managerId}`,
  public: (submitId: string, unit: string) => `kudos.public|${submitId}|${unit}`,
  digest: (month: string, personId: string) => `kudos.digest|${month}|${personId}`,
  unitDigest: (month: string, unit: string) => `kudos.digest|${month}|unit|${unit}`,
};
