#!/usr/bin/env node
// Example integration: a ticketing/CRM tool pushes survey responses and keeps action items in step
// with its tickets. Plain Node 20 (global fetch), no dependencies, no build step:
//
//   API_KEY=<integration key> node examples/integration-sync.mjs
//   API_KEY=... node examples/integration-sync.mjs --responses responses.json --tickets tickets.json
//
// Environment: API_URL (default http://localhost:4000/graphql), API_KEY (required; an INTEGRATION
// or ADMIN key), and for tuning MAX_ATTEMPTS (6), RETRY_BASE_MS (500), RETRY_MAX_MS (30000),
// REQUEST_TIMEOUT_MS (60000), RESPONSES_BATCH_SIZE (1000, at most 1000), UPDATES_BATCH_SIZE (500,
// at most 500). Without arguments it uses sample-responses.json and sample-tickets.json beside it.
//
// Input files hold JSON arrays. Responses: objects with ResponseInput's fields (externalRef,
// surveyCode, score, respondedAt, ...), sent as they are through submitResponseRows, which reads
// each row on its own: a row of the wrong shape (a score given as "7", a date without a time, a
// missing field) comes back REJECTED naming the field, and the others are stored. Tickets: { id, status, responseExternalRef?,
// subject?, lastSyncedVersion? }; STATUS_MAP below turns the ticket status into the item status.
// Row numbers in the log are 0-based positions in the responses file.
//
// expectedVersion: left out, the ticketing system wins (last write wins; a repeat is still
// UNCHANGED). Give a ticket lastSyncedVersion (the action item version this script printed at your
// last sync, stored on the ticket) when people also edit the item in the NPS app and their change
// must not be overwritten: if the item changed since, the update is a CONFLICT and changes nothing.
//
// The rules it demonstrates:
// - Every write is keyed by the source system's own id (response externalRef, ticket id as the
//   action item's externalRef), so a whole request can be resent after a network error, a 5xx or a
//   429: rows already stored come back DUPLICATE, updates already applied come back UNCHANGED.
// - A row whose externalRef is stored with different content (a changed score, comment, date...)
//   comes back CONFLICT with the differing fields and changes nothing: correct a stored response
//   with correctResponses (by externalRef, with its version), not by sending it again.
// - Bulk calls report per row; one bad row never fails the others.
// - Exit code 1 only for fatal problems (bad configuration or input file, refused key, a request the
//   API refuses as a whole, server unreachable after the retries); per-row rejections and conflicts
//   are printed and the run still exits 0.

import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Ticket status (lower case) → action item status. Statuses not listed here are reported and skipped. */
const STATUS_MAP = {
  new: 'OPEN',
  open: 'IN_PROGRESS',
  pending: 'BLOCKED', // waiting on the customer
  'on-hold': 'BLOCKED', // waiting on a third party
  solved: 'DONE',
  closed: 'DONE',
  cancelled: 'WONT_DO',
};

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MAX_RESPONSES_PER_CALL = 1000; // submitResponseRows limit
const MAX_UPDATES_PER_CALL = 500; // bulkUpdateActionItems limit

class FatalError extends Error {}

/** A GraphQL request refused as a whole (errors at the top level), with the errors' codes. */
class RequestError extends Error {
  constructor(label, errors) {
    super(`${label}: ${errors.map((e) => `${e.message} [${e.extensions?.code ?? 'no code'}]`).join('; ')}`);
    this.errors = errors;
    this.code = errors[0]?.extensions?.code;
  }
}

const log = (msg) => console.log(`[integration-sync] ${msg}`);
const warn = (msg) => console.log(`[integration-sync] warning: ${msg}`);

// ------------------------------------------------------------------ configuration and input

function intEnv(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new FatalError(`${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`);
  return n;
}

