import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config';
import { openStorage } from '../storage/open-storage';
import { TableClientFactory } from '../storage/table-client-factory';
import { ALL_TABLES } from '../storage/table-names';
import { OrgRepository } from './org.repository';
import { decodeCsv, importOrgCsv } from './org-import.service';
import { runCli } from '../shared/run-cli';

const USAGE = 'usage: npm run org:import -- <file.csv> [--tenant <tenant id>] [--locale ja|en|auto]';

const argsSchema = z.object({
  file: z.string().min(1),
  tenant: z.string().min(1).max(100).optional(),
  locale: z.enum(['ja', 'en', 'auto']).default('ja'),
});

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { tenant: { type: 'string' }, locale: { type: 'string' } },
    allowPositionals: true,
  });
  const args = argsSchema.safeParse({ file: positionals[0], tenant: values.tenant, locale: values.locale });
  if (!args.success) {
    console.error(`${args.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('\n')}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const tenantId = args.data.tenant ?? config.env.DEV_TENANT_ID;
  const text = decodeCsv(readFileSync(path.resolve(args.data.file)));

  // Without a storage account this is development: reuse the running Azurite, or start one on the same data.
  const storage = await openStorage(config, { reuseRunning: true });
  try {
    const tables = new TableClientFactory(storage.main);
    await tables.ensureTables(ALL_TABLES);
    const outcome = await importOrgCsv(new OrgRepository(tables), tenantId, text, args.data.locale, new Date());
    if (!outcome.ok) {
      console.error(`名簿を取り込めませんでした（何も書き込んでいません）:\n${outcome.report}`);
      return 1;
    }
    const { created, updated, deactivated } = outcome.result;
    console.log(`${outcome.people} 名を取り込みました（新規 ${created} / 更新 ${updated} / 無効化 ${deactivated}） tenant=${tenantId}`);
    return 0;
  } finally {
    await storage.close();
  }
}

runCli(main);
