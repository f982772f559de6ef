import { tokyoDay } from '../../calendar/office-calendar';
import type { Clock } from '../../shared/clock';
import type { PaidLeaveTally, PolicyKpiSources } from '../kpi/kpi.policy';
import type { Period } from '../kpi/kpi.types';
import type { PaidLeaveRepository } from './paidleave.repository';
import { fiscalYearDays, fiscalYearOf, type PaidLeaveGrant } from './paidleave.schema';
import { takenDaysOf, tallyPaidLeave, type TakenDays } from './paidleave.tally';

/** Who was on leave on each day of a range: CheckinRepository.leavesBetween, the 休み command's records. */
export interface LeaveDaysReader {
  leavesBetween(tenantId: string, fromDay: string, toDay: string): Promise<Map<string, Set<string>>>;
}

export interface PaidLeaveSourceDeps {
  grants: PaidLeaveRepository;
  leaves: LeaveDaysReader;
  clock: Clock;
}

/** Days each person was on leave, from the by-day map the leave table gives. */
function leaveDaysByPerson(byDay: Map<string, Set<string>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [day, people] of byDay) {
    for (const personId of people) {
      const days = out.get(personId);
      if (days) days.push(day);
      else out.set(personId, [day]);
    }
  }
  return out;
}

/**
 * PolicyKpiSources.paidLeave: the people HR granted paid leave in the fiscal year of the period,
 * each with the days taken from the year's start to the period's last day (or today, if sooner).
 */
export class PaidLeaveKpiSource implements Pick<PolicyKpiSources, 'paidLeave'> {
  constructor(private readonly deps: PaidLeaveSourceDeps) {}

  async paidLeave(tenantId: string, period: Period): Promise<PaidLeaveTally[]> {
    const fiscalYear = fiscalYearOf(period.from);
    const grants = await this.deps.grants.listYear(tenantId, fiscalYear);
    if (grants.length === 0) return [];
    const through = this.lastCountedDay(period.to);
    const leaves = await this.leaveDays(tenantId, fiscalYear, through);
    return tallyPaidLeave(grants, (personId) => leaves.get(personId) ?? [], through);
  }

  /** One person's grant and days taken in today's fiscal year, for their own balance; no balance when HR granted none. */
  async balanceOf(tenantId: string, personId: string): Promise<{ fiscalYear: number; balance?: { grant: PaidLeaveGrant; taken: TakenDays } }> {
    const today = tokyoDay(this.deps.clock.now());
    const fiscalYear = fiscalYearOf(today);
    const grant = await this.deps.grants.get(tenantId, fiscalYear, personId);
    if (!grant) return { fiscalYear };
    const leaves = await this.leaveDays(tenantId, fiscalYear, today);
    return { fiscalYear, balance: { grant, taken: takenDaysOf(grant, leaves.get(personId) ?? [], today) } };
  }

  /** Leave registered for a day still to come is a plan, not leave taken. */
  private lastCountedDay(periodEnd: string): string {
    const today = tokyoDay(this.deps.clock.now());
    return periodEnd < today ? periodEnd : today;
  }

  private async leaveDays(tenantId: string, fiscalYear: number, through: string): Promise<Map<string, string[]>> {
    const { from } = fiscalYearDays(fiscalYear);
    if (through < from) return new Map();
    return leaveDaysByPerson(await this.deps.leaves.leavesBetween(tenantId, from, through));
  }
}
