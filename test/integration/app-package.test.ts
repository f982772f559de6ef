import AdmZip from 'adm-zip';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testConnectionString } from '../helpers/test-app';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string }).main;
/** Builds, installs the production dependencies, zips and unzips: minutes on a shared two-core machine. */
const PACKAGING_TIMEOUT_MS = 600_000;

const PRODUCTION = {
  MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
  MicrosoftAppType: 'UserAssignedMSI',
  MicrosoftAppTenantId: '66666666-7777-4888-9999-000000000000',
  ALLOWED_TENANTS: '66666666-7777-4888-9999-000000000000',
};

function run(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

describe('`npm run package:app`: the App Service zip', () => {
  let dir: string;
  let appDir: string;
  let entries: string[];
  let entrySet: Set<string>;
  let packagingOutput: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hibi-app-package-test-'));
    const outFile = path.join(dir, 'app.zip');
    const packaging = await run(['--import', 'tsx', path.join(ROOT, 'scripts', 'package-app.ts'), '--out', outFile], { cwd: ROOT, env: process.env }).done;
    packagingOutput = packaging.stdout;
    if (packaging.code !== 0) throw new Error(`package-app exited ${packaging.code}: ${packaging.stderr}`);
    const zip = new AdmZip(outFile);
    entries = zip.getEntries().map((e) => e.entryName);
    entrySet = new Set(entries);
    // Outside the repository, so nothing resolves from its node_modules: only what the zip holds.
    // unzip where there is one: adm-zip takes a minute for the 50,000 files.
    appDir = path.join(dir, 'app');
    const unzip = spawnSync('unzip', ['-q', outFile, '-d', appDir], { encoding: 'utf8' });
    if (unzip.error) zip.extractAllTo(appDir, true, true);
    else if (unzip.status !== 0) throw new Error(`unzip exited ${unzip.status}: ${unzip.stderr}`);
  }, PACKAGING_TIMEOUT_MS);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const has = (prefix: string): boolean => entries.some((name) => name === prefix || name.startsWith(`${prefix}/`));
  /** Every installed package has its package.json; one lookup instead of a scan of 50,000 names. */
  const installed = (key: string): boolean => entrySet.has(`${key}/package.json`);

  it('holds the built server that package.json "main" names, with its cards, and production dependencies', () => {
    expect(MAIN).toBe('dist/src/main.js');
    expect(packagingOutput).toContain(`start it with: node ${MAIN}`);
    for (const file of [
      MAIN,
      'package.json',
      'package-lock.json',
      'dist/cards/help/help.card.json',
      'node_modules/botbuilder/package.json',
      'node_modules/@azure/identity/package.json',
      'node_modules/restify/package.json',
    ]) {
      expect(entries).toContain(file);
    }
    expect(entries.filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.startsWith('node_modules/'))).toEqual([]);
    expect(has('src') || has('test') || has('cards') || has('manifest')).toBe(false);
  });

  it('ships neither Azurite nor any package only the development side needs', () => {
    for (const dev of [
      'azurite',
      'jest',
      'typescript',
      'tsx',
      'ts-jest',
      'eslint',
      'playwright-core',
      '@microsoft/m365agentsplayground',
      'node_modules/.bin',
    ]) {
      expect([dev, has(dev.startsWith('node_modules/') ? dev : `node_modules/${dev}`)]).toEqual([dev, false]);
    }
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages)
      .filter(([key, entry]) => key !== '' && entry.dev === true)
      .map(([key]) => key);
    expect(devOnly).toContain('node_modules/azurite');
    expect(devOnly.filter(installed)).toEqual([]);
    expect(installed('node_modules/botbuilder')).toBe(true);
  });

  it('refuses to start in production without storage, naming STORAGE_ACCOUNT_URL, before listening', async () => {
    const server = run([MAIN], { cwd: appDir, env: { PATH: process.env.PATH ?? '', ...PRODUCTION } });
    children.push(server.child);
    const { code, stdout, stderr } = await server.done;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain('STORAGE_ACCOUNT_URL');
    expect(stdout).not.toContain('hibi listening');
  });

  it('says what to set, not a missing module, when started without storage outside production', async () => {
    const server = run([MAIN], { cwd: appDir, env: { PATH: process.env.PATH ?? '', DATA_DIR: path.join(appDir, '.data') } });
    children.push(server.child);
    const { code, stdout, stderr } = await server.done;
    expect(code).toBe(1);
    expect(stderr).toContain('Azurite (development only) is not installed: set STORAGE_ACCOUNT_URL or STORAGE_CONNECTION_STRING');
    expect(stdout).not.toContain('hibi listening');
  });

  it('starts on a configured storage, answers GET /healthz 200, and exits 0 on SIGTERM', async () => {
    const server = run([MAIN], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH ?? '',
        ...PRODUCTION,
        STORAGE_CONNECTION_STRING: testConnectionString(),
        SCHEDULER_ENABLED: 'false',
        PORT: '0',
        LOG_LEVEL: 'info',
      },
    });
    children.push(server.child);
    const port = await new Promise<number>((resolve, reject) => {
      let partial = '';
      server.child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const entry = (line.startsWith('{') ? JSON.parse(line) : {}) as { msg?: string; port?: number; production?: boolean };
          if (entry.msg === 'hibi listening on /api/messages' && entry.production === true) resolve(Number(entry.port));
        }
      });
      void server.done.then(({ code, stderr }) => reject(new Error(`the packaged server exited (${code}) before listening: ${stderr}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', storage: 'reachable' });
    server.child.kill('SIGTERM');
    expect(await server.done).toMatchObject({ code: 0, signal: null });
  });
});
