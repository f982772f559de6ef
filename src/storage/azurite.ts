import { ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import path from 'node:path';

const STOP_TIMEOUT_MS = 15_000;

/** Azurite's published development account; not a secret. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number, host = '127.0.0.1', protocol: 'http' | 'https' = 'http'): string {
  return `DefaultEndpointsProtocol=${protocol};AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=${azuriteTableUrl(port, host, protocol)};`;
}

/** The Table endpoint of Azurite's development account, as STORAGE_ACCOUNT_URL takes it. */
export function azuriteTableUrl(port: number, host = '127.0.0.1', protocol: 'http' | 'https' = 'http'): string {
  return `${protocol}://${host}:${port}/${DEV_ACCOUNT}`;
}

export interface AzuriteOptions {
  port: number;
  /** Folder for the data files; omitted = in memory (tests). */
  location?: string;
  host?: string;
  /**
   * Serve HTTPS with this certificate and key (PEM files) and take Entra ID bearer tokens (Azurite's
   * `--oauth basic`: audience, issuer and lifetime checked, signature not), as a real account does.
   */
  oauth?: { certFile: string; keyFile: string };
}

export interface RunningAzurite {
  connectionString: string;
  tableUrl: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = createConnection({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`Azurite did not open ${host}:${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Starts Azurite's Table service from the project's own dependency, as a child process. */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const bin = path.join(path.dirname(azuritePackageJson()), 'dist', 'src', 'table', 'main.js');
  const args = [
    bin,
    '--tableHost',
    host,
    '--tablePort',
    String(options.port),
    '--skipApiVersionCheck',
    '--disableProductStyleUrl',
    '--disableTelemetry',
    '--silent',
  ];
  if (options.oauth) args.push('--cert', options.oauth.certFile, '--key', options.oauth.keyFile, '--oauth', 'basic');
  if (options.location) args.push('--location', options.location);
  else args.push('--inMemoryPersistence');
  // Azurite closes (saving its database) on its first SIGINT and a second one would kill it mid-save. In a
  // terminal it gets two: Ctrl+C reaches the whole process group, then stop() sends its own. Listening for
  // SIGINT keeps the later ones harmless; the first still closes it.
  const keepSaving = ['--import', 'data:text/javascript,process.on("SIGINT",()=>{})'];
  const child: ChildProcess = spawn(process.execPath, [...keepSaving, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) => reject(new Error(`Azurite exited (${code}): ${stderr.trim()}`)));
  });
  await Promise.race([waitForPort(host, options.port, 20000), exited]);
  exited.catch(() => undefined);
  return {
    connectionString: azuriteConnectionString(options.port, host, options.oauth ? 'https' : 'http'),
    tableUrl: azuriteTableUrl(options.port, host, options.oauth ? 'https' : 'http'),
    port: options.port,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        // Killed by a signal, a child has signalCode set and exitCode null: both mean it is gone.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // Azurite saves its database only on SIGINT; SIGTERM ends it at once and drops the last
        // ~1.5 s of acknowledged writes. KILL only if it has not closed in time.
        const hung = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        child.once('exit', () => {
          clearTimeout(hung);
          resolve();
        });
        child.kill('SIGINT');
      }),
  };
}

/** Azurite is a development dependency: a production install (npm ci --omit=dev) has none. */
function azuritePackageJson(): string {
  try {
    return require.resolve('azurite/package.json');
  } catch {
    throw new Error(
      'no storage configured and Azurite (development only) is not installed: set STORAGE_ACCOUNT_URL or STORAGE_CONNECTION_STRING, or npm install for development',
    );
  }
}
