import { z } from 'zod';
import { readFlags, UsageError } from '../../src/shared/cli-flags';

const schema = z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day YYYY-MM-DD'), yes: z.boolean().optional() });
const flags = { from: 'string', yes: 'boolean' } as const;

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('no usage error');
}

describe('readFlags', () => {
  it('reads string and boolean flags into the schema’s data', () => {
    expect(readFlags(['--from', '2026-04-01', '--yes'], flags, schema)).toEqual({ from: '2026-04-01', yes: true });
  });

  it('names the flag and what was typed when the value is wrong', () => {
    expect(usageMessage(() => readFlags(['--from', '2026-4-1'], flags, schema))).toBe('--from: a day YYYY-MM-DD (got "2026-4-1")');
  });

  it('refuses flags it does not know and positional words as usage errors', () => {
    expect(usageMessage(() => readFlags(['--form', 'x'], flags, schema))).toContain("'--form'");
    expect(usageMessage(() => readFlags(['2026-04-01'], flags, schema))).toContain('positional');
  });

  it('calls a problem of the whole set "arguments"', () => {
    const both = schema.refine((v) => v.yes, { error: 'add --yes' });
    expect(usageMessage(() => readFlags(['--from', '2026-04-01'], flags, both))).toBe('arguments: add --yes');
  });
});
