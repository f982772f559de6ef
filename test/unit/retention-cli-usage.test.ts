import { retentionCommand } from '../../src/features/data/cli/retention.cli';
import { RETENTION_KEYS } from '../../src/features/data/retention.settings';

describe('npm run data -- retention: the usage', () => {
  it('names every key HR can set, with its default', () => {
    for (const key of RETENTION_KEYS) expect(retentionCommand.usage).toMatch(new RegExp(`[ ,]${key}=(\\d+|keep)[,\\]]`));
    expect(retentionCommand.usage).toContain('paidLeaveMonths=24,trainingMonths=24,trainingNoteMonths=12');
    expect(retentionCommand.usage).toContain('nearmissTextMonths=keep');
  });
});
