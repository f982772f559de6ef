import { formatDate, resolveLocale, translator } from '../../src/i18n/i18n';
import { ja } from '../../src/i18n/catalog-ja';
import { en } from '../../src/i18n/catalog-en';

describe('i18n', () => {
  it('formats dates as people read them', () => {
    expect(formatDate(new Date('2026-11-24T00:00:00+09:00'), 'ja')).toBe('2026年11月24日(火)');
    expect(formatDate('2026-11-24', 'en')).toBe('Tue 24 Nov 2026');
    expect(formatDate(new Date('2026-11-24T16:00:00Z'), 'ja')).toBe('2026年11月25日(水)');
  });

  it('chooses the person, then the organisation, then Teams only on auto', () => {
    expect(resolveLocale('en', 'ja', 'ja-JP')).toBe('en');
    expect(resolveLocale(undefined, 'ja', 'en-US')).toBe('ja');
    expect(resolveLocale(undefined, 'auto', 'en-US')).toBe('en');
    expect(resolveLocale(undefined, 'auto', 'ja-JP')).toBe('ja');
  });

  it('fills parameters and keeps both catalogues complete', () => {
    expect(translator('ja')('help.intro', { name: '田中' })).toContain('田中さん');
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const value of Object.values(en)) expect(value.length).toBeGreaterThan(0);
  });
});
