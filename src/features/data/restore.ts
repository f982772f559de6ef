import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { TableClientFactory } from '../../storage/table-client-factory';
import { MANIFEST, readJson, removeFile, RESTORE_PROGRESS, tableKey, writeJson, type Manifest, type StoreName } from './backup-files';
import { entityOf, type Line } from './raw-entities';

/** A table transaction: at most 100 rows of one partition, under 4 MiB; a line's length is a fair measure of its size. */
const BATCH_ROWS = 100;
const BATCH_CHARS = 1_000_000;

/** How far a restore got: finished tables, and the rows of the current one already written. */
interface RestoreProgress {
  format: 'hibi-restore-progress/1';
  done: Record<string, number>;
  current?: { key: string; rows: number };
}

export interface RestoreEvents {
  table?(event: { key: string; index: number; total: number; rows: number; skipped: boolean; resumedAt: number }): void;
  /** After a batch is written and before the progress says so (tests stop a restore here). */
  batch?(event: { key: string; rows: number }): void;
}

export class RestoreError extends Error {}

export async function readManifest(dir: string): Promise<Manifest> {
  const manifest = await readJson<Manifest>(path.join(dir, MANIFEST));
  if (!manifest || manifest.format !== 'hibi-backup/1')
    throw new RestoreError(`${path.join(dir, MANIFEST)} がありません: 完了したバックアップのフォルダを指定してください`);
  return manifest;
}

/**
 * Writes a finished backup back, every row with Replace: a row there already becomes the backup's,
 * so restoring twice gives the same rows, never two. Rows written since the backup stay. Resumable
 * like the backup: finished tables are skipped, the current one continues after its last batch.
 */
export async function restore(options: { dir: string; stores: Record<StoreName, TableClientFactory>; on?: RestoreEvents }): Promise<Manifest> {
  const manifest = await readManifest(options.dir);
  const progressFile = path.join(options.dir, RESTORE_PROGRESS);
  const progress: RestoreProgress = (await readJson<RestoreProgress>(progressFile)) ?? { format: 'hibi-restore-progress/1', done: {} };

  for (const [index, entry] of manifest.tables.entries()) {
    const key = tableKey(entry);
    const resumedAt = progress.current?.key === key ? progress.current.rows : 0;
    options.on?.table?.({ key, index, total: manifest.tables.length, rows: entry.rows, skipped: key in progress.done, resumedAt });
    if (key in progress.done) continue;
    const table = options.stores[entry.store].table(entry.table);
    await table.createTable();

    let rows = resumedAt;
    let batch: Line[] = [];
    let chars = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await writeBatch(table, batch);
      rows += batch.length;
      batch = [];
      chars = 0;
      options.on?.batch?.({ key, rows });
      progress.current = { key, rows };
      await writeJson(progressFile, progress);
    };
    const lines = createInterface({ input: createReadStream(path.join(options.dir, entry.file), 'utf8'), crlfDelay: Infinity });
    let read = 0;
    for await (const text of lines) {
      if (!text) continue;
      read += 1;
      if (read <= resumedAt) continue;
      const line = JSON.parse(text) as Line;
      if (batch.length > 0 && (batch[0]?.PartitionKey !== line.PartitionKey || batch.length >= BATCH_ROWS || chars + text.length > BATCH_CHARS)) await flush();
      batch.push(line);
      chars += text.length;
    }
    await flush();
    if (read !== entry.rows) throw new RestoreError(`${key}: ファイルの行数 ${read} が manifest の ${entry.rows} と違います（バックアップが壊れています）`);
    progress.done[key] = read;
    progress.current = undefined;
    await writeJson(progressFile, progress);
  }
  await removeFile(progressFile);
  return manifest;
}

async function writeBatch(table: TableClient, lines: readonly Line[]): Promise<void> {
  if (lines.length === 1) {
    await table.upsertEntity(entityOf(lines[0] as Line), 'Replace');
    return;
  }
  await table.submitTransaction(lines.map((line): TransactionAction => ['upsert', entityOf(line), 'Replace']));
}
