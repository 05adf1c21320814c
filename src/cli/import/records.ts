import fs from 'node:fs';
import { TextDecoder } from 'node:util';

/** One record of the input file: its fields as the file gives them, or why it could not be read. */
export interface FileRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  row?: Record<string, unknown>;
  problem?: string;
}

/** Decoded text chunks of a file (a UTF-8 byte-order mark is dropped by the decoder), with the bytes read so far. */
async function* textChunks(file: string, encoding: string, onBytes: (n: number) => void): AsyncGenerator<string> {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: false });
  } catch {
    throw new Error(`unknown encoding ${JSON.stringify(encoding)} (utf-8, utf-16le, latin1, windows-1252...)`);
  }
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    onBytes((chunk as Buffer).length);
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * RFC 4180 CSV, streamed: quoted fields may hold the delimiter, quotes ("") and line breaks; CR
 * outside quotes is ignored (CRLF files). Yields each record's fields with the line it starts on.
 */
async function* csvFields(chunks: AsyncIterable<string>, delimiter: string): AsyncGenerator<{ line: number; fields: string[] }> {
  let field = '';
  let fields: string[] = [];
  let state: 'start' | 'plain' | 'quoted' | 'quote' = 'start';
  let line = 1;
  let recordLine = 1;
  let empty = true;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (state === 'quoted') {
        if (ch === '"') state = 'quote';
        else {
          if (ch === '\n') line++;
          field += ch;
        }
        continue;
      }
      if (state === 'quote') {
        if (ch === '"') {
          field += '"';
          state = 'quoted';
          continue;
        }
        state = 'plain'; // the closing quote; this character is read as outside quotes
      }
      if (ch === '"' && state === 'start') {
        state = 'quoted';
        empty = false;
      } else if (ch === delimiter) {
        fields.push(field);
        field = '';
        state = 'start';
        empty = false;
      } else if (ch === '\n') {
        fields.push(field);
        if (!(empty && fields.length === 1 && fields[0] === '')) yield { line: recordLine, fields };
        fields = [];
        field = '';
        state = 'start';
        empty = true;
        recordLine = ++line;
      } else if (ch !== '\r') {
        field += ch;
        state = 'plain';
        empty = false;
      }
    }
  }
  if (!empty || field !== '' || fields.length) {
    fields.push(field);
    yield { line: recordLine, fields };
  }
}

/** Columns whose text is a number in ResponseInput (others stay text; the server judges them). */
const NUMERIC = new Set(['score', 'customer.spend']);
/** Columns holding JSON (an array or object). */
const JSON_COLUMNS = new Set(['followUpAnswers', 'customer.attributes']);

/**
 * A CSV record as a ResponseInput-shaped object: `customer.x` headers nest, an empty cell is left
 * out, numbers stay numbers only where the type is a number (a cell that is not one is sent as
 * text, so the server rejects that row naming the field), JSON columns are parsed.
 */
export function csvRow(header: readonly string[], fields: readonly string[]): { row?: Record<string, unknown>; problem?: string } {
  if (fields.length !== header.length) return { problem: `has ${fields.length} fields; the header has ${header.length}` };
  const row: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) {
    const name = header[i];
    const text = fields[i];
    if (text === '') continue;
    let value: unknown = text;
    if (NUMERIC.has(name) && /^\s*-?\d+(\.\d+)?\s*$/.test(text)) value = Number(text);
    if (JSON_COLUMNS.has(name)) {
      try {
        value = JSON.parse(text);
      } catch {
        return { problem: `${name}: not valid JSON` };
      }
    }
    const dot = name.indexOf('.');
    if (dot > 0) {
      const head = name.slice(0, dot);
      const obj = (row[head] ??= {}) as Record<string, unknown>;
      obj[name.slice(dot + 1)] = value;
    } else row[name] = value;
  }
  return { row };
}

export interface ReadOptions {
  format: 'csv' | 'jsonl';
  delimiter: string;
  encoding: string;
  onBytes: (n: number) => void;
}

/** The records of a CSV (header row first) or JSON Lines file, streamed. */
export async function* readRecords(file: string, opts: ReadOptions): AsyncGenerator<FileRecord> {
  const chunks = textChunks(file, opts.encoding, opts.onBytes);
  if (opts.format === 'csv') {
    let header: string[] | null = null;
    for await (const { line, fields } of csvFields(chunks, opts.delimiter)) {
      if (!header) {
        header = fields.map((f) => f.trim());
        continue;
      }
      yield { line, ...csvRow(header, fields) };
    }
    return;
  }
  let buffer = '';
  let line = 0;
  const parse = (text: string): FileRecord | null => {
    line++;
    if (!text.trim()) return null;
    try {
      const row = JSON.parse(text);
      return row && typeof row === 'object' && !Array.isArray(row) ? { line, row } : { line, problem: 'not a JSON object' };
    } catch {
      return { line, problem: 'not valid JSON' };
    }
  };
  for await (const chunk of chunks) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const r = parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      if (r) yield r;
    }
  }
  const r = parse(buffer);
  if (r) yield r;
}
