import type { CommandRoute, HandlerContext, VerbRoute } from '../../routing/handler-context';
import { fiscalPeriodOf, tokyoDay } from '../../calendar/office-calendar';
import type { Person } from '../../directory/org.schema';
import { renderPlusCard, renderPlusChooser } from './kudos.cards';
import type { KudosDeps } from './kudos.deps';
import { plusShowSchema } from './kudos.schema';
import { resolveMentions } from '../../directory/mentions';
import { isOwnMember, ownMembers } from './kudos.service';

/**
 * `プラス評価 @name`: a member's kudos and プラス評価 of the current half, for the evaluation
 * conversation. Only the member's own manager (or their 課長) may read them; everyone else is refused.
 */
export function plusHandlers(deps: Pick<KudosDeps, 'kudos' | 'org' | 'clock'>): { command: CommandRoute; verb: VerbRoute } {
  async function show(ctx: HandlerContext, member: Person, directory: readonly Person[]): Promise<void> {
    if (!isOwnMember(ctx.person, member)) return void (await ctx.reply({ text: ctx.t('kudos.plus.notOwn', { name: member.name }) }));
    const period = fiscalPeriodOf(tokyoDay(deps.clock.now()));
    const [kudos, plus] = await Promise.all([
      deps.kudos.received(ctx.tenantId, member.id, period.start, period.end),
      deps.kudos.plusEntries(ctx.tenantId, member.id, period.id),
    ]);
    const nameOf = (id: string): string => directory.find((p) => p.id === id)?.name ?? id;
    const card = renderPlusCard(member, period, kudos, plus, nameOf, ctx.t, ctx.locale);
    await ctx.reply({ card, summary: ctx.t('kudos.plus.title', { name: member.name }) });
  }

  async function command(ctx: HandlerContext): Promise<void> {
    const directory = await deps.org.listPeople(ctx.tenantId);
    if (ctx.mentions.length === 0) {
      const members = ownMembers(ctx.person, directory);
      if (members.length === 0) return void (await ctx.reply({ text: ctx.t('kudos.plus.noMembers') }));
      return void (await ctx.reply({ card: renderPlusChooser(ctx.person, members, ctx.t) }));
    }
    const { found, unknownNames } = resolveMentions(ctx.mentions, directory);
    if (unknownNames.length > 0 || !found[0]) {
      return void (await ctx.reply({ text: ctx.t('kudos.error.unknown', { names: unknownNames.join(ctx.t('kudos.nameSeparator')) }) }));
    }
    for (const member of found) await show(ctx, member, directory);
  }

  async function chosen(ctx: HandlerContext): Promise<void> {
    const parsed = plusShowSchema.safeParse(ctx.value);
    const directory = await deps.org.listPeople(ctx.tenantId);
    const member = parsed.success ? directory.find((p) => p.id === parsed.data.memberId) : undefined;
    if (!member) return void (await ctx.reply({ text: ctx.t('kudos.error.invalid') }));
    await show(ctx, member, directory);
  }

  return {
    command: {
      name: 'plus-eval',
      aliases: ['プラス評価', 'plus-eval', 'pluseval', 'ぷらす評価'],
      descriptionKey: 'help.cmd.plus',
      example: { ja: 'プラス評価 @名前', en: 'plus-eval @name' },
      handle: command,
    },
    verb: { verb: 'kudos.plus.show', handle: chosen },
  };
}
