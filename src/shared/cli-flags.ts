import { parseArgs } from 'node:util';
import type { z } from 'zod';

/** A mistake on the command line: shown as its message and the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Reads `--flag value` and `--switch` options strictly and checks them with zod; every problem is one
 * line naming the flag, with what was typed when the message does not already show it, e.g.
 * `--from: a day YYYY-MM-DD (got "2026-13-01")`.
 */
export function readFlags<T extends z.ZodType>(argv: readonly string[], flags: Readonly<Record<string, 'string' | 'boolean'>>, schema: T): z.infer<T> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.entries(flags).map(([name, type]) => [name, { type }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues
        .map((issue) => {
          const flag = String(issue.path[0] ?? '');
          const got = values[flag];
          return `${flag ? `--${flag}` : 'arguments'}: ${issue.message}${typeof got === 'string' && !issue.message.includes(got) ? ` (got "${got}")` : ''}`;
        })
        .join('\n'),
    );
  }
  return parsed.data;
}
