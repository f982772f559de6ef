import { setFlagsFromString } from 'node:v8';

/**
 * V8's defaults suit a machine with memory to spare: a young generation grown up to 16 MB per semi-space,
 * and an old generation let grow to several times what is live before a full collection. hibi's live
 * data is ~50 MB, but a fan-out makes garbage fast (thousands of HTTP calls and table reads), and with
 * the defaults it stayed up to ~300 MB resident through each one (bench/RESULTS.md, "Latest memory").
 * Holding the young generation at its first size (1 MB semi-spaces: V8 reads the size limit only as it
 * starts, the growth factor as it goes) and a 20% growth step keep it near what is live, at the cost
 * of more, shorter collections. A flag given on the command line or in NODE_OPTIONS wins.
 */
export const HEAP_FLAGS: readonly string[] = ['--semi-space-growth-factor=1', '--heap-growing-percent=20'];

const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
// Set before the libraries load: the young generation grows while they do and keeps what it grew to.
for (const flag of HEAP_FLAGS) if (!given.includes(flag.split('=')[0] ?? flag)) setFlagsFromString(flag);
