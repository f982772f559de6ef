import { z } from 'zod';
import { periodIdSchema } from '../kpi.period';
import type { ReportScope } from '../kpi.types';
import { writeKpiReport } from '../report/write-kpi-report';
import { openKpiStorage, readFlags, tenantFlag, type KpiCommand } from './cli-context';
import { outFlag } from './export.cli';

const USAGE = 'npm run kpi -- report --period FY2026H1 --out report.html [--unit 住民課] [--lang ja|en] [--tenant <tenant id>]';

const argsSchema = z.object({
  period: periodIdSchema,
  out: outFlag,
  unit: z.string().trim().min(1).max(50).optional(),
  lang: z.enum(['ja', 'en'], { error: 'ja or en' }).default('ja'),
  tenant: tenantFlag,
});

/** HR's printable report: one self-contained HTML file for the town, or one unit, read from the rollups. */
export const reportCommand: KpiCommand = {
  name: 'report',
  usage: USAGE,
  run: async (argv, io) => {
    const args = readFlags(argv, ['period', 'out', 'unit', 'lang', 'tenant'], argsSchema);
    const storage = await openKpiStorage(io.env, args.tenant);
    try {
      const scope: ReportScope = args.unit ? { kind: 'unit', unit: args.unit } : { kind: 'town' };
      const file = await writeKpiReport(storage.kpi.reader, storage.tenantId, args.period.id, scope, args.lang, args.out);
      io.out.write(`${file} にレポートを書き出しました（${args.period.id}、${args.unit ?? '町全体'}、tenant=${storage.tenantId}）\n`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};
