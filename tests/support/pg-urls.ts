/** The same server and credentials, another database. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A URL for CREATE/DROP DATABASE: the given database itself (it must exist), never the one being created. */
export function adminUrl(url: string): string {
  return url;
}
