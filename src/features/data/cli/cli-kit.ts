import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../../../config';
import { openStorage } from '../../../storage/open-storage';
import type { StorageTarget } from '../../../storage/storage-target';
import { TableClientFactory } from '../../../storage/table-client-factory';

export { readFlags, UsageError } from '../../../shared/cli-flags';

/** Where a subcommand writes: stdout for what the operator reads, stderr for problems (tests pass their own). */
export interface CliIo {
  out: { write(text: string): unknown; isTTY?: boolean };
  err: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** A `npm run data -- <name> ...` subcommand; resolves to the exit code. */
export interface DataCommand {
  name: string;
  usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

export interface DataStorage {
  config: AppConfig;
  main: TableClientFactory;
  /** HR's own account when it is one (not the main one under another variable); undefined = the KPI tables are in main. */
  hr: TableClientFactory | undefined;
  /** DEV_TENANT_ID unless --tenant. */
  tenantId: string;
  /** DEV_NOW in development, else the real time. */
  now(): Date;
  close(): Promise<void>;
}

const sameTarget = (a: StorageTarget, b: StorageTarget): boolean =>
  'connectionString' in a ? 'connectionString' in b && a.connectionString === b.connectionString : 'url' in b && a.url === b.url;

/** The storage the app uses, opened as the other CLIs open it (development reuses or starts `npm start`'s Azurite). */
export async function openDataStorage(env: NodeJS.ProcessEnv, tenant: string | undefined): Promise<DataStorage> {
  const config = loadConfig(env);
  const storage = await openStorage(config, { reuseRunning: true });
  const hr = storage.hr && !sameTarget(storage.hr, storage.main) ? new TableClientFactory(storage.hr) : undefined;
  const devNow = config.env.DEV_NOW;
  return {
    config,
    main: new TableClientFactory(storage.main),
    hr,
    tenantId: tenant ?? config.env.DEV_TENANT_ID,
    now: () => (devNow ? new Date(devNow) : new Date()),
    close: storage.close,
  };
}

/** package.json's version, for the export's and the backup's header: found upwards from here (src/ under tsx, dist/ when built). */
export function hibiVersion(env: NodeJS.ProcessEnv): string {
  let dir = __dirname;
  for (let depth = 0; depth < 8; depth++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hibi' && pkg.version) return pkg.version;
    }
    dir = path.dirname(dir);
  }
  return env.npm_package_version ?? 'unknown';
}
