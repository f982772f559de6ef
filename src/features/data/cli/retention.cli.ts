import { z } from 'zod';
import { RetentionRepository } from '../retention.repository';
import { RETENTION_AT } from '../retention.schedule';
import { DEFAULT_RETENTION, describeMonths, KEEP, parseRetentionSet, RETENTION_KEYS, RETENTION_LABELS, type RetentionSettings } from '../retention.settings';
import { openDataStorage, readFlags, UsageError, type DataCommand } from './cli-kit';

function show(out: { write(text: string): unknown }, settings: RetentionSettings): void {
  for (const key of RETENTION_KEYS) {
    const isDefault = settings[key] === DEFAULT_RETENTION[key];
    out.write(`  ${key.padEnd(20)} ${describeMonths(settings[key])}${isDefault ? '（既定）' : ''}  ${RETENTION_LABELS[key]}\n`);
  }
  out.write(`毎晩 ${RETENTION_AT} に適用します。月数か keep（削除しない）で変更できます: --set checkinTextMonths=24,nearmissTextMonths=keep\n`);
}

/** Every key at its default, read from the settings so that a key added there is in the usage too. */
const SET_DEFAULTS = RETENTION_KEYS.map((key) => `${key}=${DEFAULT_RETENTION[key] ?? KEEP}`).join(',');

export const retentionCommand: DataCommand = {
  name: 'retention',
  usage: `retention [--tenant <tenant id>] [--set ${SET_DEFAULTS}]`,
  async run(argv, io) {
    const flags = readFlags(
      argv,
      { tenant: 'string', set: 'string' },
      z.object({ tenant: z.string().trim().min(1).max(100).optional(), set: z.string().optional() }),
    );
    // Checked before storage is opened: a bad key costs nothing and changes nothing.
    const change = flags.set === undefined ? undefined : parseRetentionSet(flags.set);
    if (change && !change.ok) throw new UsageError(`保存期間を変更できません（何も変更していません）:\n${change.problems.map((p) => `  ${p}`).join('\n')}`);
    const storage = await openDataStorage(io.env, flags.tenant);
    try {
      const repository = new RetentionRepository(storage.main);
      await repository.ensureTable();
      if (change?.ok) {
        const saved = await repository.saveSettings(storage.tenantId, change.values, storage.now());
        io.out.write(`保存期間を変更しました（tenant=${storage.tenantId}）:\n`);
        show(io.out, saved);
      } else {
        io.out.write(`保存期間（tenant=${storage.tenantId}）:\n`);
        show(io.out, await repository.settings(storage.tenantId));
      }
      return 0;
    } finally {
      await storage.close();
    }
  },
};
