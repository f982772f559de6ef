import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../../config';
import { runCli } from '../../shared/run-cli';
import { openStorage } from '../../storage/open-storage';
import { TableClientFactory } from '../../storage/table-client-factory';
import { ALL_TABLES } from '../../storage/table-names';
import { OrgRepository } from '../../directory/org.repository';
import { decodeCsv } from '../../directory/org-import.service';
import { ATTENDANCE_COLUMNS, readAttendanceRows, readTrainingRows, TRAINING_COLUMNS } from './training.import';
import { outcomeOf, TRAINING_TABLES, TrainingRepository } from './training.repository';
import { formatSheetErrors, readSheet } from './training.sheet';

const USAGE =
  'usage: npm run training -- import <file.csv|file.json> [--apply] [--tenant <tenant id>]\n       npm run training -- attendance <file.csv|file.json> [--apply] [--tenant <tenant id>]';

const argsSchema = z.object({
  command: z.enum(['import', 'attendance'], { error: 'import か attendance を指定してください' }),
  file: z.string({ error: 'ファイルを指定してください' }).min(1),
  apply: z.boolean().default(false),
  tenant: z.string().min(1).max(100).optional(),
});

const DRY_RUN = '試し読みです（何も書き込んでいません）。書き込むには --apply を付けてください。';
const OUTCOME_LABEL = { created: '新規', updated: '更新', unchanged: '変更なし' } as const;

/**
 * HR's yearly plan and sign-in sheets. Without --apply it only reads and says what it would do; with
 * it, all or nothing: one bad row and nothing is written. Running the same file again changes nothing.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { apply: { type: 'boolean' }, tenant: { type: 'string' } },
    allowPositionals: true,
  });
  const args = argsSchema.safeParse({ command: positionals[0], file: positionals[1], apply: values.apply, tenant: values.tenant });
  if (!args.success) {
    console.error(`${args.error.issues.map((i) => i.message).join('\n')}\n${USAGE}`);
    return 2;
  }
  const { command, file, apply } = args.data;
  const config = loadConfig(process.env);
  const tenantId = args.data.tenant ?? config.env.DEV_TENANT_ID;
  const format = path.extname(file).toLowerCase() === '.json' ? 'json' : 'csv';
  const sheet = readSheet(decodeCsv(readFileSync(path.resolve(file))), format, command === 'import' ? TRAINING_COLUMNS : ATTENDANCE_COLUMNS);
  if (!sheet.ok) return refuse(formatSheetErrors(sheet.errors));

  // Without a storage account this is development: reuse the running Azurite, or start one on the same data.
  const storage = await openStorage(config, { reuseRunning: true });
  try {
    const tables = new TableClientFactory(storage.main);
    await tables.ensureTables([...ALL_TABLES, ...Object.values(TRAINING_TABLES)]);
    const directory = await new OrgRepository(tables).listPeople(tenantId);
    const trainings = new TrainingRepository(tables);
    const now = new Date();
    if (command === 'import') {
      const reading = readTrainingRows(sheet.rows, directory);
      if (!reading.ok) return refuse(formatSheetErrors(reading.errors));
      for (const plan of reading.items) {
        const outcome = apply ? await trainings.save(tenantId, plan, now) : outcomeOf(await trainings.get(tenantId, plan.id), plan);
        console.log(`${plan.where} ${OUTCOME_LABEL[outcome]} ${plan.id} ${plan.name} ${plan.startDay}〜${plan.endDay}${plan.required ? ' 必須' : ''}`);
      }
      console.log(apply ? `${reading.items.length} 件の研修を登録しました tenant=${tenantId}` : DRY_RUN);
      return 0;
    }
    const reading = readAttendanceRows(sheet.rows, await trainings.list(tenantId), directory);
    if (!reading.ok) return refuse(formatSheetErrors(reading.errors));
    for (const record of reading.items) {
      if (apply) await trainings.recordHr(tenantId, record.trainingId, record.personId, record.answer, now);
      console.log(`${record.where} ${record.trainingId} ${record.personId} ${record.answer === 'attended' ? '済' : '未'}`);
    }
    console.log(apply ? `${reading.items.length} 件の受講記録を取り込みました tenant=${tenantId}` : DRY_RUN);
    return 0;
  } finally {
    await storage.close();
  }
}

function refuse(report: string): number {
  console.error(`取り込めませんでした（何も書き込んでいません）:\n${report}`);
  return 1;
}

runCli(main);
