import { resolveLocale, type Locale } from '../i18n/i18n';
import { forEachLimited } from '../shared/concurrency';
import type { OrgRepository } from '../directory/org.repository';
import type { PreferencesRepository } from './preferences.repository';

/** The language to write to someone who is not in the current turn (no Teams locale to go by). */
export function personLocaleResolver(org: OrgRepository, preferences: PreferencesRepository) {
  return async (tenantId: string, personId: string): Promise<Locale> => {
    const [settings, chosen] = await Promise.all([org.getSettings(tenantId), preferences.localeOf(tenantId, personId)]);
    return resolveLocale(chosen, settings?.defaultLocale ?? 'ja', undefined);
  };
}

export type PersonLocale = ReturnType<typeof personLocaleResolver>;

/** Preference reads in flight at once for a fan-out: a unit's worth goes in a few round trips without flooding storage. */
const LOOKUP_WIDTH = 8;

/**
 * personLocaleResolver for everyone a fan-out writes to: the organisation's setting read once, not once
 * per person. The answer gives anyone not asked about the organisation's language.
 */
export function peopleLocalesResolver(org: OrgRepository, preferences: PreferencesRepository) {
  return async (tenantId: string, personIds: readonly string[]): Promise<(personId: string) => Locale> => {
    const fallback = resolveLocale(undefined, (await org.getSettings(tenantId))?.defaultLocale ?? 'ja', undefined);
    const chosen = new Map<string, Locale>();
    await forEachLimited(personIds, LOOKUP_WIDTH, async (personId) => {
      const locale = await preferences.localeOf(tenantId, personId);
      if (locale) chosen.set(personId, locale);
    });
    return (personId) => chosen.get(personId) ?? fallback;
  };
}

export type PeopleLocales = ReturnType<typeof peopleLocalesResolver>;

/** The organisation's own language, for what many people read at once (a team channel). */
export function orgLocaleResolver(org: OrgRepository) {
  return async (tenantId: string): Promise<Locale> => {
    const settings = await org.getSettings(tenantId);
    return resolveLocale(undefined, settings?.defaultLocale === 'en' ? 'en' : 'ja', undefined);
  };
}
