import type { FeatureLayers, FeatureModule } from '../feature-module';
import type { KpiReader } from './kpi.types';
import { reportRoute } from './report.handlers';

/**
 * レポート: the KPI card for HR and unit heads. The rollup itself (HR's tables, the nightly job) is
 * built by the composition root, which also serves the CLI.
 */
export function kpiReportModule(layers: FeatureLayers, deps: { reader: KpiReader }): FeatureModule {
  return {
    name: 'kpi-report',
    tables: [],
    commands: [reportRoute({ reader: deps.reader, org: layers.org, clock: layers.clock })],
    verbs: [],
    searches: [],
    jobs: [],
  };
}
