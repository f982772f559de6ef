import { runCli } from '../helpers/cli-process';

/**
 * A mistake on the org CLIs' command line is answered before any storage or Graph is touched: what was
 * wrong, then the usage, exit code 2 (as `npm run data` and `npm run kpi` answer theirs).
 */
describe('npm run org:install / org:sync: a mistake on the command line', () => {
  it('org:install names the flag and what was typed, then its usage', async () => {
    const run = await runCli('src/directory/org-install.cli.ts', ['--tenant', ''], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--tenant: .+\nusage: npm run org:install -- \[--tenant <tenant id>\] \[--all\] \[--apply\]\n$/);
    expect(run.stdout).toBe('');
  });

  it('org:install refuses a flag it does not know with its usage, not as a crash', async () => {
    const run = await runCli('src/directory/org-install.cli.ts', ['--everyone'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'--everyone'");
    expect(run.stderr).toMatch(/\nusage: npm run org:install -- .+\n$/);
  });

  it('org:sync refuses --mapping without a file, with its usage', async () => {
    const run = await runCli('src/directory/org-sync.cli.ts', ['--mapping'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--mapping');
    expect(run.stderr).toMatch(/\nusage: npm run org:sync -- \[--mapping <対応表\.csv>\] \[--tenant <tenant id>\] \[--apply\]\n$/);
    expect(run.stdout).toBe('');
  });
});
