import type { CommandRoute, SearchRoute, VerbRoute } from '../routing/handler-context';
import type { ConversationReferencesRepository } from '../delivery/conversation-references.repository';
import type { Notifier } from '../delivery/notifier';
import type { DailyJobSource } from '../scheduler/daily-job';
import type { Clock } from '../shared/clock';
import type { TableClientFactory } from '../storage/table-client-factory';
import type { OrgRepository } from '../directory/org.repository';
import type { orgLocaleResolver, PeopleLocales, PersonLocale } from '../preferences/locale-resolver';
import type { PreferencesRepository } from '../preferences/preferences.repository';

/**
 * What one feature adds to hibi, built by its `<feature>.module.ts` from the layers the composition
 * root made once: app.ts mounts a list of these instead of wiring each feature by hand.
 */
export interface FeatureModule {
  name: string;
  /** The main-account tables the feature owns; every one must be in APP_TABLES, which the app and the CLIs create. */
  tables: readonly string[];
  /** In the order the help card lists them. */
  commands: CommandRoute[];
  verbs: VerbRoute[];
  searches: SearchRoute[];
  jobs: DailyJobSource[];
}

/** The shared layers every feature module is built from, each made once by the composition root. */
export interface FeatureLayers {
  tables: TableClientFactory;
  org: OrgRepository;
  preferences: PreferencesRepository;
  references: ConversationReferencesRepository;
  notifier: Notifier;
  localeOf: PersonLocale;
  localesOf: PeopleLocales;
  orgLocale: ReturnType<typeof orgLocaleResolver>;
  clock: Clock;
}

/** The part of the router a feature list is mounted on. */
export interface RouteRegistry {
  command(route: CommandRoute): unknown;
  verb(route: VerbRoute): unknown;
  search(route: SearchRoute): unknown;
}

/**
 * Registers every feature's routes in list order (the help card lists commands in that order) and
 * returns their scheduled jobs in the same order. A table no one creates fails here, at start, not
 * on a person's first write.
 */
export function mountFeatures(router: RouteRegistry, modules: readonly FeatureModule[], createdTables: readonly string[]): DailyJobSource[] {
  const created = new Set(createdTables);
  for (const feature of modules) {
    const missing = feature.tables.filter((table) => !created.has(table));
    if (missing.length > 0) throw new Error(`feature ${feature.name} uses tables the app does not create: ${missing.join(', ')}`);
    for (const route of feature.commands) router.command(route);
    for (const route of feature.verbs) router.verb(route);
    for (const route of feature.searches) router.search(route);
  }
  return modules.flatMap((feature) => feature.jobs);
}
