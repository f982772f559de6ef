import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { translator } from '../../../i18n/i18n';
import { kpiCsv, type ExportSection } from '../kpi.csv';
import { monthsOf, parsePeriod, periodIdSchema } from '../kpi.period';
import { openKpiStorage, readFlags, tenantFlag, type KpiCommand } from './cli-context';

const USAGE = 'npm run kpi -- export --period FY2026H1 --out kpi.csv [--tenant <tenant id>]';

export const outFlag = z.string({ error: 'required: the CSV file to write' }).trim().min(1, 'the CSV file to write');

const argsSchema = z.object({ period: periodIdSchema, out: outFlag, tenant: tenantFlag });

/** The period's rollups for HR's Excel: the period, then each of its months, by town, 課 and 役職, and the survey closed in each by 職層. */
export const exportCommand: KpiCommand = {
  name: 'export',
  usage: USAGE,
  run: async (argv, io) => {
    const args = readFlags(argv, ['period', 'out', 'tenant'], argsSchema);
    const storage = await openKpiStorage(io.env, args.tenant);
    try {
      const periods = [args.period, ...(args.period.kind === 'month' ? [] : monthsOf(args.period).map(parsePeriod))];
      const sections: ExportSection[] = [];
      for (const period of periods) {
        const rows = await storage.kpi.store.periodRows(storage.tenantId, period.id);
        sections.push({ period, rows, survey: (await storage.kpi.survey?.comparison(storage.tenantId, period))?.current });
      }
      if (sections[0]?.rows.length === 0) {
        io.err.write(
          `${args.period.id} はまだ集計されていません。先に npm run kpi -- backfill --from ${args.period.from} --to <最終日> を実行してください（tenant=${storage.tenantId}）\n`,
        );
        return 1;
      }
      const file = path.resolve(args.out);
      writeFileSync(file, kpiCsv(sections, translator('ja')));
      const lines = sections.reduce((n, s) => n + s.rows.length, 0);
      io.out.write(`${file} に ${lines} 行を書き出しました（${args.period.id}、tenant=${storage.tenantId}）\n`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};
