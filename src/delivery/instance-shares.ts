import { createHash } from 'node:crypto';

/** One instance's heartbeat as stored: who, and until when (its own clock) it counts. */
export interface InstanceBeat {
  instanceId: string;
  expiresAt: number;
}

/** The instances that count at `now`: a beat not yet expired. Sorted, so every instance lists them alike. */
export function liveInstances(beats: readonly InstanceBeat[], now: number): string[] {
  return [...new Set(beats.filter((beat) => beat.expiresAt > now).map((beat) => beat.instanceId))].sort();
}

/**
 * Each live instance's calls per second: equal parts of the cap, so together they make the cap and
 * never more. An instance missing from the list (not yet seen, or expired) gets none.
 */
export function sharesOf(capPerSecond: number, instances: readonly string[]): Map<string, number> {
  const unique = [...new Set(instances)];
  return new Map(unique.map((id) => [id, capPerSecond / unique.length]));
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
