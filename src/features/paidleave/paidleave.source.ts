import { tokyoDay } from '../../calendar/office-calendar';
import type { Clock } from '../../shared/clock';
import type { PaidLeaveTally, PolicyKpiSources, Period } from '../kpi/kpi.public';
import type { PaidLeaveRepository } from './paidleave.repository';
import { fiscalYearDays, fiscalYearOf, type PaidLeaveGrant } from './paidleave.schema';
import { takenDaysOf, tallyPaidLeave, type LeaveTaken, type TakenDays } from './paidleave.tally';

/** Every 休み of a range with its half: CheckinRepository.leaveEntriesBetween, the 休み command's records. */
export interface LeaveDaysReader {
  leaveEntriesBetween(tenantId: string, fromDay: string, toDay: string): Promise<(LeaveTaken & { personId: string })[]>;
}

export interface PaidLeaveSourceDeps {
  grants: PaidLeaveRepository;
  leaves: LeaveDaysReader;
  clock: Clock;
}

/** Each person's 休み, whole and half days. */
function leavesByPerson(entries: readonly (LeaveTaken & { personId: string })[]): Map<string, LeaveTaken[]> {
  const out = new Map<string, LeaveTaken[]>();
  for (const { personId, day, half } of entries) {
    const leaves = out.get(personId);
    if (leaves) leaves.push({ day, half });
    else out.set(personId, [{ day, half }]);
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

  private async leaveDays(tenantId: string, fiscalYear: number, through: string): Promise<Map<string, LeaveTaken[]>> {
    const { from } = fiscalYearDays(fiscalYear);
    if (through < from) return new Map();
    return leavesByPerson(await this.deps.leaves.leaveEntriesBetween(tenantId, from, through));
  }
}
