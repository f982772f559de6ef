import { readFileSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '../../src/config';

const documented = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8')
  .split('\n')
  .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);

describe('.env.example', () => {
  it('lists every variable the app reads, once, and nothing else', () => {
    expect([...documented].sort()).toEqual(Object.keys(envSchema.shape).sort());
    expect(new Set(documented).size).toBe(documented.length);
  });
});
