/**
 * The cells of a response export, as CSV (RFC 4180) or JSON Lines. Pure: no database, no HTTP.
 */

/** One exported response; verbatim fields only when the caller may read verbatims. */
export type ExportRow = Record<string, string | number | null>;

/** The columns, in order; the verbatims (comment, follow-up answers) last, for the roles that may read them. */
export const BASE_COLUMNS = [
  'id',
  'externalRef',
  'respondedAt',
  'receivedAt',
  'score',
  'category',
  'surveyCode',
  'departmentCode',
  'channel',
  'touchpoint',
  'agentEmail',
  'customerExternalRef',
  'region',
  'plan',
  'product',
  'signupChannel',
] as const;
export const VERBATIM_COLUMNS = ['comment', 'followUpAnswers'] as const;

export const exportColumns = (withVerbatims: boolean): readonly string[] => (withVerbatims ? [...BASE_COLUMNS, ...VERBATIM_COLUMNS] : BASE_COLUMNS);

/**
 * A text cell a spreadsheet would run as a formula (it starts with =, +, -, @, or a tab or carriage
 * return that some spreadsheets skip before one) gets a leading apostrophe (OWASP's advice against
 * CSV injection): the cell shows as text. Numbers are not text cells and are left alone.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV cell: null is empty; text neutralized, then quoted when it holds a quote, comma or line break. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = neutralizeFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record (CRLF-terminated, as RFC 4180 says). */
export const csvLine = (cells: readonly (string | number | null)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** One JSON Lines record: the row as a JSON object, keys in column order. */
export function jsonLine(columns: readonly string[], row: ExportRow): string {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c] = c === 'followUpAnswers' && typeof row[c] === 'string' ? JSON.parse(row[c] as string) : row[c];
  return `${JSON.stringify(out)}\n`;
}
