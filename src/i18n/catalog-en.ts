import type { MessageKey } from './catalog-ja';

export const en: Record<MessageKey, string> = {
  'common.appName': 'hibi',
  'help.title': 'How to use hibi',
  'help.intro': 'Hello {name}. hibi supports your daily check-ins, 1on1s, near-miss reports and kudos in Teams. Send one of these commands.',
  'help.commands': 'Commands',
  'help.cmd.help': 'Show this help',
  'help.cmd.language': 'Change the display language (e.g. language English / language 日本語)',
  'help.footer': 'Commands work in Japanese and in English.',
  'help.unknownCommand': 'Sorry, I did not understand "{text}". These are the commands you can use.',
  notRegistered: 'Your account is not in the hibi staff directory. Please ask HR (総務課 人事) to register you.',
  'language.changed': 'Your display language is now English.',
  'language.invalid': '"{text}" is not available. Send "language English" or "language 日本語".',
  'error.generic': 'Sorry, something went wrong. Please try again in a moment.',
  'error.storage': 'Not saved: storage is unreachable. Your answers are kept; please send them again in a moment.',
  welcome: 'Thank you for installing hibi. Send "help" to see what it can do.',
};
