import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { translator } from '../../../i18n/i18n';
import type { PlusEntry } from '../../kudos/kudos.public';
import { kudosCsv } from '../kpi.kudos-csv';
import { periodIdSchema, periodsOfDay } from '../kpi.period';
import type { Period } from '../kpi.types';
import { openKpiStorage, readFlags, tenantFlag, type KpiCommand } from './cli-context';
import { outFlag } from './export.cli';

const USAGE = 'npm run kpi -- export-kudos --period FY2026H1 --out kudos.csv [--tenant <tenant id>]';

const argsSchema = z.object({ period: periodIdSchema, out: outFlag, tenant: tenantFlag });

/** プラス評価 is kept per half: the halves a period overlaps. */
function halvesOf(period: Period): string[] {
  return [...new Set([periodsOfDay(period.from).half, periodsOfDay(period.to).half])];
}

/** Per person, for HR's evaluation: kudos received and プラス評価 by value, counts only. */
export const exportKudosCommand: KpiCommand = {
  name: 'export-kudos',
  usage: USAGE,
  run: async (argv, io) => {
    const args = readFlags(argv, ['period', 'out', 'tenant'], argsSchema);
    const storage = await openKpiStorage(io.env, args.tenant);
    try {
      const { tenantId } = storage;
      const [directory, kudos] = await Promise.all([
        storage.org.listPeople(tenantId),
        storage.kudos.receivedBetween(tenantId, args.period.from, args.period.to),
      ]);
      const plus: PlusEntry[] = [];
      for (const half of halvesOf(args.period)) plus.push(...(await storage.kudos.plusEntriesOfPeriod(tenantId, half)));
      const file = path.resolve(args.out);
      writeFileSync(file, kudosCsv(args.period, directory, kudos, plus, translator('ja')));
      io.out.write(`${file} に書き出しました（${args.period.id}、ありがとう ${kudos.length} 件、プラス評価 ${plus.length} 件、tenant=${tenantId}）\n`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};
