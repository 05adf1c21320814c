import { Client, Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from '../common/logging';

/** The channel the notify_data_changed() triggers send on (migration 1764001200000). */
export const DATA_CHANGED = 'data_changed';

/**
 * A counter that moves whenever committed data that a report can show may have changed: on every
 * data_changed notification, whoever wrote (this process, another instance, psql). The report
 * cache keeps an answer only while the counter stands where it stood when the answer's request
 * began. `live` is false while notifications could be missed (the listening connection is down);
 * nothing may be cached then.
 */
export interface ChangeFeed {
  version(): number;
  live(): boolean;
  /** Moves the counter by hand (a writer that bypasses the triggers, tests). */
  bump(): void;
  close(): Promise<void>;
}

const RECONNECT_MS = [100, 500, 1000, 5000];

/**
 * Every connection of the DataSource's pool LISTENs too: a connection that commits a change gets
 * its own notification before the COMMIT returns, so a request that wrote and the next request
 * never see the old answer, with no wait for the listener. On the embedded database the one
 * backend is shared by every socket connection: one LISTEN covers them all, and the notification
 * arrives on the connection that committed.
 */
function listenOnPool(ds: DataSource, embedded: boolean, onNotify: () => void): void {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  const hooked = new WeakSet<PoolClient>();
  const hook = (client: PoolClient) => {
    if (hooked.has(client)) return;
    hooked.add(client);
    client.on('notification', (m) => {
      if (m.channel === DATA_CHANGED) onNotify();
    });
    // Queued ahead of the caller's first statement on this client. Failing (a broken connection)
    // is the caller's statement's error to report.
    if (!embedded) client.query(`LISTEN ${DATA_CHANGED}`).catch(() => {});
  };
  pool.on('connect', hook);
  pool.on('acquire', hook);
}

/**
 * PostgreSQL: one dedicated connection LISTENs (reconnecting with backoff; not live meanwhile,
 * and the counter moves on reconnecting since anything may have changed), and every pool
 * connection listens as well (listenOnPool).
 */
async function postgresFeed(ds: DataSource, url: string, logger?: Logger): Promise<ChangeFeed> {
  let version = 0;
  let live = false;
  let closed = false;
  let client: Client | null = null;
  let attempt = 0;
  const bump = () => {
    version++;
  };
  listenOnPool(ds, false, bump);
  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: url, application_name: 'nps-change-feed' });
    c.on('notification', (m) => {
      if (m.channel === DATA_CHANGED) bump();
    });
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      live = false;
      bump();
      c.end().catch(() => {});
      if (closed) return;
      logger?.warn({ err }, 'change feed: listening connection lost; report cache off until it is back');
      setTimeout(() => void connect().catch(() => {}), RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]).unref();
    };
    c.on('error', lost);
    c.on('end', () => lost());
    try {
      await c.connect();
      await c.query(`LISTEN ${DATA_CHANGED}`);
    } catch (err) {
      client = c;
      lost(err as Error);
      throw err;
    }
    if (closed) {
      await c.end();
      return;
    }
    client = c;
    attempt = 0;
    bump();
    live = true;
  };
  await connect().catch(() => {});
  return {
    version: () => version,
    live: () => live,
    bump,
    async close() {
      closed = true;
      live = false;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

/** The embedded database: its one backend LISTENs once; notifications arrive on the pool's clients. */
async function embeddedFeed(ds: DataSource): Promise<ChangeFeed> {
  let version = 0;
  const bump = () => {
    version++;
  };
  listenOnPool(ds, true, bump);
  await ds.query(`LISTEN ${DATA_CHANGED}`);
  return { version: () => version, live: () => true, bump, close: async () => {} };
}

/** The change feed of an initialised DataSource: PostgreSQL when `url` is given, else embedded. */
export function createChangeFeed(ds: DataSource, opts: { url?: string; logger?: Logger }): Promise<ChangeFeed> {
  return opts.url ? postgresFeed(ds, opts.url, opts.logger) : embeddedFeed(ds);
}
