import type { ReachabilityRepository } from '../../delivery/reachability.repository';
import type { FeatureLayers, FeatureModule } from '../feature-module';
import { notInstalledRoute } from './reach.handlers';

/** 未インストール: who hibi cannot reach yet, for HR and unit heads. */
export function reachModule(layers: FeatureLayers, deps: { reachability: ReachabilityRepository }): FeatureModule {
  const { org, references, clock } = layers;
  return {
    name: 'reach',
    tables: [],
    commands: [notInstalledRoute({ org, references, reachability: deps.reachability, clock })],
    verbs: [],
    searches: [],
    jobs: [],
  };
}
