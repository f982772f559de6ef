import type { FeatureLayers, FeatureModule } from '../feature-module';
import { assignRoute } from './assign.handlers';
import { ojtHandlers } from './ojt.handlers';
import { OJT_TABLES, OjtRepository } from './ojt.repository';
import { OjtSchedule } from './ojt.schedule';
import { ojtSummaryOf } from './ojt.summary';

export interface OjtFeature extends FeatureModule {
  /** A member's plan in short, for the 1on1 agenda. */
  summaryOf: ReturnType<typeof ojtSummaryOf>;
}

/** OJT: mentor assignment, the plan form and the monthly progress card. */
export function ojtModule(layers: FeatureLayers): OjtFeature {
  const { tables, org, notifier, localeOf, clock } = layers;
  const ojtDeps = { ojt: new OjtRepository(tables), org, notifier, localeOf, clock };
  const routes = ojtHandlers(ojtDeps);
  return {
    name: 'ojt',
    tables: Object.values(OJT_TABLES),
    commands: [routes.command, assignRoute(ojtDeps)],
    verbs: routes.verbs,
    searches: [],
    jobs: [new OjtSchedule(ojtDeps)],
    summaryOf: ojtSummaryOf(ojtDeps),
  };
}
