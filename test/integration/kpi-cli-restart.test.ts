import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TransactionAction } from '@azure/data-tables';
import { submitInBatches } from '../../src/storage/batch';
import { startAzurite } from '../../src/storage/azurite';
import { TableClientFactory } from '../../src/storage/table-client-factory';
import { freePort } from '../helpers/free-port';
import { testConnectionString } from '../helpers/test-app';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'src', 'features', 'kpi', 'kpi.cli.ts');

/** `npm run kpi -- ...` in its own process, as HR types it; resolves whatever the exit code. */
async function npmRunKpi(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const HALF = ['--from', '2026-04-01', '--to', '2026-09-30'];

describe('npm run kpi: a backfilled half is there for the export', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'hibi-kpi-half-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('backfill then export, each in its own process, on the same storage', async () => {
    const env = { STORAGE_CONNECTION_STRING: testConnectionString() };
    const tenant = randomUUID();
    const out = path.join(outDir, 'kpi.csv');
    const backfill = await npmRunKpi(['backfill', ...HALF, '--tenant', tenant], env);
    expect(backfill).toMatchObject({ code: 0, stdout: expect.stringContaining('2026-04-01 〜 2026-09-30 を集計しました') });
    const exported = await npmRunKpi(['export', '--period', 'FY2026H1', '--out', out, '--tenant', tenant], env);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toContain('行を書き出しました（FY2026H1');
  }, 60_000);

  /**
   * HR backfills while `npm start` runs (the CLI writes into its Azurite), stops it with Ctrl+C and
   * exports. Ctrl+C reaches the terminal's whole process group: Azurite starts saving its database
   * on it, and hibi's own stop then sends Azurite a second SIGINT, which must not kill it mid-save:
   * that dropped the last seconds of writes, the half the backfill had just reported.
   */
  describe('after Ctrl+C on the running hibi', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hibi-kpi-ctrlc-'));
    let hibi: ChildProcess | undefined;
    afterAll(() => {
      if (hibi?.pid && hibi.exitCode === null && hibi.signalCode === null) process.kill(-hibi.pid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('the export still finds the half', async () => {
      const env = { DATA_DIR: dataDir, AZURITE_TABLE_PORT: String(await freePort()) };
      // A database bigger than the demo town's half-year (9 MB), so saving it takes a moment: 30 MB.
      const seed = await startAzurite({ port: Number(env.AZURITE_TABLE_PORT), location: path.join(dataDir, 'azurite') });
      const filler = new TableClientFactory(seed.connectionString).table('filler');
      await filler.createTable();
      const actions: TransactionAction[] = [];
      for (let i = 0; i < 1_000; i++) actions.push(['upsert', { partitionKey: `p${Math.floor(i / 100)}`, rowKey: String(i), text: 'x'.repeat(30_000) }]);
      await submitInBatches(filler, actions);
      await seed.stop();

      // hibi in a process group of its own, as a terminal runs `npm start`: the group is what Ctrl+C signals.
      // An idle outbox worker (nothing to send) lets hibi stop at once, so its SIGINT follows the terminal's closely.
      hibi = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env, PORT: String(await freePort()), LOG_LEVEL: 'info', SCHEDULER_ENABLED: 'false', OUTBOX_POLL_MS: '60000' },
        stdio: ['ignore', 'pipe', 'ignore'],
        detached: true,
      });
      const exited = new Promise<void>((resolve) => hibi?.once('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        hibi?.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('hibi listening') && resolve());
        void exited.then(() => reject(new Error('hibi exited before listening')));
      });

      // Ctrl+C as soon as the backfill says it is done, as a person would, well inside Azurite's 5 s autosave.
      const tenant = randomUUID();
      const backfill = spawn(process.execPath, ['--import', 'tsx', CLI, 'backfill', '--from', '2026-09-01', '--to', '2026-09-30', '--tenant', tenant], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const backfilled = new Promise<number | null>((resolve) => backfill.once('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        backfill.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('を集計しました') && resolve());
        void backfilled.then((code) => reject(new Error(`backfill exited (${code}) without finishing`)));
      });
      process.kill(-(hibi.pid as number), 'SIGINT');
      await exited;
      expect(await backfilled).toBe(0);

      const exported = await npmRunKpi(['export', '--period', 'FY2026H1', '--out', path.join(dataDir, 'kpi.csv'), '--tenant', tenant], env);
      expect(exported.stderr).not.toContain('まだ集計されていません');
      expect(exported.code).toBe(0);
    }, 120_000);
  });
});
