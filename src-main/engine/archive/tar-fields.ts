// One 512-byte tar header block, read field by field: POSIX ustar (name + prefix), GNU
// ("ustar  ", no prefix; base-256 numbers) and old v7 headers. Numbers that are malformed or
// beyond what a JS number holds exactly are reported as such, never guessed.
import { untilNul } from './names.js';

export const BLOCK = 512;

export interface TarHeaderFields {
  /** Name bytes (prefix + "/" + name for POSIX ustar), NUL-trimmed. */
  name: Buffer;
  linkname: Buffer;
  mode: number;
  /** Declared content size; NaN when malformed or too large to hold exactly. */
  size: number;
  /** Seconds since the epoch; NaN when malformed. */
  mtime: number;
  /** '0' for regular files (NUL normalised), '5' directory, 'x' PAX ... */
  typeflag: string;
}

export type HeaderResult = { ok: true; fields: TarHeaderFields } | { ok: false; reason: string };

export function isZeroBlock(b: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

export function parseTarHeader(b: Buffer): HeaderResult {
  const stored = parseNumber(b, 148, 8);
  if (!checksumMatches(b, stored))
    return { ok: false, reason: 'a header block fails its checksum (it is not a tar header)' };
  const magic = b.toString('latin1', 257, 263);
  const posix = magic === 'ustar\0';
  let name = untilNul(b.subarray(0, 100));
  if (posix) {
    const prefix = untilNul(b.subarray(345, 500));
    if (prefix.length > 0) name = Buffer.concat([prefix, Buffer.from('/'), name]);
  }
  const flag = String.fromCharCode(b[156] as number);
  return {
    ok: true,
    fields: {
      name,
      linkname: untilNul(b.subarray(157, 257)),
      mode: parseNumber(b, 100, 8) & 0o7777,
      size: parseNumber(b, 124, 12),
      mtime: parseNumber(b, 136, 12),
      typeflag: flag === '\0' ? '0' : flag,
    },
  };
}

function checksumMatches(b: Buffer, stored: number): boolean {
  if (!Number.isFinite(stored)) return false;
  // The checksum field itself counts as eight spaces. Unsigned bytes first (POSIX); some old
  // writers summed signed bytes, tried only when the first sum does not match.
  let unsigned = 8 * 0x20;
  for (let i = 0; i < 148; i++) unsigned += b[i] as number;
  for (let i = 156; i < BLOCK; i++) unsigned += b[i] as number;
  if (unsigned === stored) return true;
  let signed = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const v = b[i] as number;
    signed += v > 127 ? v - 256 : v;
  }
  return signed === stored;
}

/** Octal text (leading spaces, NUL/space terminated), or GNU base-256 (high bit set). NaN when invalid. */
export function parseNumber(b: Buffer, off: number, len: number): number {
  const first = b[off] as number;
  if (first & 0x80) return parseBase256(b, off, len);
  let i = off;
  const end = off + len;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) {
    if (b[i] === 0 && i === off) return 0; // an empty field
    i++;
  }
  let v = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return NaN;
    v = v * 8 + (c - 0x30);
    digits++;
  }
  return digits === 0 ? 0 : v;
}

function parseBase256(b: Buffer, off: number, len: number): number {
  const negative = (b[off] as number) === 0xff;
  let v = BigInt((b[off] as number) & (negative ? 0xff : 0x7f));
  for (let i = off + 1; i < off + len; i++) v = (v << 8n) | BigInt(b[i] as number);
  if (negative) v -= 1n << BigInt(8 * len);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) return NaN;
  return Number(v);
}
