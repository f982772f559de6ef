import { ConfigError } from '../../config';
import { backfillCommand } from './cli/backfill.cli';
import { UsageError, type CliIo, type KpiCommand } from './cli/cli-context';
import { exportKudosCommand } from './cli/export-kudos.cli';
import { exportCommand } from './cli/export.cli';
import { reportCommand } from './cli/report.cli';
import { PeriodIdError } from './kpi.period';

/** `npm run kpi -- <subcommand>`: each subcommand is its own module; add one here. */
const COMMANDS: readonly KpiCommand[] = [backfillCommand, exportCommand, exportKudosCommand, reportCommand];

const usage = (): string => `usage:\n${COMMANDS.map((c) => `  ${c.usage}`).join('\n')}`;

export async function runKpiCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err.write(`${name ? `unknown subcommand "${name}"\n` : ''}${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof PeriodIdError) {
      io.err.write(`${error.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  runKpiCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
