import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface BenchServer {
  url: string;
  pid: number;
  /** Peak RSS of the server process so far, in MB (VmHWM, or the highest sample). */
  peakRssMb(): number;
  /** Null while it runs; else how it ended and the tail of its output. */
  died(): string | null;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const statusKb = (pid: number, field: string): number => {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};

const READY_TIMEOUT_MS = 30 * 60_000;

/**
 * Starts the compiled server (dist/src/main.js) on a free 127.0.0.1 port against `databaseUrl`,
 * with EXPOSE_QUERY_STATS=1 (so NODE_ENV=development; the flag is refused in production) and
 * demo seeding off; resolves when /readyz answers. Samples its RSS every 200 ms.
 */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort();
  const main = path.join(__dirname, '..', 'src', 'main.js');
  const proc: ChildProcess = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      EXPOSE_QUERY_STATS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  let exited = false;
  let ending: string | null = null;
  let stopping = false;
  const exit = new Promise<void>((resolve) =>
    proc.on('exit', (code, signal) => {
      exited = true;
      if (!stopping) ending = `the server exited (code ${code}, signal ${signal}); its last output:\n${out.slice(-4000)}`;
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  // The server migrates before it listens: a reused database may have a new migration to apply
  // (a backfill over millions of rows takes minutes), so the wait is long.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`the server exited before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the server was not ready in ${READY_TIMEOUT_MS / 60_000} minutes:\n${out}`);
    }
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let sampled = 0;
  const timer = setInterval(() => (sampled = Math.max(sampled, statusKb(proc.pid!, 'VmRSS'))), 200);
  timer.unref();
  return {
    url: `${base}/graphql`,
    pid: proc.pid!,
    peakRssMb: () => Math.round(Math.max(sampled, statusKb(proc.pid!, 'VmHWM')) / 1024),
    died: () => ending,
    async stop() {
      stopping = true;
      clearInterval(timer);
      if (exited) return;
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };
}
