// Reading the step's statements back the way SQL Server's parser would: names out of [quoted]
// identifiers and N'...' literals. Shared by the backup and restore parts of the TDS stand-in.
import { createHash } from 'node:crypto';

const IDENT = /\[((?:[^\]]|\]\])*)\]/;
const NSTRING = /N'((?:[^']|'')*)'/;
const NSTRING_ALL = /N'((?:[^']|'')*)'/g;
const unIdent = (s: string): string => s.replace(/]]/g, ']');
const unString = (s: string): string => s.replace(/''/g, "'");

/** tedious' connection set-up batch: only SET options, one per line. */
export const isSetupBatch = (sql: string): boolean => /^(\s*set [^;\n]*\n?)+$/i.test(sql);

export function identIn(sql: string, after: string): string | undefined {
  const at = sql.indexOf(after);
  const m = IDENT.exec(sql.slice(at < 0 ? 0 : at + after.length));
  return m?.[1] === undefined ? undefined : unIdent(m[1]);
}

export function stringIn(sql: string, after: string): string | undefined {
  const at = sql.indexOf(after);
  if (at < 0) return undefined;
  const m = NSTRING.exec(sql.slice(at + after.length));
  return m?.[1] === undefined ? undefined : unString(m[1]);
}

/** Every N'...' literal after `after` (an IN list, the MOVE pairs). */
export function stringsIn(sql: string, after: string): string[] {
  const at = sql.indexOf(after);
  if (at < 0) return [];
  return [...sql.slice(at + after.length).matchAll(NSTRING_ALL)].map((m) => unString(m[1] ?? ''));
}

/** MOVE N'logical' TO N'path' pairs of a RESTORE statement. */
export function movesIn(sql: string): { logicalName: string; to: string }[] {
  const out: { logicalName: string; to: string }[] = [];
  for (const m of sql.matchAll(/MOVE N'((?:[^']|'')*)' TO N'((?:[^']|'')*)'/g))
    out.push({ logicalName: unString(m[1] ?? ''), to: unString(m[2] ?? '') });
  return out;
}

/** The server's local wall time as datetime2(3) style 126 prints it. */
export function serverWallTime(clock: { offsetMs: number; tzMinutes: number }, localMs = Date.now()): string {
  return new Date(localMs + clock.offsetMs + clock.tzMinutes * 60_000).toISOString().slice(0, 23);
}

/** Deterministic bytes standing in for a backup's pages. */
export function chunkOf(seed: string, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < bytes; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** Folder part of a server path (Windows or POSIX), without a trailing separator, lower case. */
export function folderKey(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return (cut > 0 ? path.slice(0, cut) : path).toLowerCase();
}
