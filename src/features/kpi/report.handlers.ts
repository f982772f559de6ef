import { z } from 'zod';
import type { CommandRoute, HandlerContext } from '../../routing/handler-context';
import { fiscalPeriodOf, tokyoDay } from '../../calendar/office-calendar';
import type { Clock } from '../../shared/clock';
import type { OrgRepository } from '../../directory/org.repository';
import { periodIdSchema } from './kpi.period';
import type { KpiReader } from './kpi.types';
import { renderKpiSummaryCard } from './report/kpi-summary.card';
import { decideReportScope, scopeRefusalMessage, scopeRequestSchema } from './report/report-scope';

export interface ReportDeps {
  reader: KpiReader;
  org: Pick<OrgRepository, 'listPeople'>;
  clock: Clock;
}

/** A word that starts like a period (FY2026H1, FY2026, 2026-05) rather than a unit name. */
const LOOKS_LIKE_PERIOD = /^(?:fy|\d{4}-)/i;

/**
 * `レポート [課] [期間]`: the words in any order; a period word that is not a valid period is
 * refused with the forms HR uses, so `レポート FY26` never quietly shows another half.
 */
const reportArgsSchema = z.string().transform((args, ctx) => {
  const words = args.split(' ').filter((w) => w !== '');
  const periodWords = words.filter((w) => LOOKS_LIKE_PERIOD.test(w));
  const period = periodWords.length === 1 ? periodIdSchema.safeParse(periodWords[0]) : undefined;
  if (periodWords.length > 1 || (period && !period.success)) {
    ctx.addIssue({ code: 'custom', message: periodWords.join(' ') });
    return z.NEVER;
  }
  return { period: period?.data?.id, scope: scopeRequestSchema.parse(words.filter((w) => !LOOKS_LIKE_PERIOD.test(w)).join(' ')) };
});

/**
 * HR's and a 課長's KPI summary in Teams: the current half unless a period is named; what scope each
 * may see is decideReportScope's rule (HR: the town or any unit; a 課長: their own unit).
 */
export function reportRoute(deps: ReportDeps): CommandRoute {
  async function handle(ctx: HandlerContext): Promise<void> {
    const parsed = reportArgsSchema.safeParse(ctx.args);
    if (!parsed.success) return void (await ctx.reply({ text: ctx.t('kpiReport.error.period', { typed: parsed.error.issues[0]?.message ?? ctx.args }) }));
    const directory = await deps.org.listPeople(ctx.tenantId);
    const units = [...new Set(directory.filter((p) => p.active && p.unit).map((p) => p.unit as string))].sort();
    const decision = decideReportScope(ctx.person, parsed.data.scope, units);
    if (!decision.allowed) return void (await ctx.reply({ text: scopeRefusalMessage(decision.refusal, ctx.t) }));
    const periodId = parsed.data.period ?? fiscalPeriodOf(tokyoDay(deps.clock.now())).id;
    const report = await deps.reader.periodReport(ctx.tenantId, periodId, decision.scope);
    await ctx.reply({ card: renderKpiSummaryCard(report, ctx.locale), summary: ctx.t('kpiReport.title') });
  }

  return {
    name: 'report',
    aliases: ['レポート', 'report', 'れぽーと', 'kpi'],
    descriptionKey: 'help.cmd.report',
    example: { ja: 'レポート', en: 'report' },
    handle,
  };
}
