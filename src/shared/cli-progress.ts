import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number, day: string): void;
  stop(): void;
}

/** Plain lines every this many days when the output is a log, not a terminal. */
const LINE_EVERY = 7;

/**
 * A progress bar on stderr for a person at a terminal; plain lines (a week at a time and the last)
 * when stderr is a file, a pipe or CI, where a redrawn bar would be noise.
 */
export function progressOn(stream: { write(text: string): unknown; isTTY?: boolean }, env: NodeJS.ProcessEnv, label: string): Progress {
  if (stream.isTTY && !env.CI) {
    const bar = new SingleBar({
      stream: stream as NodeJS.WriteStream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} 日 | {day}`,
      hideCursor: true,
    });
    let started = false;
    return {
      update: (done, total, day) => {
        if (!started) bar.start(total, 0, { day });
        started = true;
        bar.update(done, { day });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    update: (done, total, day) => {
      if (done % LINE_EVERY === 0 || done === total) stream.write(`${label} ${day} ${done}/${total} 日\n`);
    },
    stop: () => undefined,
  };
}
