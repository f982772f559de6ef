import { z } from 'zod';
import { dayNumber } from '../kpi.period';
import { dayFlag, openKpiStorage, readFlags, tenantFlag, UsageError, type KpiCommand } from './cli-context';
import { progressOn } from '../../../shared/cli-progress';

/** A backfill longer than this is almost certainly a typo in a year. */
const MAX_DAYS = 800;

const USAGE = 'npm run kpi -- backfill --from 2026-04-01 --to 2026-11-30 [--tenant <tenant id>]';

const argsSchema = z
  .object({ from: dayFlag(), to: dayFlag(), tenant: tenantFlag })
  .refine((a) => a.from <= a.to, { path: ['to'], message: 'must not be before --from' })
  .refine((a) => dayNumber(a.to) - dayNumber(a.from) < MAX_DAYS, { path: ['to'], message: `at most ${MAX_DAYS} days after --from` });

/**
 * Rolls up every day from..to with the nightly job's own code, then the months, halves and fiscal
 * years they touch. Safe to run again: each day's rows are replaced by the same rows.
 */
export const backfillCommand: KpiCommand = {
  name: 'backfill',
  usage: USAGE,
  run: async (argv, io) => {
    const args = readFlags(argv, ['from', 'to', 'tenant'], argsSchema);
    const storage = await openKpiStorage(io.env, args.tenant);
    try {
      if (args.to > storage.today) throw new UsageError(`--to: ${args.to} has not happened yet (today is ${storage.today})`);
      const progress = progressOn(io.err, io.env, 'backfill');
      await storage.kpi.job.backfill(storage.tenantId, args.from, args.to, storage.today, (done, total, day) => progress.update(done, total, day));
      progress.stop();
      io.out.write(`${args.from} 〜 ${args.to} を集計しました（tenant=${storage.tenantId}）\n`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};
