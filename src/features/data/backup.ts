import { mkdir, open, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { TableClientFactory } from '../../storage/table-client-factory';
import {
  BACKUP_PROGRESS,
  fileOf,
  MANIFEST,
  PRIVATE_DIR,
  PRIVATE_FILE,
  readJson,
  removeFile,
  tableKey,
  writeJson,
  type Manifest,
  type StoreName,
} from './backup-files';
import { rawPages } from './raw-entities';
import { PAGE_SIZE, tenantRows } from './table-scan';

export interface Store {
  name: StoreName;
  tables: TableClientFactory;
}

/**
 * How far a backup got. A table is `done` with its row count; the one under way keeps the
 * continuation token of its next page and how many rows and bytes of its file that page follows,
 * so a resumed backup cuts off what was written after it and asks for the same next page.
 */
interface BackupProgress {
  format: 'hibi-backup-progress/1';
  tenantId: string | null;
  startedAt: string;
  tables: { store: StoreName; table: string }[];
  done: Record<string, number>;
  current?: { key: string; continuationToken?: string; rows: number; bytes: number };
}

export interface BackupEvents {
  /** Before each table: `skipped` = finished by an earlier run, `resumedAt` = rows an earlier run already wrote. */
  table?(event: { key: string; index: number; total: number; skipped: boolean; resumedAt: number }): void;
  /** After a page is in the file and before the progress says so (tests stop a backup here). */
  page?(event: { key: string; rows: number }): void;
}

export type BackupOutcome = { kind: 'done'; manifest: Manifest; resumed: boolean } | { kind: 'alreadyDone'; manifest: Manifest };

export class BackupMismatchError extends Error {}

/**
 * Every table of each store (one tenant's partitions, or all), one NDJSON file per table and a
 * manifest with the counts. Resumable: run again on the same folder after an interruption, it
 * skips finished tables and continues the one it was in.
 */
export async function backup(options: {
  dir: string;
  stores: Store[];
  tenantId?: string;
  now: () => Date;
  hibiVersion: string;
  pageSize?: number;
  on?: BackupEvents;
}): Promise<BackupOutcome> {
  const { dir } = options;
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  const tenantId = options.tenantId ?? null;
  const finished = await readJson<Manifest>(path.join(dir, MANIFEST));
  if (finished && finished.tenantId !== tenantId)
    throw new BackupMismatchError(`このフォルダには ${finished.tenantId ?? '全テナント'} のバックアップがあります（別のフォルダを指定してください）`);
  if (finished) return { kind: 'alreadyDone', manifest: finished };

  const progressFile = path.join(dir, BACKUP_PROGRESS);
  let progress = await readJson<BackupProgress>(progressFile);
  const resumed = progress !== undefined;
  if (progress && progress.tenantId !== tenantId) {
    throw new BackupMismatchError(`このフォルダには ${progress.tenantId ?? '全テナント'} のバックアップの途中があります（別のフォルダを指定してください）`);
  }
  if (!progress) {
    // The table list is fixed at the start, so a resumed run backs up the same tables.
    const tables: BackupProgress['tables'] = [];
    for (const store of options.stores) {
      const names: string[] = [];
      for await (const table of store.tables.service().listTables()) if (table.name) names.push(table.name);
      tables.push(...names.sort().map((table) => ({ store: store.name, table })));
    }
    progress = { format: 'hibi-backup-progress/1', tenantId, startedAt: options.now().toISOString(), tables, done: {} };
    await writeJson(progressFile, progress);
  }

  const storeOf = new Map(options.stores.map((s) => [s.name, s.tables]));
  for (const [index, entry] of progress.tables.entries()) {
    const key = tableKey(entry);
    const current = progress.current?.key === key ? progress.current : undefined;
    options.on?.table?.({ key, index, total: progress.tables.length, skipped: key in progress.done, resumedAt: current?.rows ?? 0 });
    if (key in progress.done) continue;
    const tables = storeOf.get(entry.store);
    if (!tables) throw new BackupMismatchError(`${key}: この環境には ${entry.store} のストレージがありません`);

    const file = path.join(dir, fileOf(entry));
    await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
    const handle = await open(file, 'a', PRIVATE_FILE);
    try {
      let rows = current?.rows ?? 0;
      let bytes = current?.bytes ?? 0;
      await truncate(file, bytes);
      let token = current?.continuationToken;
      // A resumed table whose last saved page was its last has no token: it is only to be marked done.
      const more = !current || token !== undefined;
      if (more) {
        for await (const page of rawPages(tables.table(entry.table), {
          filter: tenantId ? tenantRows(tenantId) : undefined,
          pageSize: options.pageSize ?? PAGE_SIZE,
          continuationToken: token,
        })) {
          const text = page.lines.map((line) => `${JSON.stringify(line)}\n`).join('');
          await handle.write(text);
          await handle.datasync();
          rows += page.lines.length;
          bytes += Buffer.byteLength(text);
          options.on?.page?.({ key, rows });
          token = page.continuationToken;
          progress.current = { key, continuationToken: token, rows, bytes };
          await writeJson(progressFile, progress);
        }
      }
      progress.done[key] = rows;
      progress.current = undefined;
      await writeJson(progressFile, progress);
    } finally {
      await handle.close();
    }
  }

  const manifest: Manifest = {
    format: 'hibi-backup/1',
    hibiVersion: options.hibiVersion,
    tenantId,
    startedAt: progress.startedAt,
    finishedAt: options.now().toISOString(),
    tables: progress.tables.map((entry) => ({ ...entry, file: fileOf(entry), rows: progress.done[tableKey(entry)] ?? 0 })),
  };
  await writeJson(path.join(dir, MANIFEST), manifest);
  await removeFile(progressFile);
  return { kind: 'done', manifest, resumed };
}
