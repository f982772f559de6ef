import { resolveLocale, type Locale } from '../../i18n/i18n';
import type { OrgRepository } from '../org/org.repository';
import type { PreferencesRepository } from './preferences.repository';

/** The language to write to someone who is not in the current turn (no Teams locale to go by). */
export function personLocaleResolver(org: OrgRepository, preferences: PreferencesRepository) {
  return async (tenantId: string, personId: string): Promise<Locale> => {
    const [settings, chosen] = await Promise.all([org.getSettings(tenantId), preferences.localeOf(tenantId, personId)]);
    return resolveLocale(chosen, settings?.defaultLocale ?? 'ja', undefined);
  };
}

export type PersonLocale = ReturnType<typeof personLocaleResolver>;

/** The organisation's own language, for what many people read at once (a team channel). */
export function orgLocaleResolver(org: OrgRepository) {
  return async (tenantId: string): Promise<Locale> => {
    const settings = await org.getSettings(tenantId);
    return resolveLocale(undefined, settings?.defaultLocale === 'en' ? 'en' : 'ja', undefined);
  };
}
