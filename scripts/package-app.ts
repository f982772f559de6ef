/**
 * `npm run package:app`: the zip to deploy to App Service, dist/app.zip. It holds the compiled server
 * (dist/, with the card templates tsc copies next to it), package.json, package-lock.json and the
 * production dependencies installed by `npm ci --omit=dev`: Azurite, jest, TypeScript and every other
 * package only the lockfile's dev side needs stay out. Start command on App Service: `node <main>`
 * (package.json "main", dist/src/main.js). `--out <file>` writes the zip elsewhere.
 *
 * It builds into a fresh folder rather than the working dist/, so nothing stale from an older build
 * (a deleted module, an old card) can ship.
 */
import AdmZip from 'adm-zip';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_OUT = path.join(ROOT, 'dist', 'app.zip');
/** The folders npm fills with links to installed commands; the server never runs them. */
const BIN_DIR = /(^|\/)node_modules\/\.bin$/;

export class PackageAppError extends Error {}

interface PackageJson {
  main?: string;
}
interface PackageLock {
  packages: Record<string, { dev?: boolean }>;
}

function run(command: string, args: string[], cwd: string): void {
  process.stdout.write(`> ${command} ${args.join(' ')}\n`);
  // stdout to our stderr: a caller reading stdout sees only the summary line.
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new PackageAppError(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** Every file under `dir`, as zip entry names (forward slashes), without node_modules/.bin. */
function filesUnder(dir: string, prefix = ''): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!BIN_DIR.test(name)) names.push(...filesUnder(dir, name));
    } else if (entry.isFile()) {
      names.push(name);
    } else {
      // npm ci only links commands into .bin (skipped above); anything else would be lost or dangling in a zip.
      throw new PackageAppError(`${name} is neither a file nor a folder (${lstatSync(path.join(dir, name)).isSymbolicLink() ? 'a link' : 'special'})`);
    }
  }
  return names;
}

export interface PackagedApp {
  outFile: string;
  main: string;
  files: number;
  bytes: number;
}

export function packageApp(outFile: string = DEFAULT_OUT): PackagedApp {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  const main = pkg.main;
  if (!main || !main.startsWith('dist/'))
    throw new PackageAppError(`package.json "main" should name the built server under dist/ (got ${JSON.stringify(main)})`);

  const staging = mkdtempSync(path.join(os.tmpdir(), 'hibi-app-'));
  try {
    run('npm', ['run', 'build', '--', '--outDir', path.join(staging, 'dist')], ROOT);
    if (!existsSync(path.join(staging, main))) throw new PackageAppError(`npm run build wrote no ${main}, which package.json "main" names`);
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(ROOT, file), path.join(staging, file));
    run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], staging);

    // A package the lockfile marks dev is one no production dependency needs; none may ship.
    const lock = JSON.parse(readFileSync(path.join(staging, 'package-lock.json'), 'utf8')) as PackageLock;
    const devOnly = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && entry.dev === true && existsSync(path.join(staging, key)));
    if (devOnly.length > 0) throw new PackageAppError(`npm ci --omit=dev left dev-only packages: ${devOnly.map(([key]) => key).join(', ')}`);

    const zip = new AdmZip();
    const files = filesUnder(staging);
    for (const name of files) {
      const file = path.join(staging, name);
      // Modes kept so that unzip on Linux restores them as they were installed.
      zip.addFile(name, readFileSync(file), '', statSync(file).mode);
    }
    mkdirSync(path.dirname(outFile), { recursive: true });
    zip.writeZip(outFile);
    return { outFile, main, files: files.length, bytes: statSync(outFile).size };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const outIndex = process.argv.indexOf('--out');
  const outArg = outIndex === -1 ? undefined : process.argv[outIndex + 1];
  try {
    if (outIndex !== -1 && !outArg) throw new PackageAppError('--out needs a file name');
    const packaged = packageApp(outArg ? path.resolve(outArg) : DEFAULT_OUT);
    const mb = (packaged.bytes / 1024 / 1024).toFixed(1);
    process.stdout.write(`wrote ${packaged.outFile} (${packaged.files} files, ${mb} MB); start it with: node ${packaged.main}\n`);
  } catch (error) {
    if (!(error instanceof PackageAppError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
