import type { CommandRoute } from '../../routing/handler-context';
import type { Locale } from '../../i18n/i18n';
import { translator } from '../../i18n/i18n';
import type { PreferencesRepository } from '../../preferences/preferences.repository';

/** Either language's own name or code picks it, whatever language the command was typed in. */
const CHOICES: Record<string, Locale> = {
  日本語: 'ja',
  にほんご: 'ja',
  japanese: 'ja',
  ja: 'ja',
  english: 'en',
  英語: 'en',
  えいご: 'en',
  en: 'en',
};

export function languageRoute(preferences: PreferencesRepository): CommandRoute {
  return {
    name: 'language',
    aliases: ['言語', 'language', 'げんご', 'lang'],
    descriptionKey: 'help.cmd.language',
    example: { ja: '言語 English', en: 'language 日本語' },
    async handle(ctx) {
      const choice = CHOICES[ctx.args.trim().toLowerCase()];
      if (!choice) {
        await ctx.reply({ text: ctx.t('language.invalid', { text: ctx.args.trim() }) });
        return;
      }
      await preferences.setLocale(ctx.tenantId, ctx.person.id, choice);
      await ctx.reply({ text: translator(choice)('language.changed') });
    },
  };
}
