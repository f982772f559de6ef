import type { FeatureLayers, FeatureModule } from '../feature-module';
import type { KudosDeps } from './kudos.deps';
import { kudosHandlers } from './kudos.handlers';
import { KUDOS_TABLES, KudosRepository } from './kudos.repository';
import { KudosSchedule } from './kudos.schedule';
import { kudosSearchRoute } from './kudos.search';
import { plusHandlers } from './plus.handlers';

export interface KudosFeature extends FeatureModule {
  /** The kudos sent, for the KPI rollup. */
  kudos: KudosRepository;
}

/** ありがとう and プラス評価: sending, the recipient type-ahead and the monthly digest. */
export function kudosModule(layers: FeatureLayers, deps: Pick<KudosDeps, 'unitChannelOf' | 'dailyLimit'>): KudosFeature {
  const { tables, org, preferences, notifier, localeOf, orgLocale, clock } = layers;
  const kudosDeps: KudosDeps = {
    kudos: new KudosRepository(tables),
    org,
    preferences,
    notifier,
    localeOf,
    orgLocale,
    unitChannelOf: deps.unitChannelOf,
    clock,
    dailyLimit: deps.dailyLimit,
  };
  const routes = [kudosHandlers(kudosDeps), plusHandlers(kudosDeps)];
  return {
    name: 'kudos',
    tables: Object.values(KUDOS_TABLES),
    commands: routes.map((r) => r.command),
    verbs: routes.map((r) => r.verb),
    searches: [kudosSearchRoute(kudosDeps)],
    jobs: [new KudosSchedule(kudosDeps)],
    kudos: kudosDeps.kudos,
  };
}
