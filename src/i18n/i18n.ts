import { DateTime } from 'luxon';
import { en } from './catalog-en';
import { ja, type MessageKey } from './catalog-ja';

export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];
export type { MessageKey };

const catalogs: Record<Locale, Record<MessageKey, string>> = { ja, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
}

/** Teams locales look like "ja-JP" or "en-US"; anything not Japanese reads English. */
export function localeFromTeams(teamsLocale: string | undefined): Locale {
  return teamsLocale?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/**
 * The person's own choice wins; else the organisation's default; Teams' locale only when the
 * organisation asks for "auto" (the Playground always says en-US, the town wants Japanese).
 */
export function resolveLocale(personal: Locale | undefined, orgDefault: Locale | 'auto', teamsLocale: string | undefined): Locale {
  if (personal) return personal;
  if (orgDefault !== 'auto') return orgDefault;
  return localeFromTeams(teamsLocale);
}

const TOKYO = 'Asia/Tokyo';

/** 2026年11月24日(火) in Japanese, Tue 24 Nov 2026 in English; always the Tokyo calendar day. */
export function formatDate(at: Date | string, locale: Locale): string {
  const dt = typeof at === 'string' ? DateTime.fromISO(at, { zone: TOKYO }) : DateTime.fromJSDate(at).setZone(TOKYO);
  if (locale === 'ja') {
    const weekday = '月火水木金土日'[dt.weekday - 1];
    return `${dt.year}年${dt.month}月${dt.day}日(${weekday})`;
  }
  return dt.setLocale('en-GB').toFormat('ccc d LLL yyyy');
}

/** 08:45 in both languages: a 24-hour clock is what staff read on office notices. */
export function formatTime(at: Date, _locale: Locale): string {
  return DateTime.fromJSDate(at).setZone(TOKYO).toFormat('HH:mm');
}
