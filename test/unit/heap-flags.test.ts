import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The young generation's size after a burst of short-lived garbage, in a fresh node that first loads
 * src/runtime/heap-flags.ts (as src/main.ts does) or not; `execArgv` = what node was started with.
 */
function youngGenerationMiB(loadHeapFlags: boolean, execArgv: string[] = []): number {
  const script = [
    loadHeapFlags ? "require('./src/runtime/heap-flags.ts');" : '',
    'let kept = 0;',
    'for (let i = 0; i < 3e6; i++) kept += { i, s: String(i) }.s.length;',
    "const young = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');",
    'process.stdout.write(String(young.space_size / 2 ** 20));',
  ].join('\n');
  const run = spawnSync(process.execPath, [...execArgv, '--require', require.resolve('tsx/cjs'), '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout);
}

describe('heap flags set as hibi starts', () => {
  it("hold V8's young generation at its first size through a burst of garbage, where node's defaults grow it", () => {
    const grown = youngGenerationMiB(false);
    const held = youngGenerationMiB(true);
    expect(grown).toBeGreaterThan(4);
    // Two semi-spaces of V8's first size: 1 MB each on Node 20, 2 MB on Node 24's V8; node grows them to 8 MB each.
    expect(held).toBeLessThanOrEqual(4);
    expect(held).toBeLessThanOrEqual(grown / 4);
  });

  it('leave a size given on the command line alone', () => {
    expect(youngGenerationMiB(true, ['--semi-space-growth-factor=4'])).toBeGreaterThan(4);
  });
});
