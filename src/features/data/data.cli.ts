import { ConfigError } from '../../config';
import { BackupMismatchError } from './backup';
import { backupCommand, restoreCommand } from './cli/backup.cli';
import { UsageError, type CliIo, type DataCommand } from './cli/cli-kit';
import { exportCommand, purgeCommand } from './cli/person.cli';
import { retentionCommand } from './cli/retention.cli';
import { PurgeConflictError } from './purge';
import { RestoreError } from './restore';

/**
 * `npm run data -- <subcommand>`: a municipality's duties for the personal information hibi holds.
 * export (開示請求), purge (退職者の削除), retention (保存期間), backup and restore.
 */
const COMMANDS: readonly DataCommand[] = [exportCommand, purgeCommand, retentionCommand, backupCommand, restoreCommand];

const usage = (): string => `使い方:\n${COMMANDS.map((c) => `  npm run data -- ${c.usage}`).join('\n')}`;

export async function runDataCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err.write(`${name ? `知らないコマンドです: "${name}"\n` : ''}${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err.write(`${error.message}\n使い方: npm run data -- ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof PurgeConflictError || error instanceof RestoreError || error instanceof BackupMismatchError) {
      io.err.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  runDataCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
