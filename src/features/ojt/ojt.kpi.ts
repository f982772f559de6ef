import { tokyoDay } from '../../calendar/office-calendar';
import type { Clock } from '../../shared/clock';
import type { OjtTally, Period } from '../kpi/kpi.public';
import type { OjtRepository } from './ojt.repository';
import { inForceOn, isOnTrack } from './ojt.rules';

/**
 * The OJT facts the KPI layer groups: one tally per junior whose assignment was in force on the
 * period's last day, or today while the period runs; `planned` when their plan was made by then,
 * `onTrack` by `isOnTrack` on that day. Judged on a day still ahead, every junior would read behind
 * (no progress recorded within the month before it), so the current half read 0 until its last month.
 * Past periods read today's rows: an ended assignment keeps its `since`/`endedOn`, but a mentor changed
 * later, a step un-ticked later or a plan saved again later shows as it is now.
 */
export class OjtKpiSource {
  constructor(private readonly deps: { repository: OjtRepository; clock: Clock }) {}

  async ojt(tenantId: string, period: Period): Promise<OjtTally[]> {
    const today = tokyoDay(this.deps.clock.now());
    const asOf = period.to < today ? period.to : today;
    const snapshot = await this.deps.repository.snapshot(tenantId);
    return snapshot.assignments
      .filter((a) => inForceOn(a, asOf))
      .map((a) => {
        const plan = snapshot.plans.get(a.juniorId);
        const planned = plan !== undefined && plan.createdOn <= asOf;
        return { personId: a.juniorId, planned, onTrack: planned && isOnTrack(plan, snapshot.progress.get(a.juniorId) ?? [], asOf) };
      });
  }
}
