import pg from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { dataSourceOptions } from '../../../ormconfig';
import type { Queryable } from '../../context';
import { redactUrl } from '../../common/config';
import type { Logger } from '../../common/logging';
import { createPoolReportRunner, ReportRunner } from '../report-runner';
import { failoverPg, Obtained } from './failover-pg';
import { parseLsn } from './lsn';
import { replicaFailure, ReplicaFailure } from './replica-errors';
import type { WritePositions } from './write-positions';

/** Where a request's reads can run: a replica's DataSource (its manager is ctx.em) and reporting runner (ctx.reports). */
export interface ReadTarget {
  readonly name: string;
  readonly ds: DataSource;
  readonly reports: Queryable;
}

/** One replica as /readyz reports it. */
export interface ReplicaStatus {
  name: string;
  /** Answered the probe, and is in recovery (a standby). */
  healthy: boolean;
  /** WAL bytes the primary has written that the replica has not replayed; null when unknown. */
  lagBytes: number | null;
  /** Seconds since the replica replayed its last transaction when it is behind; 0 when caught up. */
  lagSeconds: number | null;
  /** Requests whose reads it served since start. */
  reads: number;
  /** Statements it could not serve that ran on the primary instead, by cause. */
  fallbacks: Record<ReplicaFailure, number>;
  /** While left out after a failure: until when (ISO). */
  retryAt: string | null;
}

class Replica implements ReadTarget {
  readonly name: string;
  ds!: DataSource;
  reports!: Queryable;
  runner!: ReportRunner;
  /** Small pool for replay-position probes, with short timeouts. */
  readonly probe: pg.Pool;
  /** Left out until this time (ms) after a failure. */
  downUntil = 0;
  /** The highest replay position seen: no probe needed for positions at or below it. */
  replayed = 0n;
  reads = 0;
  readonly fallbacks: Record<ReplicaFailure, number> = { unavailable: 0, 'recovery-conflict': 0, 'read-only': 0 };

  constructor(
    readonly url: string,
    private readonly retryMs: number,
    private readonly log: Logger,
  ) {
    this.name = redactUrl(url);
    this.probe = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 1_000, statement_timeout: 1_000, application_name: 'nps-api-replica-probe' });
    this.probe.on('error', (err) => this.failed('unavailable', err));
  }

  usable(): boolean {
    return Date.now() >= this.downUntil;
  }

  failed(kind: ReplicaFailure, err: unknown): void {
    this.fallbacks[kind]++;
    if (kind === 'unavailable') {
      const first = this.usable();
      this.downUntil = Date.now() + this.retryMs;
      if (first) this.log.warn({ replica: this.name, err: (err as Error)?.message, retryMs: this.retryMs }, 'replica unavailable: reads go elsewhere until it is retried');
    } else {
      this.log.info({ replica: this.name, kind, err: (err as Error)?.message }, 'statement retried on the primary');
    }
  }

  /** pg_last_wal_replay_lsn() now; null (and left out) when the replica does not answer. */
  async replayLsn(): Promise<bigint | null> {
    try {
      const { rows } = await this.probe.query('SELECT pg_last_wal_replay_lsn()::text AS lsn');
      if (!rows[0]?.lsn) return null;
      const lsn = parseLsn(rows[0].lsn);
      if (lsn > this.replayed) this.replayed = lsn;
      return lsn;
    } catch (err) {
      this.failed(replicaFailure(err) ?? 'unavailable', err);
      return null;
    }
  }
}

/**
 * Sends the reads of read-only requests to PostgreSQL streaming replicas (DATABASE_REPLICA_URLS).
 * TypeORM's own `replication` option picks a replica at random per statement and checks neither
 * health nor replay position; this router picks one per request:
 *
 * - round robin over the replicas that are usable (one that failed is left out for retryMs, then
 *   tried again), the primary when none is: pick() answers null;
 * - read your writes: given the WAL position of the key's last write, only a replica that has
 *   replayed past it (pg_last_wal_replay_lsn()), else the primary;
 * - a statement the chosen replica cannot serve (unreachable, cancelled by the standby for a
 *   conflict with recovery, a write) runs again on the primary (failover-pg.ts for ctx.em, the
 *   reports wrapper below for ctx.reports): the client sees no error.
 *
 * Mutations and transactions never come here: they run on the primary (the server plugin, and
 * transaction() in src/transaction.ts).
 */
export class ReadRouter {
  private next = 0;
  /** Read-only requests that ran on the primary because no replica could serve them. */
  primaryReads = 0;

  private constructor(
    private readonly primary: DataSource,
    private readonly replicas: Replica[],
    readonly positions: WritePositions,
  ) {}