function loadConfig(env) {
  const apiUrl = env.API_URL || 'http://localhost:4000/graphql';
  let url;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new FatalError(`API_URL is not a URL: ${JSON.stringify(apiUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FatalError(`API_URL must be http:// or https://; got ${JSON.stringify(apiUrl)}`);
  const apiKey = (env.API_KEY ?? '').trim();
  if (!apiKey) throw new FatalError('API_KEY is required: an INTEGRATION (or ADMIN) key, sent as "Authorization: Bearer <key>"');
  return {
    apiUrl,
    apiKey,
    maxAttempts: intEnv(env, 'MAX_ATTEMPTS', 6, 1, 100),
    retryBaseMs: intEnv(env, 'RETRY_BASE_MS', 500, 1, 600_000),
    retryMaxMs: intEnv(env, 'RETRY_MAX_MS', 30_000, 1, 3_600_000),
    timeoutMs: intEnv(env, 'REQUEST_TIMEOUT_MS', 60_000, 100, 3_600_000),
    responsesBatch: intEnv(env, 'RESPONSES_BATCH_SIZE', MAX_RESPONSES_PER_CALL, 1, MAX_RESPONSES_PER_CALL),
    updatesBatch: intEnv(env, 'UPDATES_BATCH_SIZE', MAX_UPDATES_PER_CALL, 1, MAX_UPDATES_PER_CALL),
  };
}

function parseArgs(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: API_KEY=<key> node examples/integration-sync.mjs [--responses <file.json>] [--tickets <file.json>]');
    process.exit(0);
  }
  if (!argv.length) return { responses: path.join(HERE, 'sample-responses.json'), tickets: path.join(HERE, 'sample-tickets.json') };
  const files = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag !== '--responses' && flag !== '--tickets') || !value) throw new FatalError(`unexpected argument ${JSON.stringify(flag)}; use --responses <file> and/or --tickets <file>`);
    files[flag.slice(2)] = value;
  }
  return files;
}

async function readJsonArray(file, what) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new FatalError(`cannot read the ${what} file ${file}: ${e.message}`);
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new FatalError(`the ${what} file ${file} is not valid JSON: ${e.message}`);
  }
  if (!Array.isArray(value)) throw new FatalError(`the ${what} file ${file} must hold a JSON array`);
  return value;
}

/** Tickets as the sync needs them; a ticket id given twice keeps its last occurrence (the latest state). */
function normaliseTickets(raw, file) {
  const byId = new Map();
  raw.forEach((t, i) => {
    if (!t || typeof t !== 'object' || (typeof t.id !== 'string' && typeof t.id !== 'number') || String(t.id).trim() === '' || typeof t.status !== 'string') {
      throw new FatalError(`ticket ${i} in ${file} needs an "id" and a "status"`);
    }
    const v = t.lastSyncedVersion;
    if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 1)) throw new FatalError(`ticket ${t.id} in ${file}: lastSyncedVersion must be a whole number ≥ 1`);
    const id = String(t.id).trim();
    if (byId.has(id)) warn(`ticket ${id} appears more than once in ${file}; its last entry is used`);
    byId.set(id, { id, status: t.status.trim().toLowerCase(), subject: t.subject ?? null, responseRef: t.responseExternalRef ?? null, lastSyncedVersion: v ?? null });
  });
  return [...byId.values()];
}

// ------------------------------------------------------------------ HTTP with retries

function retryAfterMs(header) {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** Exponential backoff with jitter: half of the doubled delay is fixed, half random (capped). */
function backoffMs(config, attempt, serverAsked) {
  const exp = Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** (attempt - 1));
  const jittered = Math.round(exp / 2 + Math.random() * (exp / 2));
  return Math.max(jittered, serverAsked ?? 0);
}

function networkReason(err) {
  if (err?.name === 'TimeoutError') return 'request timed out';
  const cause = err?.cause;
  return `network error (${cause?.code ?? cause?.message ?? err?.message ?? String(err)})`;
}

async function readBody(res) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * POSTs one GraphQL operation. Retries the same request on network errors, timeouts, HTTP 5xx,
 * HTTP 429 (honouring Retry-After) and INTERNAL_SERVER_ERROR results: every operation this script
 * sends is safe to repeat. 401 is fatal; other GraphQL errors throw RequestError for the caller.
 */
