import { normaliseText } from '../shared/text';
import type { CommandRoute, HandlerContext, SearchRoute, VerbRoute } from './handler-context';

export interface ParsedCommand {
  route: CommandRoute;
  args: string;
}

export type UnknownHandler = (ctx: HandlerContext) => Promise<void>;

/** Maps command words and card verbs to handlers; anything else goes to the fallback (help). */
export class Router {
  private readonly commands = new Map<string, CommandRoute>();
  private readonly verbs = new Map<string, VerbRoute>();
  private readonly ordered: CommandRoute[] = [];
  private readonly searches = new Map<string, SearchRoute>();

  constructor(private readonly fallback: UnknownHandler) {}

  command(route: CommandRoute): this {
    for (const alias of route.aliases) {
      const key = normaliseText(alias).toLowerCase();
      if (this.commands.has(key)) throw new Error(`command alias registered twice: ${alias}`);
      this.commands.set(key, route);
    }
    this.ordered.push(route);
    return this;
  }

  verb(route: VerbRoute): this {
    if (this.verbs.has(route.verb)) throw new Error(`card verb registered twice: ${route.verb}`);
    this.verbs.set(route.verb, route);
    return this;
  }

  search(route: SearchRoute): this {
    if (this.searches.has(route.dataset)) throw new Error(`search dataset registered twice: ${route.dataset}`);
    this.searches.set(route.dataset, route);
    return this;
  }

  /** The type-ahead that answers a card's Data.Query dataset, if any feature registered it. */
  searchFor(dataset: string): SearchRoute | undefined {
    return this.searches.get(dataset);
  }

  /** The commands in registration order, for the help card. */
  listCommands(): readonly CommandRoute[] {
    return this.ordered;
  }

  /** The command a message starts with; a two-word alias ("near miss") is tried before its first word. */
  parse(text: string): ParsedCommand | undefined {
    const words = normaliseText(text).split(' ');
    for (const length of [2, 1]) {
      const route = this.commands.get(words.slice(0, length).join(' ').toLowerCase());
      if (route && words.length >= length) return { route, args: words.slice(length).join(' ') };
    }
    return undefined;
  }

  /**
   * Asked before the turn is logged or anything is stored: see VerbRoute.concealsSender. A submit is
   * read by its verb; a typed message (no value) by its command, as dispatch would route it.
   */
  concealsSender(value: unknown, text: string): boolean {
    if (value === undefined) return this.parse(text)?.route.concealsSender ?? false;
    const verb = readVerb(value);
    const route = verb === undefined ? undefined : this.verbs.get(verb);
    return route?.concealsSender?.(value) ?? false;
  }

  /** Whether this turn may be answered outside the person's own chat: see CommandRoute.sharedChats. */
  allowsSharedChat(value: unknown, text: string): boolean {
    if (value === undefined) return this.parse(text)?.route.sharedChats ?? false;
    const verb = readVerb(value);
    return (verb === undefined ? undefined : this.verbs.get(verb))?.sharedChats ?? false;
  }

  async dispatch(ctx: HandlerContext): Promise<void> {
    const verb = readVerb(ctx.value);
    if (verb !== undefined) {
      const route = this.verbs.get(verb);
      if (route) return route.handle(ctx);
      return this.fallback(ctx);
    }
    const parsed = this.parse(ctx.text);
    if (!parsed) return this.fallback(ctx);
    return parsed.route.handle({ ...ctx, args: parsed.args });
  }
}

export function readVerb(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const verb = (value as { verb?: unknown }).verb;
  return typeof verb === 'string' ? verb : undefined;
}
