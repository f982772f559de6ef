import cron, { type ScheduledTask } from 'node-cron';
import { isOfficeDay, tokyoDay } from '../calendar/office-calendar';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { hibiMetrics } from '../telemetry/metrics';
import { isDue, type DailyJobSource } from './daily-job';
import type { JobRunsRepository } from './job-runs.repository';

export interface SchedulerDeps {
  sources: readonly DailyJobSource[];
  jobRuns: JobRunsRepository;
  tenants: () => Promise<string[]>;
  clock: Clock;
  logger: Logger;
}

/**
 * Every minute (and once at start, which is the catch-up after a restart), runs each occurrence
 * that is due and not yet done: on office days every source's, on other days only the sources that
 * run every day. Two instances may both run one: the sends it makes are keyed in the outbox, so each
 * person still gets one message.
 */
export class Scheduler {
  private task: ScheduledTask | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly deps: SchedulerDeps) {}

  async tick(): Promise<number> {
    const now = this.deps.clock.now();
    const day = tokyoDay(now);
    const sources = isOfficeDay(day) ? this.deps.sources : this.deps.sources.filter((s) => s.days === 'everyDay');
    if (sources.length === 0) return 0;
    let ran = 0;
    for (const tenantId of await this.deps.tenants()) {
      for (const source of sources) {
        for (const occurrence of await source.occurrences(tenantId, day)) {
          if (!isDue(occurrence, day, now)) continue;
          if (await this.deps.jobRuns.isDone(tenantId, day, occurrence.id)) continue;
          try {
            await occurrence.run();
            await this.deps.jobRuns.markDone(tenantId, day, occurrence.id, this.deps.clock.now());
            ran += 1;
            this.deps.logger.info({ tenantId, day, job: occurrence.id }, 'scheduled job done');
            hibiMetrics.jobRun(jobNameOf(occurrence.id), 'ok');
          } catch (error) {
            this.deps.logger.error(
              { tenantId, day, job: occurrence.id, err: error instanceof Error ? error.message : String(error) },
              'scheduled job failed; retried next minute',
            );
            hibiMetrics.jobRun(jobNameOf(occurrence.id), 'failed');
          }
        }
      }
    }
    return ran;
  }

  start(): void {
    const run = (): void => {
      if (this.running) return;
      this.running = this.tick()
        .then(
          () => undefined,
          (error: unknown) => this.deps.logger.error({ err: String(error) }, 'scheduler tick failed'),
        )
        .finally(() => {
          this.running = undefined;
        });
    };
    this.task = cron.schedule('* * * * *', run, { timezone: 'Asia/Tokyo', noOverlap: true });
    run();
  }

  /** Stops ticking and waits for a tick in progress, so a fan-out is never cut off by shutdown. */
  async stop(): Promise<void> {
    await this.task?.stop();
    await this.running;
  }
}

/** An occurrence id goes on to name a unit or a 1on1 (checkin.prompt|morning|住民課): metrics get only what job it is. */
function jobNameOf(occurrenceId: string): string {
  return occurrenceId.split('|', 1)[0] ?? occurrenceId;
}
