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

/** The last directory a tenant's pairs were recorded from, on which day, under which marker. */
interface Recorded {
  day: string;
  jobId: string;
  directory: readonly Person[];
}

/**
 * The in-memory directory hands out a new array each call but the same frozen people until it
 * reloads, so comparing the people themselves tells an unchanged directory without pairing it.
 */
function samePeople(a: readonly Person[], b: readonly Person[]): boolean {
  return a === b || (a.length === b.length && a.every((person, i) => person === b[i]));
}

function pairsJobId(pairs: readonly { managerId: string; memberId: string }[]): string {
  const hash = createHash('sha256');
  for (const { managerId, memberId } of pairs) hash.update(`${managerId}|${memberId}\n`);
  return `oneonone.pairs|${hash.digest('hex')}`;
}

/**
 * Records the directory's new 課長–member pairs, each with the day hibi first saw it (its cadence
 * starts then), for a scheduler that asks every minute. Reading every stored pair each time is what
 * a 10,000-person town cannot afford in memory (bench/RESULTS.md, memory), and the pairs change only
 * with the directory. So the pairs of a day are recorded once: a job-run claim named by a digest of
 * the pairs (`oneonone.pairs|<digest>`) says they are all stored, for every instance and after a
 * restart. This instance also keeps the last directory and digest per tenant: the same people on the
 * same day are not even paired again, and a reloaded directory with the same pairs reads nothing.
 * A new day or a changed directory records again (a pair row removed meanwhile comes back then).
 */
export class PairRecorder {
  private readonly recorded = new Map<string, Recorded>();

  constructor(private readonly deps: PairRecorderDeps) {}

  async record(tenantId: string, directory: readonly Person[], day: string): Promise<void> {
    const last = this.recorded.get(tenantId);
    if (last?.day === day && samePeople(last.directory, directory)) return;
    const pairs = pairsFromDirectory(directory);
    const jobId = pairsJobId(pairs);
    const stored = (last?.day === day && last.jobId === jobId) || (await this.deps.jobRuns.isDone(tenantId, day, jobId));
    if (!stored) {
      await this.deps.meetings.syncPairs(tenantId, pairs, day);
      await this.deps.jobRuns.markDone(tenantId, day, jobId, this.deps.clock.now());
    }
    this.recorded.set(tenantId, { day, jobId, directory });
  }
}
