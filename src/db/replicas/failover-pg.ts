import { EventEmitter } from 'node:events';
import pg from 'pg';
import { replicaFailure, ReplicaFailure } from './replica-errors';

/** A connection and its release, as TypeORM's PostgreSQL driver obtains them. */
export type Obtained = [pg.PoolClient, (err?: Error | boolean) => void];

export interface FailoverHooks {
  /** Whether the replica may be used now (not left out after a failure). */
  usable(): boolean;
  /** The replica failed (connecting, or a statement): leave it out for a while if it is unavailable. */
  failed(kind: ReplicaFailure, err: unknown): void;
  /** A connection to the primary, for a statement the replica could not serve. */
  primary(): Promise<Obtained>;
}

/**
 * A connection to a replica whose statements fall back to the primary: a statement that fails
 * because of the replica (replicaFailure: unreachable, standby cancellation, a write) runs again on
 * a primary connection, taken for that statement only. Not inside a transaction the statement
 * opened on the replica: then the error stands (transactions of requests run on the primary anyway,
 * src/transaction.ts).
 */
class FailoverClient extends EventEmitter {
  private inTransaction = false;

  constructor(
    private readonly inner: pg.PoolClient,
    private readonly hooks: FailoverHooks,
  ) {
    super();
  }

  override on(event: string | symbol, listener: (...args: any[]) => void): this {
    this.inner.on(event as any, listener);
    return this;
  }

  override removeListener(event: string | symbol, listener: (...args: any[]) => void): this {
    this.inner.removeListener(event as any, listener);
    return this;
  }

  async query(sql: string, params?: unknown[]): Promise<pg.QueryResult> {
    if (/^\s*(START TRANSACTION|BEGIN)\b/i.test(sql)) this.inTransaction = true;
    else if (/^\s*(COMMIT|ROLLBACK|END)\s*;?\s*$/i.test(sql)) this.inTransaction = false;
    try {
      return await this.inner.query(sql, params as any[]);
    } catch (err) {
      const kind = replicaFailure(err);
      if (!kind || this.inTransaction) throw err;
      this.hooks.failed(kind, err);
      const [client, release] = await this.hooks.primary();
      try {
        return await client.query(sql, params as any[]);
      } finally {
        release();
      }
    }
  }
}

/**
 * The `pg` module as TypeORM's PostgreSQL driver uses it (DataSourceOptions.driver), with a Pool
 * that connects to the replica while it is usable and to the primary otherwise (or when
 * connecting to the replica fails), and hands out connections whose statements fall back to the
 * primary (FailoverClient). A replica's DataSource is built on it, so every read of a request
 * routed to the replica (TypeORM finds, query builders, raw em.query) survives the replica.
 */
export function failoverPg(hooks: FailoverHooks): typeof pg {
  const guarded = new WeakSet<pg.PoolClient>();
  class FailoverPool extends EventEmitter {
    readonly replica: pg.Pool;

    constructor(options: pg.PoolConfig) {
      super();
      this.replica = new pg.Pool(options);
      // Idle replica connections that die (replica stopped) must not crash the process.
      this.replica.on('error', (err) => {
        hooks.failed('unavailable', err);
        this.emit('error', err);
      });
    }

    private async obtain(): Promise<Obtained> {
      if (!hooks.usable()) return hooks.primary();
      let client: pg.PoolClient;
      try {
        client = await this.replica.connect();
      } catch (err) {
        hooks.failed('unavailable', err);
        return hooks.primary();
      }
      // Its connection may die while checked out (the replica stopped): the pool listens for that
      // only while it is idle, and an unheard 'error' would crash the process.
      if (!guarded.has(client)) {
        guarded.add(client);
        client.on('error', (err) => hooks.failed('unavailable', err));
      }
      return [new FailoverClient(client, hooks) as unknown as pg.PoolClient, (err?: Error | boolean) => client.release(err)];
    }

    connect(cb?: (err: Error | undefined, client?: pg.PoolClient, release?: (err?: Error | boolean) => void) => void): any {
      const obtained = this.obtain();
      if (!cb) return obtained.then(([client]) => client);
      obtained.then(
        ([client, release]) => cb(undefined, client, release),
        (err) => cb(err),
      );
    }

    end(cb?: (err?: Error) => void): any {
      const ended = this.replica.end();
      if (!cb) return ended;
      ended.then(() => cb(), cb);
    }
  }
  return { ...pg, Pool: FailoverPool as unknown as typeof pg.Pool } as typeof pg;
}
