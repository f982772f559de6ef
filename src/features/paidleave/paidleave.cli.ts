import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { tokyoDay } from '../../calendar/office-calendar';
import { loadConfig } from '../../config';
import { translator, type Locale } from '../../i18n/i18n';
import { runCli } from '../../shared/run-cli';
import { openStorage } from '../../storage/open-storage';
import { TableClientFactory } from '../../storage/table-client-factory';
import { ALL_TABLES } from '../../storage/table-names';
import { OrgRepository } from '../../directory/org.repository';
import { decodeCsv } from '../../directory/org-import.service';
import { formatImportOutcome, importPaidLeaveCsv } from './paidleave.import';
import { PAIDLEAVE_TABLE, PaidLeaveRepository } from './paidleave.repository';

const USAGE = 'usage: npm run leave -- import <file.csv> [--apply] [--tenant <tenant id>] [--lang ja|en]';

const argsSchema = z.object({
  command: z.literal('import', { error: 'the only subcommand is "import"' }),
  file: z.string({ error: 'the CSV file is required' }).min(1),
  apply: z.boolean().default(false),
  tenant: z.string().trim().min(1).max(100).optional(),
  lang: z.enum(['ja', 'en'], { error: 'ja or en' }).optional(),
});

/** HR's paid-leave file into hibi: a dry run that says what would change, then the same with --apply. */
async function main(): Promise<number> {
  let raw;
  try {
    raw = parseArgs({
      args: process.argv.slice(2),
      options: { apply: { type: 'boolean' }, tenant: { type: 'string' }, lang: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const args = argsSchema.safeParse({ command: raw.positionals[0], file: raw.positionals[1], ...raw.values });
  if (!args.success || raw.positionals.length > 2) {
    const problems = args.success ? ['only one file at a time'] : args.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`);
    console.error(`${problems.join('\n')}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const tenantId = args.data.tenant ?? config.env.DEV_TENANT_ID;
  const now = config.env.DEV_NOW ? new Date(config.env.DEV_NOW) : new Date();

  const storage = await openStorage(config, { reuseRunning: true });
  try {
    const tables = new TableClientFactory(storage.main);
    await tables.ensureTables([...ALL_TABLES, PAIDLEAVE_TABLE]);
    const org = new OrgRepository(tables);
    // The organisation's language (set with the directory import) unless the operator asks for one.
    const locale: Locale = args.data.lang ?? ((await org.getSettings(tenantId))?.defaultLocale === 'en' ? 'en' : 'ja');
    const t = translator(locale);
    let text: string;
    try {
      text = decodeCsv(readFileSync(path.resolve(args.data.file)));
    } catch (error) {
      console.error(t('paidleave.error.file', { file: args.data.file, reason: (error as NodeJS.ErrnoException).code ?? String(error) }));
      return 1;
    }
    const outcome = await importPaidLeaveCsv({ grants: new PaidLeaveRepository(tables), listPeople: (tenant) => org.listPeople(tenant) }, tenantId, text, {
      t,
      today: tokyoDay(now),
      now,
      apply: args.data.apply,
    });
    if (!outcome.ok) {
      console.error(`${t('paidleave.import.failed')}\n${outcome.report}`);
      return 1;
    }
    console.log(formatImportOutcome(outcome, tenantId, t));
    return 0;
  } finally {
    await storage.close();
  }
}

runCli(main);
