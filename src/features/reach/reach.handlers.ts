import type { CommandRoute, HandlerContext } from '../../routing/handler-context';
import { tokyoDay } from '../../calendar/office-calendar';
import { CARD_BUDGET_BYTES } from '../../cards/render-card';
import type { ConversationReferencesRepository } from '../../delivery/conversation-references.repository';
import type { ReachabilityRepository } from '../../delivery/reachability.repository';
import { formatDate, type Translate } from '../../i18n/i18n';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import type { Person } from '../../directory/org.schema';
import { pagesOf, reachByUnit, unreachable, type UnitReach } from '../../directory/reach.service';

export interface ReachDeps {
  org: OrgRepository;
  references: ConversationReferencesRepository;
  reachability: ReachabilityRepository;
  clock: Clock;
}

/** Names the town's list shows per unit and kind; the rest are counted, and the unit's own list has them all. */
export const PREVIEW_NAMES = 20;
/** What one text message may hold, in characters (UTF-16 units): the budget of a card. */
const TEXT_BUDGET = CARD_BUDGET_BYTES / 2;
/** A page of a unit's names leaves room for its title, counts and the pointer to the next page. */
const NAMES_PER_PAGE_BUDGET = TEXT_BUDGET - 1_000;

function preview(people: readonly Person[], unit: string, t: Translate): string {
  const names = people
    .slice(0, PREVIEW_NAMES)
    .map((p) => p.name)
    .join('、');
  return people.length > PREVIEW_NAMES ? t('reach.namesAndMore', { names, count: people.length - PREVIEW_NAMES, unit }) : names;
}

function unitLine(unit: UnitReach, t: Translate): string {
  return t('reach.unitLine', { unit: unit.unit, reachable: unit.total - unit.notInstalled.length - unit.blocked.length, total: unit.total });
}

/** Blocks of text joined into as few messages as fit TEXT_BUDGET each, never splitting a block. */
function messagesOf(blocks: readonly string[]): string[] {
  return pagesOf(blocks, (b) => b.length + 1, TEXT_BUDGET).map((page) => page.join('\n\n'));
}

/** `未インストール 住民課 2` → the unit and page; a trailing number (any width) is the page. */
function parseArgs(args: string): { unit: string; page: number } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const last = (words.at(-1) ?? '').normalize('NFKC');
  if (words.length > 1 && /^\d{1,4}$/.test(last)) return { unit: words.slice(0, -1).join(' '), page: Number(last) };
  return { unit: words.join(' '), page: 1 };
}

/**
 * HR's "not installed" list: by unit, who hibi cannot reach. The town's list names the first few of
 * each unit (split over several messages for a large town); `未インストール <課> [page]` lists all of
 * one unit, a page per message, so every message stays under Teams' size limit.
 */
export function notInstalledRoute(deps: ReachDeps): CommandRoute {
  async function townList(ctx: HandlerContext, units: UnitReach[], day: string): Promise<void> {
    const blocks = units.map((unit) =>
      [
        unitLine(unit, ctx.t),
        ...(unit.notInstalled.length > 0 ? [ctx.t('reach.missing', { names: preview(unit.notInstalled, unit.unit, ctx.t) })] : []),
        ...(unit.blocked.length > 0 ? [ctx.t('reach.blocked', { names: preview(unit.blocked, unit.unit, ctx.t) })] : []),
      ].join('\n\n'),
    );
    if (units.every((u) => u.notInstalled.length + u.blocked.length === 0)) blocks.push(ctx.t('reach.allReachable'));
    for (const text of messagesOf([ctx.t('reach.title', { day }), ...blocks])) await ctx.reply({ text });
  }

  async function unitList(ctx: HandlerContext, unit: UnitReach, page: number, day: string): Promise<void> {
    const people = unreachable(unit);
    if (people.length === 0) return void (await ctx.reply({ text: ctx.t('reach.unitAllReachable', { unit: unit.unit, total: unit.total }) }));
    const pages = pagesOf(people, (p) => p.person.name.length + 1, NAMES_PER_PAGE_BUDGET);
    const shown = pages[page - 1];
    if (!shown) return void (await ctx.reply({ text: ctx.t('reach.noSuchPage', { unit: unit.unit, pages: pages.length }) }));
    const names = (blocked: boolean): string =>
      shown
        .filter((p) => p.blocked === blocked)
        .map((p) => p.person.name)
        .join('、');
    const lines = [
      ctx.t('reach.unitTitle', { unit: unit.unit, day, page, pages: pages.length }),
      unitLine(unit, ctx.t),
      ...(names(false) ? [ctx.t('reach.missing', { names: names(false) })] : []),
      ...(names(true) ? [ctx.t('reach.blocked', { names: names(true) })] : []),
      ...(page < pages.length ? [ctx.t('reach.nextPage', { unit: unit.unit, next: page + 1 })] : []),
    ];
    await ctx.reply({ text: lines.join('\n\n') });
  }

  return {
    name: 'not-installed',
    aliases: ['未インストール', 'not-installed'],
    descriptionKey: 'help.cmd.notInstalled',
    example: { ja: '未インストール', en: 'not-installed' },
    async handle(ctx) {
      if (!ctx.person.hr) {
        await ctx.reply({ text: ctx.t('reach.hrOnly') });
        return;
      }
      const [directory, withChat, refused] = await Promise.all([
        deps.org.listPeople(ctx.tenantId),
        deps.references.listPersonIds(ctx.tenantId),
        deps.reachability.list(ctx.tenantId),
      ]);
      const refusedIds = new Set(refused.flatMap((r) => (r.recipient.kind === 'person' ? [r.recipient.personId] : [])));
      const units = reachByUnit(directory, withChat, refusedIds);
      const day = formatDate(tokyoDay(deps.clock.now()), ctx.locale);
      const asked = parseArgs(ctx.args);
      if (!asked.unit) return townList(ctx, units, day);
      const unit = units.find((u) => u.unit === asked.unit);
      if (!unit) return void (await ctx.reply({ text: ctx.t('reach.noSuchUnit', { unit: asked.unit, example: units[0]?.unit ?? '' }) }));
      await unitList(ctx, unit, asked.page, day);
    },
  };
}
