import { LRUCache } from 'lru-cache';

export interface ReadCacheOptions {
  /** How long a row read is trusted; 0 = never cached (every read goes to storage). */
  ttlMs: number;
  /** Most rows kept: a town's directory several times over, bounded whatever the traffic. */
  max?: number;
}

/**
 * Remembers rows that every turn reads (who is this, which language) and that change rarely, for a
 * short while. Only rows that exist are kept, so someone just added is found on their next message.
 * Whoever writes the row through this process evicts it at once; another instance's write is seen
 * once the entry expires, which is why the time is short.
 */
export class ReadCache<V extends object> {
  private readonly entries: LRUCache<string, V> | undefined;

  constructor(options: ReadCacheOptions) {
    this.entries = options.ttlMs > 0 ? new LRUCache<string, V>({ max: options.max ?? 50_000, ttl: options.ttlMs }) : undefined;
  }

  async read(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const kept = this.entries?.get(key);
    if (kept !== undefined) return kept;
    const loaded = await load();
    // Frozen: every reader shares the one object, so a caller changing it would change it for all.
    if (loaded !== undefined) this.entries?.set(key, Object.freeze(loaded));
    return loaded;
  }

  evict(key: string): void {
    this.entries?.delete(key);
  }

  clear(): void {
    this.entries?.clear();
  }
}
