import fs from 'node:fs';
import path from 'node:path';
import { FileRecord, readRecords } from './import/records';

const USAGE = `Usage: npm run import -- FILE --url URL --key KEY [options]

Loads responses from a CSV file (header row: externalRef, surveyCode, score, respondedAt, comment,
channel, touchpoint, departmentCode, agentEmail, followUpAnswers (JSON), customer.externalRef,
customer.region, customer.plan, customer.spend, ...) or a JSON Lines file (one ResponseInput-shaped
object a line) through the API (submitResponseRows), so the key's role, rate limit and webhooks apply.

  --url URL            the GraphQL endpoint (or API_URL)
  --key KEY            an INTEGRATION or ADMIN key (or API_KEY)
  --format csv|jsonl   default: from the extension (.jsonl, .ndjson: jsonl; else csv)
  --delimiter C        CSV delimiter (default ","; "tab" for a tab)
  --encoding E         file encoding (default utf-8; utf-16le, latin1, windows-1252...); a UTF-8 BOM is dropped
  --batch-size N       rows per call, 1-1000 (default 1000)
  --checkpoint FILE    progress file (default FILE.import-checkpoint.json); a rerun resumes from it
  --rejects FILE       rejected and conflicting rows as CSV: line, externalRef, status, field, reason (default FILE.rejects.csv)
  --dry-run            read and check the whole file, send nothing
  --no-progress        no progress line on stderr

Exit code: 0 every row stored or already there; 2 some rows rejected or conflicting (see the rejects file); 1 fatal.`;

class Fatal extends Error {}

export interface ImportOptions {
  file: string;
  url: string;
  key: string;
  format: 'csv' | 'jsonl';
  delimiter: string;
  encoding: string;
  batchSize: number;
  checkpoint: string;
  rejects: string;
  dryRun: boolean;
  progress: boolean;
}

