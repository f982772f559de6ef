import type { FeatureLayers, FeatureModule } from '../feature-module';
import { nearmissHandlers } from './nearmiss.handlers';
import { NEARMISS_TABLES, NearMissRepository } from './nearmiss.repository';
import { NearMissSchedule, type NearMissScheduleDeps } from './nearmiss.schedule';

export interface NearMissFeature extends FeatureModule {
  /** The reports, for the KPI rollup. */
  reports: NearMissRepository;
}

/** ヒヤリハット: reports (named or anonymous), their list and the monthly digest. */
export function nearmissModule(layers: FeatureLayers, deps: Pick<NearMissScheduleDeps, 'unitChannelOf'>): NearMissFeature {
  const { tables, org, notifier, localeOf, orgLocale, clock } = layers;
  const nearmissDeps = { reports: new NearMissRepository(tables), org, notifier, localeOf, clock };
  const routes = nearmissHandlers(nearmissDeps);
  return {
    name: 'nearmiss',
    tables: Object.values(NEARMISS_TABLES),
    commands: routes.commands,
    verbs: routes.verbs,
    searches: [],
    jobs: [new NearMissSchedule({ ...nearmissDeps, orgLocale, unitChannelOf: deps.unitChannelOf })],
    reports: nearmissDeps.reports,
  };
}
