import type { ChangeFeed } from '../../db/change-feed';
import { ReportCache } from './report-cache';

function fakeFeed() {
  let version = 0;
  let live = true;
  const feed: ChangeFeed & { setLive(v: boolean): void } = {
    version: () => version,
    live: () => live,
    bump: () => void version++,
    close: async () => {},
    setLive: (v) => void (live = v),
  };
  return feed;
}

function setup(ttlMs = 1000) {
  const feed = fakeFeed();
  let now = 0;
  const cache = new ReportCache(feed, { ttlMs, maxBytes: 1 << 20, clock: () => now });
  const tick = (ms: number) => void (now += ms);
  /** Runs one request: returns 'hit' with the kept data, or computes `data` and keeps it. */
  const ask = async (data: Record<string, unknown> | null, opts: { key?: string; vars?: Record<string, unknown>; fresh?: boolean } = {}) => {
    const t = cache.ticket(opts.key ?? 'k1', 'hash', null, opts.vars);
    if (!t) return { how: 'off' as const };
    const step = cache.begin(t, opts.fresh);
    if ('kept' in step) return { how: 'hit' as const, data: step.kept.data };
    if ('pending' in step) return { how: 'waited' as const, data: (await step.pending)?.data };
    step.settle(data);
    return { how: 'computed' as const, data };
  };
  return { feed, cache, tick, ask };
}

describe('ReportCache', () => {
  it('keeps an answer until the data version moves', async () => {
    const { feed, ask } = setup();
    expect((await ask({ n: 1 })).how).toBe('computed');
    expect(await ask({ n: 2 })).toEqual({ how: 'hit', data: { n: 1 } });
    feed.bump();
    expect(await ask({ n: 3 })).toEqual({ how: 'computed', data: { n: 3 } });
    expect(await ask(null)).toEqual({ how: 'hit', data: { n: 3 } });
  });

  it('keeps answers per key and per variables', async () => {
    const { ask } = setup();
    await ask({ n: 1 });
    expect((await ask({ n: 2 }, { key: 'k2' })).how).toBe('computed');
    expect((await ask({ n: 3 }, { vars: { from: 'x' } })).how).toBe('computed');
    expect(await ask(null, { key: 'k2' })).toEqual({ how: 'hit', data: { n: 2 } });
  });

  it('forgets an answer after ttlMs', async () => {
    const { tick, ask } = setup(1000);
    await ask({ n: 1 });
    tick(999);
    expect((await ask(null)).how).toBe('hit');
    tick(1);
    expect(await ask({ n: 2 })).toEqual({ how: 'computed', data: { n: 2 } });
  });

  it('does not keep an answer whose data changed while it was computed, nor errors', async () => {
    const { feed, cache, ask } = setup();
    const t = cache.ticket('k1', 'hash', null, {})!;
    const step = cache.begin(t);
    if (!('settle' in step)) throw new Error('expected to compute');
    feed.bump();
    step.settle({ n: 1 });
    expect(cache.size).toBe(0);
    expect((await ask(null)).how).toBe('computed');
    expect(cache.size).toBe(0);
  });

  it('caches nothing while the feed is not live', async () => {
    const { feed, ask } = setup();
    feed.setLive(false);
    expect((await ask({ n: 1 })).how).toBe('off');
    feed.setLive(true);
    expect((await ask({ n: 1 })).how).toBe('computed');
  });

  it('lets identical requests wait for the one in flight (single flight)', async () => {
    const { cache } = setup();
    const t1 = cache.ticket('k1', 'hash', null, {})!;
    const first = cache.begin(t1);
    const second = cache.begin(cache.ticket('k1', 'hash', null, {})!);
    expect('settle' in first && 'pending' in second).toBe(true);
    if (!('settle' in first) || !('pending' in second)) return;
    first.settle({ n: 7 });
    expect((await second.pending)?.data).toEqual({ n: 7 });
  });

  it('a waiter gets nothing when the one in flight failed or the data moved', async () => {
    const { feed, cache } = setup();
    const first = cache.begin(cache.ticket('k1', 'hash', null, {})!);
    const second = cache.begin(cache.ticket('k1', 'hash', null, {})!);
    if (!('settle' in first) || !('pending' in second)) throw new Error('expected a leader and a waiter');
    first.settle(null);
    expect(await second.pending).toBeNull();
    const third = cache.begin(cache.ticket('k1', 'hash', null, {})!);
    feed.bump();
    const fourth = cache.begin(cache.ticket('k1', 'hash', null, {})!);
    if (!('settle' in third)) throw new Error('expected to compute');
    // The fourth began after the change: it does not wait for an answer counted before it.
    expect('settle' in fourth).toBe(true);
  });

  it('Cache-Control: no-cache computes afresh and keeps the new answer', async () => {
    const { ask } = setup();
    await ask({ n: 1 });
    expect(await ask({ n: 2 }, { fresh: true })).toEqual({ how: 'computed', data: { n: 2 } });
    expect(await ask(null)).toEqual({ how: 'hit', data: { n: 2 } });
  });
});
