/**
 * WAL positions (pg_lsn, "16/B374D848"): parsed to a bigint to compare, and written as 16
 * hexadecimal digits for stores that compare strings (Redis), which sort as the positions do.
 */
const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

export function isLsn(text: string): boolean {
  return LSN.test(text);
}

export function parseLsn(text: string): bigint {
  const m = LSN.exec(text.trim());
  if (!m) throw new RangeError(`not a WAL position: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Fixed width: string order is position order. */
export function sortableLsn(lsn: bigint): string {
  return lsn.toString(16).padStart(16, '0');
}

export function fromSortableLsn(text: string): bigint {
  return BigInt(`0x${text}`);
}
