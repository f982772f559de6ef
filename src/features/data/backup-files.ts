import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Which account a table lives in: the main storage, or HR's own (the KPI rollups) when it is separate. */
export type StoreName = 'main' | 'hr';

export interface ManifestTable {
  store: StoreName;
  table: string;
  /** Relative to the backup folder. */
  file: string;
  rows: number;
}

/** Written last: a folder with a manifest is a finished backup, and only such a folder is restored. */
export interface Manifest {
  format: 'hibi-backup/1';
  hibiVersion: string;
  /** The one tenant backed up; null = every row of every table. */
  tenantId: string | null;
  startedAt: string;
  finishedAt: string;
  tables: ManifestTable[];
}

export const MANIFEST = 'manifest.json';
export const BACKUP_PROGRESS = 'backup-progress.json';
export const RESTORE_PROGRESS = 'restore-progress.json';

export const tableKey = (t: { store: StoreName; table: string }): string => `${t.store}/${t.table}`;
export const fileOf = (t: { store: StoreName; table: string }): string => path.join(t.store, `${t.table}.ndjson`);

export async function readJson<T>(file: string): Promise<T | undefined> {
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Backups and exports are personal data: readable by the operator's account only. */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** Written beside and renamed over: a progress file is whole or the previous one, never half. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: PRIVATE_FILE });
  await rename(temporary, file);
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
