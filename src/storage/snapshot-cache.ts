import { LRUCache } from 'lru-cache';

/**
 * Keeps one whole, small table slice per key (a tenant's directory, its people's chosen languages)
 * that every turn reads and that changes rarely. Older than `ttlMs`, the slice is still served while
 * a fresh one loads in the background, so no turn waits for a reload after the first; a reload that
 * fails keeps the old slice. Whoever writes through this process evicts at once; another instance's
 * write is seen within `ttlMs` plus one reload.
 */
export class SnapshotCache<V extends object> {
  private readonly slices: LRUCache<string, V> | undefined;

  /** `ttlMs` 0 = no cache: get answers undefined and callers read storage as they would without one. */
  constructor(ttlMs: number, load: (key: string) => Promise<V>) {
    this.slices =
      ttlMs > 0
        ? new LRUCache<string, V>({
            max: 1_000,
            ttl: ttlMs,
            allowStale: true,
            // A failed reload keeps the old slice, tried again on the next get; a failed first load
            // rejects the gets waiting on it with storage's error, read once, and keeps nothing.
            noDeleteOnFetchRejection: true,
            // A write's evict during a load: the gets already waiting (they asked before the write)
            // still get its slice, but it is not kept, so the next get loads what the write left.
            ignoreFetchAbort: true,
            // Frozen: every turn shares the one slice, so a caller changing it would change it for all.
            fetchMethod: async (key) => Object.freeze(await load(key)),
          })
        : undefined;
  }

  async get(key: string): Promise<V | undefined> {
    return this.slices?.forceFetch(key);
  }

  evict(key: string): void {
    this.slices?.delete(key);
  }

  clear(): void {
    this.slices?.clear();
  }
}
