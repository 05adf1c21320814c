import type { SeedProgress } from './index';

const n = (v: number) => Math.round(v).toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A progress reporter for seeding: on a terminal, one line redrawn in place (bar, responses,
 * rows/s, ETA); elsewhere (logs, CI) a plain line every tenth of the way. Returns the callback
 * for SeedOptions.onProgress and `end()` to finish the line.
 */
export function seedProgress(label: string, stream: NodeJS.WriteStream = process.stderr): { onProgress: (p: SeedProgress) => void; end: () => void } {
  const started = performance.now();
  let lastDraw = 0;
  let lastTenth = -1;
  let drawn = false;
  const line = (p: SeedProgress) => {
    const secs = (performance.now() - started) / 1000;
    const share = p.total ? p.responses / p.total : 1;
    const rate = p.rows / Math.max(secs, 1e-3);
    const eta = share > 0 ? (secs / share) * (1 - share) : Infinity;
    return { share, text: `${n(p.responses)}/${n(p.total)} responses, ${n(p.rows)} rows, ${n(rate)} rows/s, ${duration(secs)} elapsed, ETA ${duration(eta)}` };
  };
  return {
    onProgress(p) {
      const { share, text } = line(p);
      if (stream.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && p.responses < p.total) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${text}\x1b[K`);
        drawn = true;
      } else {
        const tenth = Math.floor(share * 10);
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        stream.write(`${label}: ${(share * 100).toFixed(0)}% ${text}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
