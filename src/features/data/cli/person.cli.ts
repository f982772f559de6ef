import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TABLES } from '../../../storage/table-names';
import { compositeKey } from '../../../storage/table-keys';
import { PRIVATE_DIR, writeJson } from '../backup-files';
import { exportPerson } from '../export';
import { purgePerson, type PurgeCount } from '../purge';
import { pointRead } from '../table-scan';
import { APP_TABLES } from '../../../app-tables';
import { hibiVersion, openDataStorage, readFlags, type DataCommand } from './cli-kit';

const person = z
  .string({ error: '職員番号を指定してください' })
  .trim()
  .min(1, { error: '職員番号を指定してください' })
  .max(64, { error: '職員番号は 64 文字までです' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: '職員番号は英数字と - _ だけです' });
const tenant = z.string().trim().min(1, { error: 'テナント ID が空です' }).max(100).optional();

export const exportCommand: DataCommand = {
  name: 'export',
  usage: 'export --person <職員番号> [--tenant <tenant id>] --out <file.json>',
  async run(argv, io) {
    const flags = readFlags(
      argv,
      { person: 'string', tenant: 'string', out: 'string' },
      z.object({ person, tenant, out: z.string({ error: '書き出すファイルを指定してください' }).min(1) }),
    );
    const storage = await openDataStorage(io.env, flags.tenant);
    try {
      await storage.main.ensureTables(APP_TABLES);
      const document = await exportPerson(
        { tables: storage.main, tenantId: storage.tenantId, personId: flags.person },
        { exportedAt: storage.now(), hibiVersion: hibiVersion(io.env) },
      );
      const file = path.resolve(flags.out);
      await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
      await writeJson(file, document);
      const total = document.sections.reduce((sum, s) => sum + s.count, 0);
      io.out.write(`${flags.person} のデータを書き出しました（tenant=${storage.tenantId}）: ${file}\n`);
      for (const section of document.sections) io.out.write(`  ${section.label}（${section.table}）: ${section.count} 件\n`);
      io.out.write(total === 0 ? `この職員番号のデータは見つかりませんでした。\n` : `合計 ${total} 件\n`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};

function printCounts(out: { write(text: string): unknown }, counts: readonly PurgeCount[]): { deleted: number; anonymised: number } {
  for (const c of counts) out.write(`  ${c.label}（${c.table}）: 削除 ${c.deleted} 件 / 匿名化 ${c.anonymised} 件\n`);
  return { deleted: counts.reduce((n, c) => n + c.deleted, 0), anonymised: counts.reduce((n, c) => n + c.anonymised, 0) };
}

export const purgeCommand: DataCommand = {
  name: 'purge',
  usage: 'purge --person <職員番号> [--tenant <tenant id>] [--yes]',
  async run(argv, io) {
    const flags = readFlags(argv, { person: 'string', tenant: 'string', yes: 'boolean' }, z.object({ person, tenant, yes: z.boolean().optional() }));
    const storage = await openDataStorage(io.env, flags.tenant);
    try {
      await storage.main.ensureTables(APP_TABLES);
      const scope = { tables: storage.main, tenantId: storage.tenantId, personId: flags.person };
      // Only for someone who has left: a typo must not erase a colleague who is still here.
      const row = await pointRead(storage.main.table(TABLES.people), compositeKey(storage.tenantId), flags.person);
      if (row?.active === true) {
        io.err.write(
          `${flags.person}（${String(row.name)}）は名簿で在籍中です。名簿の取り込みで退職者として外れてから実行してください。何も変更していません。\n`,
        );
        return 1;
      }
      const apply = flags.yes === true;
      const counts = await purgePerson(scope, apply);
      io.out.write(`${flags.person} のデータ${apply ? 'を削除しました' : 'の削除（試行: 何も変更していません）'}（tenant=${storage.tenantId}）\n`);
      const total = printCounts(io.out, counts);
      io.out.write(`合計: 削除 ${total.deleted} 件 / 匿名化 ${total.anonymised} 件\n`);
      if (total.deleted + total.anonymised === 0) io.out.write('削除するデータはありません（0 件）。\n');
      else if (!apply) io.out.write('実行するには --yes を付けてください。\n');
      return 0;
    } finally {
      await storage.close();
    }
  },
};
