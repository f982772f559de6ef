import { UsageError } from './cli-flags';

/**
 * Runs a command-line tool's main and exits with its code. A mistake on the command line (UsageError)
 * is its message and then `usage`, exit 2; any other error is one line, exit 1.
 */
export function runCli(main: () => Promise<number>, usage?: string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError && usage !== undefined) {
        process.stderr.write(`${error.message}\n${usage}\n`);
        process.exit(2);
      }
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
