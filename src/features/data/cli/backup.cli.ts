import path from 'node:path';
import { z } from 'zod';
import { progressOn, type Progress } from '../../../shared/cli-progress';
import { backup, type Store } from '../backup';
import type { Manifest } from '../backup-files';
import { readManifest, restore } from '../restore';
import { hibiVersion, openDataStorage, readFlags, type CliIo, type DataCommand } from './cli-kit';

/** The bar at a terminal only; a log or a pipe gets one line per table instead. */
function progressOf(io: CliIo, label: string): Progress | undefined {
  return io.out.isTTY ? progressOn(io.out as NodeJS.WriteStream, io.env, label) : undefined;
}

function summary(manifest: Manifest): string {
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  return `${manifest.tables.length} 表・${rows} 件（${manifest.tenantId ? `tenant=${manifest.tenantId}` : '全テナント'}）`;
}

export const backupCommand: DataCommand = {
  name: 'backup',
  usage: 'backup --out <folder> [--tenant <tenant id>（省略: 全テナント）] [--page-size <1-1000>]',
  async run(argv, io) {
    const flags = readFlags(
      argv,
      { out: 'string', tenant: 'string', 'page-size': 'string' },
      z.object({
        out: z.string({ error: 'バックアップを書くフォルダを指定してください' }).min(1),
        tenant: z.string().trim().min(1).max(100).optional(),
        'page-size': z.coerce
          .number({ error: '1〜1000 の数' })
          .int({ error: '1〜1000 の数' })
          .min(1, { error: '1〜1000 の数' })
          .max(1000, { error: '1〜1000 の数' })
          .optional(),
      }),
    );
    const storage = await openDataStorage(io.env, flags.tenant);
    const dir = path.resolve(flags.out);
    const bar = progressOf(io, 'バックアップ');
    try {
      const stores: Store[] = [{ name: 'main', tables: storage.main }, ...(storage.hr ? [{ name: 'hr' as const, tables: storage.hr }] : [])];
      const outcome = await backup({
        dir,
        stores,
        tenantId: flags.tenant,
        now: () => storage.now(),
        hibiVersion: hibiVersion(io.env),
        pageSize: flags['page-size'],
        on: {
          table: ({ key, index, total, skipped, resumedAt }) => {
            if (bar) return bar.update(index + 1, total, key);
            const note = skipped ? '（前回までに完了）' : resumedAt > 0 ? `（前回の続き: ${resumedAt} 件から）` : '';
            io.out.write(`[${index + 1}/${total}] ${key}${note}\n`);
          },
        },
      });
      bar?.stop();
      if (outcome.kind === 'alreadyDone') {
        io.out.write(`このフォルダのバックアップは完了しています: ${dir}（${summary(outcome.manifest)}）\n`);
        return 0;
      }
      io.out.write(`バックアップしました${outcome.resumed ? '（中断したところから再開）' : ''}: ${dir}（${summary(outcome.manifest)}）\n`);
      return 0;
    } finally {
      bar?.stop();
      await storage.close();
    }
  },
};

export const restoreCommand: DataCommand = {
  name: 'restore',
  usage: 'restore --from <folder> [--yes]',
  async run(argv, io) {
    const flags = readFlags(
      argv,
      { from: 'string', yes: 'boolean' },
      z.object({ from: z.string({ error: 'バックアップのフォルダを指定してください' }).min(1), yes: z.boolean().optional() }),
    );
    const dir = path.resolve(flags.from);
    const manifest = await readManifest(dir);
    const storage = await openDataStorage(io.env, undefined);
    try {
      const hrTarget = storage.hr ? 'HR のストレージ' : 'メインのストレージ（HR のストレージは別に設定されていません）';
      if (flags.yes !== true) {
        io.out.write(`復元の試行（何も書き込んでいません）: ${dir}（${summary(manifest)}、${manifest.finishedAt} のバックアップ）\n`);
        for (const t of manifest.tables) io.out.write(`  ${t.store}/${t.table}: ${t.rows} 件${t.store === 'hr' ? ` → ${hrTarget}` : ''}\n`);
        io.out.write('同じキーの行はバックアップの内容で置き換わります。書き込むには --yes を付けてください。\n');
        return 0;
      }
      const bar = progressOf(io, '復元');
      try {
        await restore({
          dir,
          stores: { main: storage.main, hr: storage.hr ?? storage.main },
          on: {
            table: ({ key, index, total, rows, skipped, resumedAt }) => {
              if (bar) return bar.update(index + 1, total, key);
              const note = skipped ? '（前回までに完了）' : resumedAt > 0 ? `（前回の続き: ${resumedAt} 件から）` : '';
              io.out.write(`[${index + 1}/${total}] ${key}: ${rows} 件${note}\n`);
            },
          },
        });
      } finally {
        bar?.stop();
      }
      io.out.write(`復元しました: ${dir}（${summary(manifest)}）\n`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};
