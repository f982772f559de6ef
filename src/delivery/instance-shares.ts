import { createHash } from 'node:crypto';

/**
 * What an instance says of itself in its heartbeat: `idle` with nothing of its own to send, `busy`
 * sending at its equal part, `borrowing` busy with a backlog and taking the idle ones' unused parts.
 */
export type InstanceState = 'idle' | 'busy' | 'borrowing';

/** One instance's heartbeat as stored: who, until when (its own clock) it counts, and its state. */
export interface InstanceBeat {
  instanceId: string;
  expiresAt: number;
  state: InstanceState;
}

/** A live instance as the others see it. */
export interface PoolMember {
  instanceId: string;
  state: InstanceState;
}

/**
 * What an idle instance among others keeps of the cap (calls per second, at most its equal part): enough for a
 * card update asked for in a turn, or the first sends of a backlog while the borrowers give back.
 */
export const IDLE_PER_SECOND = 1;

/** The instances that count at `now` (a beat not yet expired) with their states: sorted by id, each once, so every instance lists them alike. */
export function liveMembers(beats: readonly InstanceBeat[], now: number): PoolMember[] {
  const live = new Map<string, InstanceState>();
  for (const beat of beats) if (beat.expiresAt > now) live.set(beat.instanceId, beat.state);
  return [...live.keys()].sort().map((instanceId) => ({ instanceId, state: live.get(instanceId)! }));
}

/**
 * One instance's calls per second, from its own state and the pool as it last read it. Idle: a small
 * part it always keeps (the whole cap when alone). Busy: its equal part. Borrowing: the cap less what the idle ones keep, split
 * between the instances that are not idle. While an instance that was idle has just said it is busy
 * (`waiting`), a borrower may still be using its part: it keeps the idle part until they have seen it.
 * The parts add up to at most the cap as long as a borrower only counts an instance as idle from a
 * read made after it wrote that it borrows (delivery-membership.ts).
 */
export function shareOf(capPerSecond: number, members: readonly PoolMember[], self: PoolMember, waiting = false): number {
  const count = Math.max(1, members.length);
  const equal = capPerSecond / count;
  // Alone, there is no one to lend to: a newcomer waits until this one has seen it (the join's rule).
  const idle = count === 1 ? capPerSecond : Math.min(IDLE_PER_SECOND, equal);
  if (self.state === 'idle' || waiting) return idle;
  if (self.state === 'busy') return equal;
  const idleOthers = members.filter((member) => member.instanceId !== self.instanceId && member.state === 'idle').length;
  return (capPerSecond - idleOthers * idle) / (count - idleOthers);
}

/**
 * Which live instance serves a lane (one recipient's rows): the one with the highest hash of lane and
 * instance (rendezvous hashing). Every instance computes the same answer from the same list, and when
 * an instance comes or goes only the lanes it held or takes move, so one person's messages stay with
 * one instance and in order. Undefined with no instance.
 */
export function ownerOf(lane: string, instances: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const id of instances) {
    const weight = createHash('md5').update(`${id}\u0000${lane}`).digest().readBigUInt64BE(0);
    if (weight > bestWeight || (weight === bestWeight && best !== undefined && id < best)) {
      best = id;
      bestWeight = weight;
    }
  }
  return best;
}
