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
  constructor(
    ttlMs: number,
    private readonly load: (key: string) => Promise<V>,
  ) {
    this.slices =
      ttlMs > 0
        ? new LRUCache<string, V>({
            max: 1_000,
            ttl: ttlMs,
            allowStale: true,
            noDeleteOnFetchRejection: true,
            allowStaleOnFetchRejection: true,
            // Frozen: every turn shares the one slice, so a caller changing it would change it for all.
            fetchMethod: async (key) => Object.freeze(await load(key)),
          })
        : undefined;
  }

  async get(key: string): Promise<V | undefined> {
    if (!this.slices) return undefined;
    return (await this.slices.fetch(key)) ?? this.load(key);
  }

  evict(key: string): void {
    this.slices?.delete(key);
  }

  clear(): void {
    this.slices?.clear();
  }
}