function makeClient(config) {
  return async function graphql(label, query, variables) {
    for (let attempt = 1; ; attempt++) {
      let reason;
      let asked = null;
      try {
        const res = await fetch(config.apiUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        const body = await readBody(res);
        if (res.status === 401) {
          const msg = body?.errors?.[0]?.message ?? 'unauthenticated';
          throw new FatalError(`the API refused API_KEY (HTTP 401 UNAUTHENTICATED: ${msg}). Check the key; it needs the INTEGRATION or ADMIN role.`);
        }
        if (res.status === 429 || res.status >= 500) {
          reason = `HTTP ${res.status}`;
          asked = retryAfterMs(res.headers.get('retry-after'));
        } else if (!body) {
          throw new FatalError(`${label}: HTTP ${res.status} without a JSON body; is API_URL (${config.apiUrl}) the GraphQL endpoint?`);
        } else if (body.errors?.length && body.errors.every((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
          reason = 'internal server error';
        } else if (body.errors?.length) {
          throw new RequestError(label, body.errors);
        } else {
          return body.data;
        }
      } catch (err) {
        if (err instanceof FatalError || err instanceof RequestError) throw err;
        reason = networkReason(err);
      }
      if (attempt >= config.maxAttempts) {
        throw new FatalError(
          `${label}: gave up after ${attempt} attempts (last: ${reason}). It is safe to run the script again: ` +
            'rows already stored come back DUPLICATE and updates already applied UNCHANGED.',
        );
      }
      const delay = backoffMs(config, attempt, asked);
      log(`${label}: ${reason}; retry ${attempt}/${config.maxAttempts - 1} in ${delay} ms (the request is safe to repeat)`);
      await sleep(delay);
    }
  };
}

const chunks = (list, size) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

// ------------------------------------------------------------------ 1. responses

const SUBMIT = `mutation SubmitResponses($rows: [JSON]!) {
  submitResponseRows(rows: $rows) {
    accepted duplicates conflicts rejected
    results { index status conflictingFields response { id externalRef } error { code field message } }
  }
}`;

/**
 * Pushes the rows in batches. Returns externalRef → { id, score, surveyCode } for every row stored
 * (ACCEPTED now or DUPLICATE of an earlier push), used to warn about automatic follow-ups. Items
 * are linked to responses by the response's externalRef, so no id is needed for that.
 */
async function pushResponses(graphql, config, rows) {
  const stored = new Map();
  const totals = { accepted: 0, duplicates: 0, conflicts: 0, rejected: 0 };
  const batches = chunks(rows, config.responsesBatch);
  for (const [b, batch] of batches.entries()) {
    const first = b * config.responsesBatch;
    const label = `submitResponseRows batch ${b + 1}/${batches.length} (rows ${first}-${first + batch.length - 1})`;
    const payload = (await graphql(label, SUBMIT, { rows: batch })).submitResponseRows;
    log(`${label}: ${payload.accepted} accepted, ${payload.duplicates} duplicates, ${payload.conflicts} conflicts, ${payload.rejected} rejected`);
    for (const r of payload.results) {
      const row = batch[r.index];
      if (r.status === 'REJECTED') {
        log(`  REJECTED row ${first + r.index} (externalRef ${JSON.stringify(row?.externalRef)}): ${r.error.field ?? '-'}: ${r.error.message} [${r.error.code}]`);
      } else if (r.status === 'CONFLICT') {
        // Stored earlier with other content: not changed (correctResponses changes a stored response).
        log(`  CONFLICT row ${first + r.index} (externalRef ${JSON.stringify(row?.externalRef)}): stored with a different ${r.conflictingFields.join(', ')}; not changed`);
      } else {
        stored.set(r.response.externalRef, { id: r.response.id, score: row.score, surveyCode: row.surveyCode });
      }
    }
    totals.accepted += payload.accepted;
    totals.duplicates += payload.duplicates;
    totals.conflicts += payload.conflicts;
    totals.rejected += payload.rejected;
  }
  log(`responses: ${rows.length} rows → ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.conflicts} conflicts, ${totals.rejected} rejected` +
    (totals.duplicates ? ' (DUPLICATE: already stored, by an earlier run or by an attempt of this run whose answer was lost)' : ''));
  return { stored, totals };
}

// ------------------------------------------------------------------ 2. tickets → action items

const SYNC = `mutation SyncStatuses($updates: [UpdateActionItemInput!]!) {
  bulkUpdateActionItems(updates: $updates) {
    results { index status item { status version } error { code field message } }
  }
}`;

const CREATE = `mutation CreateActionItem($input: CreateActionItemInput!) {
  createActionItem(input: $input) { id status version }
}`;

const SURVEYS = `query Surveys { surveys { code autoFollowUp followUpThreshold } }`;

/**
 * Update first, by externalRef (= ticket id): the steady state is one bulk call per 500 tickets.
 * Per item result:
 * - UPDATED / UNCHANGED: done (or on to the next step).
 * - NOT_FOUND: no item for this ticket yet. Create it with createActionItem (idempotent by
 *   externalRef: a retry returns the same item), linked to the response, then send the status again.
 * - BAD_USER_INPUT on status: the lifecycle forbids the direct move (e.g. BLOCKED → DONE, DONE →
 *   WONT_DO); go through IN_PROGRESS, from which every status is reachable.
 * - CONFLICT (only with expectedVersion): the item changed in the NPS app since the version the
 *   ticket last saw; nothing changed, reported for a person to resolve.
 */
async function syncTickets(graphql, config, tickets, stored) {
  const counts = { created: 0, updated: 0, unchanged: 0, conflicts: 0, rejected: 0, skipped: 0 };
  let surveys = new Map();
  try {
    surveys = new Map((await graphql('surveys', SURVEYS)).surveys.map((s) => [s.code, s]));
  } catch (err) {
    if (!(err instanceof RequestError)) throw err;
    warn(`cannot read surveys (${err.message}); automatic follow-ups will not be pointed out`);
  }

  const work = [];
  for (const t of tickets) {
    const target = STATUS_MAP[t.status];
    if (!t.responseRef) {
      counts.skipped++;
      continue; // not about a survey response: nothing to follow up in the NPS app
    }
    if (!target) {
      counts.skipped++;
      warn(`ticket ${t.id}: unknown ticket status ${JSON.stringify(t.status)} (known: ${Object.keys(STATUS_MAP).join(', ')}); skipped`);
      continue;
    }
    work.push({ ticket: t, target, steps: [target], expectedVersion: t.lastSyncedVersion, created: false, changed: false, triedCreate: false, detoured: false });
  }
  const fail = (w, error, hint = '') => {
    if (error.code === 'CONFLICT') counts.conflicts++;
    else counts.rejected++;
    log(`  ticket ${w.ticket.id}: ${error.code}: ${error.message}${hint}`);
  };

  let active = work;
  for (let round = 1; active.length && round <= 4; round++) {
    const next = [];
    for (const batch of chunks(active, config.updatesBatch)) {
      const updates = batch.map((w) => ({
        externalRef: w.ticket.id,
        status: w.steps[0],
        note: w.steps[0] === w.target
          ? `Ticket ${w.ticket.id} is ${w.ticket.status}`
          : `Ticket ${w.ticket.id} is ${w.ticket.status}: through IN_PROGRESS on the way to ${w.target}`,
        ...(w.expectedVersion ? { expectedVersion: w.expectedVersion } : {}),
      }));
      const label = `bulkUpdateActionItems round ${round} (${updates.length} updates)`;
      const payload = (await graphql(label, SYNC, { updates })).bulkUpdateActionItems;
      for (const r of payload.results) {
        const w = batch[r.index];
        if (r.status !== 'REJECTED') {
          w.steps.shift();
          w.changed ||= r.status === 'UPDATED';
          if (w.expectedVersion) w.expectedVersion = r.item.version; // keep guarding the next step
          if (w.steps.length) next.push(w);
          else finish(w, r.item);
          continue;
        }
        const e = r.error;
        if (e.code === 'NOT_FOUND' && !w.triedCreate) {
          w.triedCreate = true;
          if (await createItem(w)) next.push(w);
        } else if (e.code === 'BAD_USER_INPUT' && e.field === 'status' && !w.detoured) {
          w.detoured = true;
          w.steps.unshift('IN_PROGRESS');
          next.push(w);
        } else {
          const hint = e.code === 'CONFLICT' ? ` (changed in the NPS app since version ${w.ticket.lastSyncedVersion}, which the ticket last saw: not overwritten)` : '';
          fail(w, e, hint);
        }
      }
    }
    active = next;
  }
  for (const w of active) fail(w, { code: 'UNSYNCED', message: `still not ${w.target} after 4 rounds; run again` });

  function finish(w, item) {
    if (w.created) counts.created++;
    else if (w.changed) counts.updated++;
    else counts.unchanged++;
    if (w.created || w.changed) log(`  ticket ${w.ticket.id} (${w.ticket.status}) → ${item.status}${w.created ? ', item created' : ''}; action item version ${item.version}`);
  }

  async function createItem(w) {
    const t = w.ticket;
    // The response is named by the externalRef it was pushed with; no need to know its id.
    const response = stored.get(t.responseRef);
    const input = { externalRef: t.id, responseExternalRef: t.responseRef, ...(t.subject ? { title: `Ticket ${t.id}: ${t.subject}` } : {}) };
    try {
      const item = (await graphql(`createActionItem ${t.id}`, CREATE, { input })).createActionItem;
      w.created = true;
      w.expectedVersion = w.expectedVersion ? item.version : null;
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      if (err.code !== 'CONFLICT') {
        fail(w, { code: err.code ?? 'ERROR', message: err.message });
        return false;
      }
      // Another writer created the item for this ticket with other values: sync its status anyway.
      warn(`ticket ${t.id}: ${err.message}`);
    }
    const survey = response && surveys.get(response.surveyCode);
    if (response && survey?.autoFollowUp && response.score <= survey.followUpThreshold) {
      warn(
        `ticket ${t.id}: response ${t.responseRef} (score ${response.score} on ${response.surveyCode}) also has the automatic follow-up item the API ` +
          `opened for it; this script does not touch that item. If tickets own the follow-up for ${response.surveyCode}, turn autoFollowUp off for the survey.`,
      );
    }
    return true;
  }

  log(`tickets: ${tickets.length} → ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ` +
    `${counts.conflicts} conflicts, ${counts.rejected} rejected, ${counts.skipped} skipped`);
  return counts;
}

// ------------------------------------------------------------------ main

const VIEWER = `query Viewer { viewer { name role permissions } }`;

async function main() {
  const files = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  const rows = files.responses ? await readJsonArray(files.responses, 'responses') : [];
  const tickets = files.tickets ? normaliseTickets(await readJsonArray(files.tickets, 'tickets'), files.tickets) : [];
  const graphql = makeClient(config);

  const { viewer } = await graphql('viewer', VIEWER);
  log(`connected to ${config.apiUrl} as ${JSON.stringify(viewer.name)} (${viewer.role})`);
  const needs = [...(rows.length ? ['WRITE_RESPONSES'] : []), ...(tickets.length ? ['WRITE_ACTION_ITEMS'] : [])];
  const missing = needs.filter((p) => !viewer.permissions.includes(p));
  if (missing.length) throw new FatalError(`the key's role ${viewer.role} lacks ${missing.join(', ')}; use an INTEGRATION or ADMIN key`);

  const { stored } = rows.length ? await pushResponses(graphql, config, rows) : { stored: new Map() };
  if (tickets.length) await syncTickets(graphql, config, tickets, stored);
  log('done');
}

main().catch((err) => {
  if (err instanceof FatalError || err instanceof RequestError) console.error(`[integration-sync] FATAL: ${err.message}`);
  else console.error('[integration-sync] FATAL: unexpected error', err);
  process.exitCode = 1;
});
