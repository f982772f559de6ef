import type { CommandRoute } from '../../bot/handler-context';
import { tokyoDay } from '../../calendar/office-calendar';
import type { ConversationReferencesRepository } from '../../delivery/conversation-references.repository';
import type { ReachabilityRepository } from '../../delivery/reachability.repository';
import { formatDate } from '../../i18n/i18n';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from './org.repository';
import { reachByUnit } from './reach.service';

export interface ReachDeps {
  org: OrgRepository;
  references: ConversationReferencesRepository;
  reachability: ReachabilityRepository;
  clock: Clock;
}

/** HR's "not installed" list: by unit, who hibi cannot reach. */
export function notInstalledRoute(deps: ReachDeps): CommandRoute {
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
      const lines = [ctx.t('reach.title', { day: formatDate(tokyoDay(deps.clock.now()), ctx.locale) })];
      for (const unit of units) {
        const unreachable = unit.notInstalled.length + unit.blocked.length;
        lines.push(ctx.t('reach.unitLine', { unit: unit.unit, reachable: unit.total - unreachable, total: unit.total }));
        if (unit.notInstalled.length > 0) lines.push(ctx.t('reach.missing', { names: unit.notInstalled.map((p) => p.name).join('、') }));
        if (unit.blocked.length > 0) lines.push(ctx.t('reach.blocked', { names: unit.blocked.map((p) => p.name).join('、') }));
      }
      if (units.every((u) => u.notInstalled.length + u.blocked.length === 0)) lines.push(ctx.t('reach.allReachable'));
      await ctx.reply({ text: lines.join('\n\n') });
    },
  };
}
