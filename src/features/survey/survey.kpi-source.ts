import { tokyoDay } from '../../calendar/office-calendar';
import type { Clock } from '../../shared/clock';
import type { SurveyComparison, SurveyKpiSource, Period } from '../kpi/kpi.public';
import { baselineSummary } from './survey.baseline';
import type { SurveyRepository } from './survey.repository';
import { closedOf, resultsOf } from './survey.service';

/**
 * The survey figures for a KPI period: the latest survey closed within it, the survey closed before
 * that one (none when the period has no survey), and the R7 baseline. Computed from the tallies,
 * already suppressed; the KPI layer stores and shows them as they are.
 */
export class SurveyKpi implements SurveyKpiSource {
  constructor(private readonly deps: { surveys: SurveyRepository; clock: Clock }) {}

  async comparison(tenantId: string, period: Period): Promise<SurveyComparison> {
    const closed = closedOf(await this.deps.surveys.list(tenantId), tokyoDay(this.deps.clock.now()));
    const within = closed.map((s, i) => ({ s, i })).filter(({ s }) => s.closeOn >= period.from && s.closeOn <= period.to);
    const index = within.at(-1)?.i ?? -1;
    const current = closed[index];
    const before = index > 0 ? closed[index - 1] : undefined;
    return {
      current: current && (await resultsOf(this.deps.surveys, current)),
      previous: before && (await resultsOf(this.deps.surveys, before)),
      baseline: baselineSummary(),
    };
  }
}
