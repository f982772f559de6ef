import { tokyoDay } from '../../calendar/office-calendar';
import type { Clock } from '../../shared/clock';
import type { PolicyKpiSources, TrainingTally, Period } from '../kpi/kpi.public';
import type { OrgRepository } from '../../directory/org.repository';
import type { TrainingRepository } from './training.repository';
import { countedTrainings, indexAttendance, tallies } from './training.service';

/**
 * 研修受講率's facts for the KPI layer: per active staff member (executives are not staff) with a
 * required training that started in the period and is over, how many they had and attended (HR's
 * record, else their own answer). Who a training was for is read from today's directory.
 */
export class TrainingKpiSource implements Pick<PolicyKpiSources, 'training'> {
  constructor(private readonly deps: { trainings: TrainingRepository; org: Pick<OrgRepository, 'listPeople'>; clock: Clock }) {}

  async training(tenantId: string, period: Period): Promise<TrainingTally[]> {
    const counted = countedTrainings(await this.deps.trainings.list(tenantId), period.from, period.to, tokyoDay(this.deps.clock.now()));
    if (counted.length === 0) return [];
    const [people, attendance] = await Promise.all([this.deps.org.listPeople(tenantId), this.deps.trainings.listAttendance(tenantId)]);
    return tallies(counted, people, indexAttendance(attendance));
  }
}
