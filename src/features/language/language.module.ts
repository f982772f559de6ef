import type { FeatureLayers, FeatureModule } from '../feature-module';
import { languageRoute } from './language.handlers';

/** 言語: the person's own choice of Japanese or English. */
export function languageModule(layers: FeatureLayers): FeatureModule {
  return { name: 'language', tables: [], commands: [languageRoute(layers.preferences)], verbs: [], searches: [], jobs: [] };
}
