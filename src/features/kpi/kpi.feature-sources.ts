import type { Clock } from '../../shared/clock';
import type { TableClientFactory } from '../../storage/table-client-factory';
import type { CheckinRepository } from '../checkin/checkin.public';
import { OjtRepository, OjtKpiSource } from '../ojt/ojt.public';
import type { OrgRepository } from '../../directory/org.repository';
import { PaidLeaveRepository, PaidLeaveKpiSource } from '../paidleave/paidleave.public';
import { SurveyKpi, SurveyRepository } from '../survey/survey.public';
import { TrainingKpiSource, TrainingRepository } from '../training/training.public';
import type { PolicyKpiSources, SurveyKpiSource } from './kpi.policy';
import { policySourcesOf } from './kpi.wiring';

export interface FeatureKpiSources {
  policy: PolicyKpiSources;
  survey: SurveyKpiSource;
  paidLeave: PaidLeaveKpiSource;
}

/**
 * The paid-leave, training, OJT and survey features' sources, built the same way for the app and
 * the KPI CLI, so a backfill or a report from the command line matches the nightly job's.
 */
export function featureKpiSources(deps: { tables: TableClientFactory; org: OrgRepository; checkins: CheckinRepository; clock: Clock }): FeatureKpiSources {
  const { tables, org, checkins, clock } = deps;
  const paidLeave = new PaidLeaveKpiSource({ grants: new PaidLeaveRepository(tables), leaves: checkins, clock });
  const training = new TrainingKpiSource({ trainings: new TrainingRepository(tables), org, clock });
  const ojt = new OjtKpiSource({ repository: new OjtRepository(tables), clock });
  return {
    policy: policySourcesOf({ paidLeave, training, ojt }),
    survey: new SurveyKpi({ surveys: new SurveyRepository(tables), clock }),
    paidLeave,
  };
}
