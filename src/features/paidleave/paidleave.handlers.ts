import type { CommandRoute, HandlerContext } from '../../routing/handler-context';
import { formatDate } from '../../i18n/i18n';
import { fiscalYearLabel, PAID_LEAVE_TARGET_RATE } from './paidleave.schema';
import type { PaidLeaveKpiSource } from './paidleave.source';

/** Days as people read them: 12.5, not 12.500000001. */
const days = (value: number): string => String(Math.round(value * 100) / 100);

/** `有給` / `leave balance`: a person's own paid leave this fiscal year; nobody else's, ever. */
export function paidLeaveRoute(deps: { source: PaidLeaveKpiSource }): CommandRoute {
  async function balance(ctx: HandlerContext): Promise<void> {
    const { fiscalYear, balance: found } = await deps.source.balanceOf(ctx.tenantId, ctx.person.id);
    const year = fiscalYearLabel(fiscalYear, ctx.t);
    if (!found) {
      await ctx.reply({ text: ctx.t('paidleave.balance.none', { year }) });
      return;
    }
    const { grant, taken } = found;
    const summary = ctx.t('paidleave.balance.summary', {
      year,
      granted: days(grant.grantedDays),
      taken: days(taken.takenDays),
      remaining: days(Math.max(0, grant.grantedDays - taken.takenDays)),
      rate: grant.grantedDays > 0 ? Math.round((taken.takenDays * 100) / grant.grantedDays) : 0,
      target: Math.round(PAID_LEAVE_TARGET_RATE * 100),
    });
    const to = formatDate(taken.through, ctx.locale);
    const source = !taken.imported
      ? ctx.t('paidleave.balance.fromLeaves', { to })
      : taken.imported.asOf >= taken.through
        ? ctx.t('paidleave.balance.fromImport', { asOf: formatDate(taken.imported.asOf, ctx.locale) })
        : ctx.t('paidleave.balance.fromImportAndLeaves', { asOf: formatDate(taken.imported.asOf, ctx.locale), to });
    await ctx.reply({ text: `${summary}\n\n${source}` });
  }

  return {
    name: 'paidLeave',
    aliases: ['有給', '有休', '年休', '有給休暇', 'leave balance', 'paid-leave', 'paidleave'],
    descriptionKey: 'help.cmd.paidLeave',
    example: { ja: '有給', en: 'leave balance' },
    handle: balance,
  };
}
