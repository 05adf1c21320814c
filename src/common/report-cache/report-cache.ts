import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ChangeFeed } from '../../db/change-feed';

/** One kept answer: the data of a response without errors, and when and at what data version its request began. */
export interface CachedAnswer {
  version: number;
  at: number;
  data: Record<string, unknown>;
}

export interface ReportCacheOptions {
  /** How long an answer is kept at most, in ms: how far behind the clock (not the data) it may be. */
  ttlMs: number;
  /** The memory the kept answers may take, roughly (their JSON length). */
  maxBytes: number;
  clock?: () => number;
}

/** What a request learnt when it began: its key and the data version then. */
export interface Ticket {
  key: string;
  version: number;
  at: number;
}

/**
 * Answers of report queries, per API key and request (document, operation, variables), valid
 * while the change feed's version stands where it stood when the answering request began and
 * for at most ttlMs. Concurrent identical requests wait for the first one instead of each
 * computing the same figures (single flight).
 *
 * Why the version read at the start is safe: the request's statements take their snapshots after
 * it, so its figures include every commit notified before it; a commit the snapshots missed is
 * notified later, which moves the version and retires the answer.
 */
export class ReportCache {
  private readonly lru: LRUCache<string, CachedAnswer>;
  private readonly inflight = new Map<string, { version: number; answer: Promise<CachedAnswer | null> }>();
  private readonly clock: () => number;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly opts: ReportCacheOptions,
  ) {
    this.clock = opts.clock ?? (() => performance.now());
    this.lru = new LRUCache<string, CachedAnswer>({ maxSize: Math.max(1, opts.maxBytes), sizeCalculation: (_v, k) => k.length + 64 + sizeOf(_v) });
  }

  /** A ticket for this request, or null when nothing may be cached now (the feed is not live). */
  ticket(keyId: string, queryHash: string, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): Ticket | null {
    if (!this.feed.live()) return null;
    const key = createHash('sha256')
      .update(`${keyId}\0${queryHash}\0${operationName ?? ''}\0${JSON.stringify(variables ?? {})}`)
      .digest('base64url');
    return { key, version: this.feed.version(), at: this.clock() };
  }

  /**
   * What the ticket's request should do, decided at once (no other request can slip in between):
   * answer with a kept answer; wait for an identical request in flight (then answer with its
   * result if still valid, else compute); or compute, settling the answer with the response's
   * data (null if it had errors). `fresh` (Cache-Control: no-cache) always computes.
   */
  begin(t: Ticket, fresh = false): { kept: CachedAnswer } | { pending: Promise<CachedAnswer | null> } | { settle: (data: Record<string, unknown> | null) => void } {
    const pending = this.inflight.get(t.key);
    if (!fresh) {
      const kept = this.valid(t, this.lru.get(t.key));
      if (kept) return { kept };
      // Only for an answer counted at the same data version as this request would count.
      if (pending?.version === t.version) return { pending: pending.answer.then((a) => this.valid(t, a)) };
    }
    return { settle: this.compute(t) };
  }

  /** Computes the ticket's answer: the callback keeps the response's data (null: it had errors). */
  compute(t: Ticket): (data: Record<string, unknown> | null) => void {
    const other = this.inflight.get(t.key);
    if (other && other.version >= t.version) return (data) => void this.keep(t, data);
    let resolve!: (a: CachedAnswer | null) => void;
    const flight = { version: t.version, answer: new Promise<CachedAnswer | null>((r) => (resolve = r)) };
    this.inflight.set(t.key, flight);
    return (data) => {
      if (this.inflight.get(t.key) === flight) this.inflight.delete(t.key);
      resolve(this.keep(t, data));
    };
  }

  private valid(t: Ticket, a: CachedAnswer | null | undefined): CachedAnswer | null {
    return a && a.version === t.version && t.at - a.at < this.opts.ttlMs ? a : null;
  }

  private keep(t: Ticket, data: Record<string, unknown> | null): CachedAnswer | null {
    // A change committed while the request ran retires the answer at once: not worth keeping.
    if (!data || !this.feed.live() || this.feed.version() !== t.version) return null;
    const answer: CachedAnswer = { version: t.version, at: t.at, data };
    this.lru.set(t.key, answer);
    return answer;
  }

  /** Answers kept (for tests and metrics). */
  get size(): number {
    return this.lru.size;
  }

  clear(): void {
    this.lru.clear();
  }
}

const sizes = new WeakMap<object, number>();
function sizeOf(a: CachedAnswer): number {
  let n = sizes.get(a.data);
  if (n === undefined) {
    n = JSON.stringify(a.data).length;
    sizes.set(a.data, n);
  }
  return n;
}
