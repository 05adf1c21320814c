import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/common/paths';

/** The compiled server that `npm test` builds into build-test/ before jest runs. */
export const BUILT = path.join(projectRoot(), 'build-test', 'src');

export function requireBuild(): void {
  if (!fs.existsSync(path.join(BUILT, 'main.js'))) {
    throw new Error('build-test/src/main.js is missing: run the tests with `npm test` (it compiles first)');
  }
}

export interface RunningServer {
  proc: ChildProcess;
  url: string;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node build-test/src/main.js` with the given environment; resolves when it is ready. */
export function startServer(env: Record<string, string>, timeoutMs = 90_000): Promise<RunningServer> {
  requireBuild();
  const proc = spawn(process.execPath, [path.join(BUILT, 'main.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start in time:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = out.match(/"url":"(http:\/\/localhost:\d+\/graphql)"[^\n]*NPS API ready/);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout!.off('data', check);
      resolve({
        proc,
        url: m[1].replace('localhost', '127.0.0.1'),
        output: () => out,
        stop: (signal = 'SIGTERM') => {
          proc.kill(signal);
          return exited;
        },
      });
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
    });
  });
}

/** Runs a compiled CLI (e.g. cli/apikey.js) to completion. */
export function runCli(script: string, args: string[], env: Record<string, string>) {
  requireBuild();
  return spawnSync(process.execPath, [path.join(BUILT, 'cli', script), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

export async function gqlHttp(url: string, key: string | null, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}
