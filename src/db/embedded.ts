import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite served over a Unix socket, so TypeORM talks to it with the ordinary `pg` driver.
 * With a pool of one connection a transaction holds the only session: real isolation.
 * (typeorm-pglite shares one session between callers and breaks isolation; see STACK-NOTES.)
 */
export interface EmbeddedDatabase {
  /** Folder holding the socket `.s.PGSQL.5432`; use it as the pg `host`. */
  socketDir: string;
  db: PGlite;
  close(): Promise<void>;
}

export const SOCKET_PORT = 5432;

export class DataDirLockedError extends Error {}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims the data folder for this process, refusing when another live process holds it. */
function lockDataDir(dir: string): () => void {
  const lockFile = path.join(dir, 'owner.pid');
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8').trim());
    if (pid && pid !== process.pid && pidAlive(pid)) {
      throw new DataDirLockedError(
        `The embedded database in ${dir} is in use by process ${pid} (the server?). ` +
          'Stop it first, or go through the API; PGlite allows one process per data folder.',
      );
    }
  } catch (e) {
    if (e instanceof DataDirLockedError) throw e;
  }
  fs.writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  };
}

export async function startEmbedded(options: {
  dataDir?: string;
  loadDataDir?: Blob | File;
  socketDir?: string;
}): Promise<EmbeddedDatabase> {
  let unlock = () => {};
  let pgDir: string | undefined;
  if (options.dataDir) {
    const root = path.resolve(options.dataDir);
    fs.mkdirSync(root, { recursive: true });
    unlock = lockDataDir(root);
    pgDir = path.join(root, 'pgdata');
  }
  const socketDir = options.socketDir ?? (options.dataDir ? path.resolve(options.dataDir) : fs.mkdtempSync('/tmp/pgl-'));
  const socketPath = path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  if (socketPath.length > 100) throw new Error(`Socket path too long for a Unix socket: ${socketPath}`);
  fs.rmSync(socketPath, { force: true });
  const db = await PGlite.create({ dataDir: pgDir, loadDataDir: options.loadDataDir });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 8 });
  await server.start();
  let closed = false;
  return {
    socketDir,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      await db.close();
      fs.rmSync(socketPath, { force: true });
      unlock();
    },
  };
}
