import { SnapshotCache } from '../../src/storage/snapshot-cache';

interface Slice {
  version: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lets a reload already under way finish: its loader answered, lru-cache stored what it gave. */
const settle = () => sleep(5);

/**
 * Storage as the loader sees it: counts reads and answers `answer` (a slice, or a failure) as it was
 * when the read began. While `hold` is set, reads wait until `release()`, so a test can look at what
 * callers get while a load is still under way.
 */
function storage(first: Slice) {
  let opened: () => void = () => undefined;
  const store = {
    reads: [] as string[],
    answer: first as Slice | Error,
    hold: undefined as Promise<void> | undefined,
    holdReads() {
      store.hold = new Promise<void>((resolve) => (opened = resolve));
    },
    release() {
      store.hold = undefined;
      opened();
    },
    load: async (key: string): Promise<Slice> => {
      store.reads.push(key);
      const answer = store.answer;
      if (store.hold) await store.hold;
      if (answer instanceof Error) throw answer;
      return { ...answer };
    },
  };
  return store;
}

describe('SnapshotCache (one whole slice per key, served stale while a fresh one loads)', () => {
  it('with ttl 0 answers undefined and never reads storage, so callers read it themselves', async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(0, store.load);
    expect(await cache.get('t')).toBeUndefined();
    expect(await cache.get('t')).toBeUndefined();
    expect(store.reads).toEqual([]);
  });

  it('loads a key once however many turns ask for it at the same moment', async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(60_000, store.load);
    store.holdReads();
    const gets = Promise.all([1, 2, 3, 4, 5].map(() => cache.get('t')));
    await settle();
    expect(store.reads).toEqual(['t']);
    store.release();
    const slices = await gets;
    expect(slices[0]).toEqual({ version: 1 });
    for (const slice of slices) expect(slice).toBe(slices[0]);
    expect(store.reads).toEqual(['t']);
  });

  it('within the ttl answers the kept slice without reading storage again', async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(60_000, store.load);
    expect(await cache.get('t')).toEqual({ version: 1 });
    store.answer = { version: 2 };
    await sleep(50);
    expect(await cache.get('t')).toEqual({ version: 1 });
    await settle();
    expect(await cache.get('t')).toEqual({ version: 1 });
    expect(store.reads).toEqual(['t']);
  });

  it('after the ttl answers the old slice at once and the reload in the background replaces it', async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(100, store.load);
    await cache.get('t');
    store.answer = { version: 2 };
    await sleep(150);

    store.holdReads();
    // The reload is held: a get that waited for it would lose this race.
    const first = await Promise.race([cache.get('t'), sleep(1_000).then(() => 'waited for the reload')]);
    expect(first).toEqual({ version: 1 });
    expect(store.reads).toEqual(['t', 't']);

    store.release();
    await settle();
    expect(await cache.get('t')).toEqual({ version: 2 });
    expect(store.reads).toEqual(['t', 't']);
  });

  // A reload's rejection left unhandled fails this test: jest reports it against the test running. A
  // listener on `process` here would hear nothing, as each test file gets a copy of the real one.
  it('a reload that fails keeps serving the old slice, is tried again on the next get, and leaves no rejection unhandled', async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(100, store.load);
    await cache.get('t');
    store.answer = new Error('storage down');
    await sleep(150);

    expect(await cache.get('t')).toEqual({ version: 1 });
    await settle();
    expect(await cache.get('t')).toEqual({ version: 1 });
    await settle();
    expect(store.reads).toEqual(['t', 't', 't']);

    store.answer = { version: 2 };
    expect(await cache.get('t')).toEqual({ version: 1 });
    await settle();
    expect(await cache.get('t')).toEqual({ version: 2 });
  });

  it("a first load that fails rejects every get waiting on it with storage's error, reading once, and is not kept", async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(60_000, store.load);
    const down = new Error('storage down');
    store.answer = down;
    const gets = await Promise.allSettled([1, 2, 3, 4, 5].map(() => cache.get('t')));
    expect(gets).toEqual(Array(5).fill({ status: 'rejected', reason: down }));
    expect(store.reads).toEqual(['t']);

    store.answer = { version: 1 };
    expect(await cache.get('t')).toEqual({ version: 1 });
    expect(store.reads).toEqual(['t', 't']);
  });

  it('evict drops one key and clear drops all, so the next get of each reads storage', async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(60_000, store.load);
    await cache.get('a');
    await cache.get('b');
    store.answer = { version: 2 };

    cache.evict('a');
    expect(await cache.get('a')).toEqual({ version: 2 });
    expect(await cache.get('b')).toEqual({ version: 1 });

    cache.clear();
    expect(await cache.get('b')).toEqual({ version: 2 });
    expect(store.reads).toEqual(['a', 'b', 'a', 'b']);
  });

  it('a write that evicts while a load is under way: the turn waiting on it is answered, the next get reads what the write left', async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(60_000, store.load);
    store.holdReads();
    const waiting = cache.get('t');
    await settle();
    store.answer = { version: 2 };
    cache.evict('t');
    store.release();
    // Either slice is right for that turn: it asked before the write was done.
    expect([1, 2]).toContain((await waiting)?.version);
    expect(await cache.get('t')).toEqual({ version: 2 });
  });

  it('hands out a frozen slice, so one turn cannot change what the next one reads', async () => {
    const store = storage({ version: 1 });
    const cache = new SnapshotCache(60_000, store.load);
    const slice = await cache.get('t');
    expect(Object.isFrozen(slice)).toBe(true);
    expect(() => {
      (slice as Slice).version = 9;
    }).toThrow(TypeError);
    expect(await cache.get('t')).toEqual({ version: 1 });
  });
});
