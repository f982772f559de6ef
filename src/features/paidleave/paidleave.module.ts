import type { FeatureModule } from '../feature-module';
import { paidLeaveRoute } from './paidleave.handlers';
import { PAIDLEAVE_TABLE } from './paidleave.repository';
import type { PaidLeaveKpiSource } from './paidleave.source';

/** 有給: a person's own paid-leave balance, from HR's import and their 休み records. */
export function paidleaveModule(deps: { source: PaidLeaveKpiSource }): FeatureModule {
  return { name: 'paidleave', tables: [PAIDLEAVE_TABLE], commands: [paidLeaveRoute({ source: deps.source })], verbs: [], searches: [], jobs: [] };
}
