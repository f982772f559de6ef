import type { CommandRoute, HandlerContext } from '../../routing/handler-context';
import { renderHelpCard } from './help.card';

/** The help command and the fallback for anything hibi does not understand share one card. */
export function helpHandlers(listCommands: () => readonly CommandRoute[]) {
  async function sendHelp(ctx: HandlerContext, notice: string): Promise<void> {
    const card = renderHelpCard({
      title: ctx.t('help.title'),
      notice,
      intro: ctx.t('help.intro', { name: ctx.person.name }),
      commandsHeading: ctx.t('help.commands'),
      commands: listCommands().map((route) => ({ example: route.example[ctx.locale], description: ctx.t(route.descriptionKey) })),
      footer: ctx.t('help.footer'),
    });
    await ctx.reply({ card, summary: ctx.t('help.title') });
  }

  const route: CommandRoute = {
    name: 'help',
    aliases: ['ヘルプ', 'help', 'へるぷ', '使い方', '?'],
    descriptionKey: 'help.cmd.help',
    example: { ja: 'ヘルプ', en: 'help' },
    handle: (ctx) => sendHelp(ctx, ''),
    sharedChats: true,
  };

  async function unknown(ctx: HandlerContext): Promise<void> {
    // Teams' mention markup (<at>名前</at>) is for its renderer; quoted back it shows as raw tags.
    const plain = ctx.text.replace(/<\/?at>/g, '').trim();
    const shown = plain.length > 40 ? `${plain.slice(0, 40)}…` : plain;
    await sendHelp(ctx, shown ? ctx.t('help.unknownCommand', { text: shown }) : '');
  }

  return { route, unknown };
}
