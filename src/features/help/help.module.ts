import type { CommandRoute, HandlerContext } from '../../routing/handler-context';
import type { FeatureModule } from '../feature-module';
import { helpHandlers } from './help.handlers';

export interface HelpFeature extends FeatureModule {
  /** The router's fallback: anything hibi does not understand gets the help card. */
  unknown(ctx: HandlerContext): Promise<void>;
}

/** ヘルプ, listing every command the router has, in the order they were mounted. */
export function helpModule(listCommands: () => readonly CommandRoute[]): HelpFeature {
  const help = helpHandlers(listCommands);
  return { name: 'help', tables: [], commands: [help.route], verbs: [], searches: [], jobs: [], unknown: help.unknown };
}