  static async open(opts: {
    urls: string[];
    primary: DataSource;
    /** Where a report goes when the replica cannot run it. */
    primaryReports: Queryable;
    positions: WritePositions;
    retryMs: number;
    poolMax?: number;
    reportingPoolMax: number;
    reportTimeoutMs: number;
    logger: Logger;
  }): Promise<ReadRouter> {
    const log = opts.logger.child({ component: 'read-router' });
    const primaryConnection = (): Promise<Obtained> => (opts.primary.driver as PostgresDriver).obtainMasterConnection() as Promise<Obtained>;
    const replicas: Replica[] = [];
    try {
      for (const url of opts.urls) {
        const r = new Replica(url, opts.retryMs, log);
        replicas.push(r);
        const driver = failoverPg({ usable: () => r.usable(), failed: (kind, err) => r.failed(kind, err), primary: primaryConnection });
        r.ds = new DataSource({ ...dataSourceOptions({ url, poolMax: opts.poolMax }), driver } as DataSourceOptions);
        r.runner = createPoolReportRunner({ url, max: opts.reportingPoolMax, timeoutMs: opts.reportTimeoutMs, logger: log, queryLogger: opts.primary.logger });
        r.reports = fallbackReports(r, opts.primaryReports);
        await r.ds.initialize();
      }
    } catch (e) {
      await Promise.all(replicas.map((r) => closeReplica(r)));
      throw e;
    }
    await opts.positions.ready();
    return new ReadRouter(opts.primary, replicas, opts.positions);
  }

  get size(): number {
    return this.replicas.length;
  }

  /**
   * The replica a read-only request runs on, or null for the primary. `after`: the WAL position
   * the request must see (its key's last write), which the replica must have replayed.
   */
  async pick(after: bigint | null): Promise<ReadTarget | null> {
    const n = this.replicas.length;
    for (let i = 0; i < n; i++) {
      const at = (this.next + i) % n;
      const r = this.replicas[at];
      if (!r.usable()) continue;
      if (after !== null && r.replayed < after) {
        const lsn = await r.replayLsn();
        if (lsn === null || lsn < after) continue;
      }
      this.next = (at + 1) % n;
      r.reads++;
      return r;
    }
    this.primaryReads++;
    return null;
  }

  /** The primary's WAL position now (after a request's writes committed), recorded for the key. */
  async recordWrite(keyId: string | null): Promise<bigint> {
    const [row] = await this.primary.query('SELECT pg_current_wal_lsn()::text AS lsn');
    const lsn = parseLsn(row.lsn);
    if (keyId) await this.positions.record(keyId, lsn);
    return lsn;
  }

  /** Replication lag and health of every replica (for /readyz; reported, never failing it). */
  async status(): Promise<ReplicaStatus[]> {
    let primaryLsn: bigint | null = null;
    try {
      const [row] = await this.primary.query('SELECT pg_current_wal_lsn()::text AS lsn');
      primaryLsn = parseLsn(row.lsn);
    } catch {
      /* the primary's own check answers for it */
    }
    return Promise.all(
      this.replicas.map(async (r) => {
        const base = { name: r.name, reads: r.reads, fallbacks: { ...r.fallbacks } };
        try {
          const { rows } = await r.probe.query(
            `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn,
                    extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age`,
          );
          const replayed = rows[0].lsn ? parseLsn(rows[0].lsn) : null;
          if (replayed !== null && replayed > r.replayed) r.replayed = replayed;
          const lagBytes = primaryLsn !== null && replayed !== null ? Number(primaryLsn > replayed ? primaryLsn - replayed : 0n) : null;
          const lagSeconds = lagBytes === null ? null : lagBytes === 0 ? 0 : Math.max(0, Math.round((rows[0].age ?? 0) * 1000) / 1000);
          return { ...base, healthy: rows[0].standby === true, lagBytes, lagSeconds, retryAt: r.usable() ? null : new Date(r.downUntil).toISOString() };
        } catch (err) {
          r.failed('unavailable', err);
          return { ...base, healthy: false, lagBytes: null, lagSeconds: null, retryAt: new Date(r.downUntil).toISOString() };
        }
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => closeReplica(r)));
    await this.positions.close();
  }
}

/** ctx.reports of a request on replica r: the replica's reporting pool, the primary's when r cannot run it. */
function fallbackReports(r: Replica, primary: Queryable): Queryable {
  return {
    async query(sql: string, params?: unknown[]) {
      if (!r.usable()) return primary.query(sql, params);
      try {
        return await r.runner.query(sql, params);
      } catch (err) {
        const kind = replicaFailure(err);
        if (!kind) throw err;
        r.failed(kind, err);
        return primary.query(sql, params);
      }
    },
  };
}

async function closeReplica(r: Replica): Promise<void> {
  await r.runner?.close().catch(() => undefined);
  if (r.ds?.isInitialized) await r.ds.destroy().catch(() => undefined);
  await r.probe.end().catch(() => undefined);
}
