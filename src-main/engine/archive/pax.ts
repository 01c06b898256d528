// PAX extended header records: "<length> <key>=<value>\n", the length counting the whole record.
// Values are bytes (UTF-8 unless hdrcharset=BINARY); malformed records mean a damaged archive.

export type PaxRecords = Map<string, Buffer>;

/** The records, or a reason when the data is not a valid PAX header. */
export function parsePax(data: Buffer): { ok: true; records: PaxRecords } | { ok: false; reason: string } {
  const records: PaxRecords = new Map();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break; // NUL padding after the last record
    const space = data.indexOf(0x20, pos);
    if (space === -1 || space - pos > 20) return { ok: false, reason: 'a PAX record has no length' };
    const len = Number(data.toString('latin1', pos, space));
    if (!Number.isInteger(len) || len <= space - pos + 1 || pos + len > data.length)
      return { ok: false, reason: 'a PAX record has an impossible length' };
    const end = pos + len;
    if (data[end - 1] !== 0x0a) return { ok: false, reason: 'a PAX record does not end with a newline' };
    const eq = data.indexOf(0x3d, space + 1);
    if (eq === -1 || eq >= end) return { ok: false, reason: 'a PAX record has no "="' };
    const key = data.toString('utf8', space + 1, eq);
    records.set(key, data.subarray(eq + 1, end - 1));
    pos = end;
  }
  return { ok: true, records };
}

/** A decimal PAX number ("1234", "1700000000.123456789", "-5"); NaN when malformed or not exact. */
export function paxNumber(v: Buffer | undefined): number {
  if (v === undefined) return NaN;
  const s = v.toString('latin1');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return NaN;
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

/** A PAX integer (sizes): NaN unless a plain non-negative integer a JS number holds exactly. */
export function paxInteger(v: Buffer | undefined): number {
  if (v === undefined) return NaN;
  const s = v.toString('latin1');
  if (!/^\d+$/.test(s)) return NaN;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : NaN;
}
