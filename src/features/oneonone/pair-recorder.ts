import { createHash } from 'node:crypto';
import type { Person } from '../../directory/org.schema';
import type { JobRunsRepository } from '../../scheduler/job-runs.repository';
import type { Clock } from '../../shared/clock';
import type { OneOnOneRepository } from './oneonone.repository';
import { pairsFromDirectory } from './oneonone.service';

export interface PairRecorderDeps {
  meetings: Pick<OneOnOneRepository, 'syncPairs'>;
  jobRuns: Pick<JobRunsRepository, 'isDone' | 'markDone'>;
  clock: Clock;
}

/**
 * Records the directory's new 課長–member pairs, each with the day hibi first saw it (its cadence
 * starts then), for a scheduler that asks every minute. Reading every stored pair each time is what
 * a 10,000-person town cannot afford in memory (bench/RESULTS.md, memory), and the pairs change only
 * with the directory. So the pairs of a day are recorded once: a job-run claim named by a digest of
 * the pairs (`oneonone.pairs|<digest>`) says they are all stored, for every instance and after a
 * restart; this instance also keeps the last digest per tenant, so an unchanged minute reads nothing.
 * A new day or a changed directory records again (a pair row removed meanwhile comes back then).
 */
export class PairRecorder {
  private readonly recorded = new Map<string, string>();

  constructor(private readonly deps: PairRecorderDeps) {}

  async record(tenantId: string, directory: readonly Person[], day: string): Promise<void> {
    const pairs = pairsFromDirectory(directory);
    const hash = createHash('sha256');
    for (const { managerId, memberId } of pairs) hash.update(`${managerId}|${memberId}\n`);
    const jobId = `oneonone.pairs|${hash.digest('hex')}`;
    if (this.recorded.get(tenantId) === `${day}|${jobId}`) return;
    if (!(await this.deps.jobRuns.isDone(tenantId, day, jobId))) {
      await this.deps.meetings.syncPairs(tenantId, pairs, day);
      await this.deps.jobRuns.markDone(tenantId, day, jobId, this.deps.clock.now());
    }
    this.recorded.set(tenantId, `${day}|${jobId}`);
  }
}
