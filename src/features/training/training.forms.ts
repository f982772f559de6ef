import type { HandlerContext, OutgoingMessage } from '../../bot/handler-context';
import type { Person } from '../org/org.schema';

/** A card's answer replaces the card it came from; a typed command gets a new message. */
export async function answerInPlace(ctx: HandlerContext, message: OutgoingMessage): Promise<void> {
  if (ctx.sourceActivityId) await ctx.updateMessage(ctx.sourceActivityId, message);
  else await ctx.reply(message);
}

/** What the person typed or chose, as strings, so a refused card comes back as it was sent. */
export function typedValues(value: unknown, fields: readonly string[]): Record<string, string> {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(fields.map((f) => [f, typeof raw[f] === 'string' ? raw[f] : '']));
}

/** The 課 of the directory's active people, sorted: what a training can be for and a list can be asked of. */
export function activeUnits(directory: readonly Person[]): string[] {
  return [...new Set(directory.filter((p) => p.active && p.unit).map((p) => p.unit as string))].sort();
}