export function parseImportArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ImportOptions | 'help' {
  const flags: Record<string, string | true> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--dry-run' || a === '--no-progress') flags[a.slice(2)] = true;
    else if (a.startsWith('--')) {
      const value = argv[++i];
      if (value === undefined) throw new Fatal(`${a} needs a value`);
      flags[a.slice(2)] = value;
    } else files.push(a);
  }
  const known = ['url', 'key', 'format', 'delimiter', 'encoding', 'batch-size', 'checkpoint', 'rejects', 'dry-run', 'no-progress'];
  const unknown = Object.keys(flags).filter((f) => !known.includes(f));
  if (unknown.length) throw new Fatal(`unknown option --${unknown[0]}`);
  if (files.length !== 1) throw new Fatal('give exactly one FILE');
  const file = files[0];
  const str = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const dryRun = flags['dry-run'] === true;
  const url = str('url') ?? env.API_URL ?? '';
  const key = str('key') ?? env.API_KEY ?? '';
  if (!dryRun && !url) throw new Fatal('--url (or API_URL) is required');
  if (!dryRun && !key) throw new Fatal('--key (or API_KEY) is required');
  const format = str('format') ?? (/\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv');
  if (format !== 'csv' && format !== 'jsonl') throw new Fatal('--format must be csv or jsonl');
  const delimiter = str('delimiter') === 'tab' ? '\t' : (str('delimiter') ?? ',');
  if ([...delimiter].length !== 1 || delimiter === '"' || delimiter === '\n') throw new Fatal('--delimiter must be one character (not a quote or a line break)');
  const batchSize = Number(str('batch-size') ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw new Fatal('--batch-size must be a whole number from 1 to 1000');
  return {
    file,
    url,
    key,
    format,
    delimiter,
    encoding: str('encoding') ?? 'utf-8',
    batchSize,
    checkpoint: str('checkpoint') ?? `${file}.import-checkpoint.json`,
    rejects: str('rejects') ?? `${file}.rejects.csv`,
    dryRun,
    progress: flags['no-progress'] !== true,
  };
}

interface Counts {
  read: number;
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

/**
 * What a run leaves behind so that a rerun after any interruption (kill -9 included) resumes: the
 * records done, the counts, the size of the rejects file, and the batch in flight. A batch in flight
 * may have been stored before the kill: it is sent again (the API is idempotent by externalRef), and
 * its rows that come back DUPLICATE with a receivedAt from this import on were stored by it.
 */
interface Checkpoint {
  file: string;
  size: number;
  mtimeMs: number;
  /** Server time (HTTP Date, whole seconds) when the import began. */
  startedAt: string;
  done: number;
  counts: Counts;
  rejectsBytes: number;
  inflight: { from: number; to: number } | null;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, text);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const SUBMIT = `mutation ImportRows($rows: [JSON]!) { submitResponseRows(rows: $rows) {
  results { index status conflictingFields error { code field message } response { id receivedAt } } } }`;

interface RowResult {
  index: number;
  status: 'ACCEPTED' | 'DUPLICATE' | 'CONFLICT' | 'REJECTED';
  conflictingFields: string[];
  error: { code: string; field: string | null; message: string } | null;
  response: { id: string; receivedAt: string } | null;
}

/** POSTs one operation; retries network errors, timeouts, 5xx, 429 (Retry-After) with backoff. */
async function post(opts: ImportOptions, query: string, variables: unknown, log: (s: string) => void): Promise<{ data: any; date: string | null }> {
  for (let attempt = 1; ; attempt++) {
    let reason: string;
    let wait = Math.min(30_000, 500 * 2 ** (attempt - 1));
    try {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.key}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(120_000),
      });
      const text = await res.text();
      let body: any = null;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      if (res.status === 401) throw new Fatal(`the API refused the key (HTTP 401): ${body?.errors?.[0]?.message ?? ''}`);
      if (res.status === 429 || res.status >= 500) {
        reason = `HTTP ${res.status}`;
        const after = Number(res.headers.get('retry-after'));
        if (Number.isFinite(after) && after > 0) wait = Math.max(wait, after * 1000);
      } else if (!body) throw new Fatal(`HTTP ${res.status} without a JSON body: is ${opts.url} the GraphQL endpoint?`);
      else if (body.errors?.length) throw new Fatal(body.errors.map((e: any) => `${e.message} [${e.extensions?.code}]`).join('; '));
      else return { data: body.data, date: res.headers.get('date') };
    } catch (err) {
      if (err instanceof Fatal) throw err;
      reason = `network error (${(err as any)?.cause?.code ?? (err as Error).message})`;
    }
    if (attempt >= 8) throw new Fatal(`gave up after ${attempt} attempts (last: ${reason}); run the same command again to resume`);
    log(`${reason}; retry ${attempt} in ${wait} ms`);
    await new Promise((r) => setTimeout(r, wait));
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const duration = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

/** The whole command; returns the exit code. */
export interface ImportIO {
  out(line: string): void;
  /** The progress line (stderr). */
  err(text: string): void;
}

const STDIO: ImportIO = { out: (s) => console.log(s), err: (s) => void process.stderr.write(s) };

export async function runImport(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: ImportIO = STDIO): Promise<number> {
  let opts: ImportOptions | 'help';
  try {
    opts = parseImportArgs(argv, env);
  } catch (e) {
    io.out(`${(e as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (opts === 'help') {
    io.out(USAGE);
    return 0;
  }
  try {
    return await importFile(opts, io);
  } catch (e) {
    io.out(`import: FATAL: ${e instanceof Fatal ? e.message : (e as Error).stack}`);
    return 1;
  }
}

async function importFile(opts: ImportOptions, io: ImportIO): Promise<number> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(opts.file);
  } catch {
    throw new Fatal(`cannot read ${opts.file}`);
  }
  const log = (s: string) => io.out(`import: ${s}`);
  let startedAt = new Date().toUTCString();
  if (opts.url && opts.key) {
    const { data, date } = await post(opts, `query { viewer { role permissions } }`, {}, log);
    if (!data.viewer.permissions.includes('WRITE_RESPONSES')) throw new Fatal(`the key's role ${data.viewer.role} cannot write responses; use an INTEGRATION or ADMIN key`);
    if (date) startedAt = date;
  }
  let cp: Checkpoint | null = null;
  if (!opts.dryRun && fs.existsSync(opts.checkpoint)) {
    cp = JSON.parse(fs.readFileSync(opts.checkpoint, 'utf8')) as Checkpoint;
    if (cp.size !== stat.size || cp.mtimeMs !== stat.mtimeMs || cp.file !== path.resolve(opts.file)) {
      throw new Fatal(`${opts.checkpoint} belongs to another version of the file; delete it to start over`);
    }
    log(`resuming after ${fmt(cp.done)} rows (checkpoint ${opts.checkpoint})`);
  }
  const state: Checkpoint = cp ?? {
    file: path.resolve(opts.file),
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    startedAt,
    done: 0,
    counts: { read: 0, accepted: 0, duplicates: 0, conflicts: 0, rejected: 0 },
    rejectsBytes: 0,
    inflight: null,
  };
  const since = Date.parse(state.startedAt);
  // The rejects of the rows done; anything written after the last checkpoint is dropped.
  let rejectsFd: number | null = null;
  if (!opts.dryRun) {
    rejectsFd = fs.openSync(opts.rejects, cp ? 'r+' : 'w');
    fs.ftruncateSync(rejectsFd, state.rejectsBytes);
    if (!cp) state.rejectsBytes = fs.writeSync(rejectsFd, 'line,externalRef,status,field,reason\n', 0);
  }
  // A batch's rejects, written in line order when its results are in.
  let pending: [number, unknown, string, string | null, string][] = [];
  const reject = (line: number, ref: unknown, status: string, field: string | null, reason: string) => void pending.push([line, ref, status, field, reason]);
  const writeRejects = () => {
    if (rejectsFd !== null && pending.length) {
      const text = pending.sort((a, b) => a[0] - b[0]).map((r) => r.map(csvCell).join(',') + '\n').join('');
      state.rejectsBytes += fs.writeSync(rejectsFd, text, state.rejectsBytes);
    }
    pending = [];
  };
  const save = () => !opts.dryRun && writeAtomically(opts.checkpoint, JSON.stringify(state));

  let bytes = 0;
  const t0 = Date.now();
  const doneAtStart = state.done;
  let lastDraw = 0;
  const draw = (final = false) => {
    if (!opts.progress || (!final && Date.now() - lastDraw < 500)) return;
    lastDraw = Date.now();
    const s = (Date.now() - t0) / 1000;
    const rate = (state.done - doneAtStart) / Math.max(s, 0.001);
    // The share of the file done: the records sent, at the bytes per record read so far (the reader
    // runs up to a chunk ahead, so the bytes read alone would move in steps).
    const share = stat.size && index ? Math.min(1, (state.done * (bytes / index)) / stat.size) : 1;
    const eta = share > 0 && share < 1 ? (s / share) * (1 - share) : 0;
    io.err(`\r  ${fmt(state.done)} rows  ${(share * 100).toFixed(1)}%  ${fmt(rate)} rows/s  ETA ${duration(eta)}   ${final ? '\n' : ''}`);
  };

  let index = 0;
  let batch: FileRecord[] = [];
  const flush = async () => {
    const from = index - batch.length;
    const sendable = batch.filter((r) => r.row);
    for (const r of batch) if (!r.row) {
      state.counts.rejected++;
      reject(r.line, null, 'REJECTED', null, r.problem!);
    }
    const resent = state.inflight && state.inflight.from === from ? state.inflight : null;
    if (sendable.length && !opts.dryRun) {
      state.inflight = { from, to: index };
      save();
      const { data } = await post(opts, SUBMIT, { rows: sendable.map((r) => r.row) }, log);
      const seenIds = new Set<string>();
      for (const res of data.submitResponseRows.results as RowResult[]) {
        const rec = sendable[res.index];
        const ref = (rec.row as Record<string, unknown>).externalRef;
        if (res.status === 'ACCEPTED') state.counts.accepted++;
        else if (res.status === 'DUPLICATE') {
          // Sent again after an interruption: stored by this import's earlier run when received since it began.
          const mine = resent && res.response && Date.parse(res.response.receivedAt) >= since && !seenIds.has(res.response.id);
          state.counts[mine ? 'accepted' : 'duplicates']++;
        } else if (res.status === 'CONFLICT') {
          state.counts.conflicts++;
          reject(rec.line, ref, 'CONFLICT', res.conflictingFields.join(' '), res.error?.message ?? 'stored with different content');
        } else {
          state.counts.rejected++;
          reject(rec.line, ref, 'REJECTED', res.error?.field ?? null, res.error?.message ?? 'rejected');
        }
        if (res.response) seenIds.add(res.response.id);
      }
    }
    writeRejects();
    state.counts.read += batch.length;
    state.done = index;
    state.inflight = null;
    if (rejectsFd !== null) fs.fsyncSync(rejectsFd);
    save();
    batch = [];
    draw();
  };

  let wouldSend = 0;
  for await (const rec of readRecords(opts.file, { format: opts.format, delimiter: opts.delimiter, encoding: opts.encoding, onBytes: (n) => (bytes += n) })) {
    index++;
    if (index <= state.done) continue; // done by an earlier run
    if (rec.row) wouldSend++;
    batch.push(rec);
    if (batch.length >= opts.batchSize || (state.inflight && index === state.inflight.to)) await flush();
  }
  if (batch.length) await flush();
  draw(true);
  if (rejectsFd !== null) fs.closeSync(rejectsFd);
  const c = state.counts;
  const secs = (Date.now() - t0) / 1000;
  if (opts.dryRun) {
    log(`dry run: ${fmt(c.read)} rows read in ${secs.toFixed(1)} s, ${fmt(wouldSend)} would be sent, ${fmt(c.rejected)} unreadable; nothing was sent`);
    return c.rejected ? 2 : 0;
  }
  log(
    `${fmt(c.read)} rows: ${fmt(c.accepted)} stored, ${fmt(c.duplicates)} already there, ${fmt(c.conflicts)} conflicting, ${fmt(c.rejected)} rejected` +
      ` (${secs.toFixed(1)} s this run${c.conflicts + c.rejected ? `; see ${opts.rejects}` : ''})`,
  );
  fs.rmSync(opts.checkpoint, { force: true });
  return c.conflicts + c.rejected ? 2 : 0;
}

if (require.main === module) {
  runImport(process.argv.slice(2)).then((code) => process.exit(code));
}
