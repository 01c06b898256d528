// Reads a set's file list (repository/repository.files.jsonl) as untrusted input: one JSON object
// per line, each line bounded in length, each field checked for type and range, each path checked
// like an archive entry's name. Bad lines are reported by number, never fatal, never guessed at.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { checkEntryName } from '../repository/safe-name.js';

/** Longest line accepted: a path and a link target of 4 KiB each fit many times over. */
export const MAX_LINE_BYTES = 64 * 1024;

export type ListedType = 'file' | 'directory' | 'symlink';

export interface ListedEntry {
  line: number;
  /** The path as listed (for messages). */
  path: string;
  /** The key the archive entry is matched on (archivePath when the format renamed it). */
  key: string;
  type: ListedType;
  size: number;
  sha256?: string;
  target?: string;
  mtimeMs?: number;
}

export type ListLine =
  | { kind: 'entry'; entry: ListedEntry }
  | { kind: 'invalid'; line: number; reason: string }
  | { kind: 'unsafe'; line: number; path: string; reason: string };

const TYPES = new Set<string>(['file', 'directory', 'symlink']);
const SHA256 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Every line of the list, in order (blank lines skipped). */
export async function* readFileList(path: string, signal?: AbortSignal): AsyncGenerator<ListLine> {
  let line = 0;
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(signal && { signal }) });
  const finish = (): ListLine | undefined => {
    line++;
    const text = tooLong ? '' : Buffer.concat(parts, length).toString('utf8');
    const long = tooLong;
    parts = [];
    length = 0;
    tooLong = false;
    if (long) return { kind: 'invalid', line, reason: `it is longer than ${MAX_LINE_BYTES} bytes` };
    return parseLine(text.replace(/^\uFEFF/, '').trim(), line);
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      take(chunk.subarray(from, nl));
      const out = finish();
      if (out) yield out;
      from = nl + 1;
    }
    take(chunk.subarray(from));
  }
  if (length > 0 || tooLong) {
    const out = finish();
    if (out) yield out;
  }

  function take(b: Buffer): void {
    if (tooLong || b.length === 0) return;
    if (length + b.length > MAX_LINE_BYTES) {
      tooLong = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(Buffer.from(b));
    length += b.length;
  }
}

/** One line as an entry, or why it is not one; undefined for a blank line. */
export function parseLine(text: string, line: number): ListLine | undefined {
  if (text === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'invalid', line, reason: 'it is not valid JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { kind: 'invalid', line, reason: 'it is not a JSON object' };
  const o = v as Record<string, unknown>;
  const bad = (reason: string): ListLine => ({ kind: 'invalid', line, reason });
  if (typeof o.path !== 'string' || o.path === '') return bad('it has no "path"');
  if (typeof o.type !== 'string' || !TYPES.has(o.type))
    return bad(`"type" is not file, directory or symlink`);
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0)
    return bad('"size" is not a whole number of bytes');
  if (o.sha256 !== undefined && (typeof o.sha256 !== 'string' || !SHA256.test(o.sha256)))
    return bad('"sha256" is not 64 lower-case hex digits');
  if (o.target !== undefined && typeof o.target !== 'string') return bad('"target" is not text');
  if (o.archivePath !== undefined && typeof o.archivePath !== 'string')
    return bad('"archivePath" is not text');
  // Names that are not UTF-8 come as their bytes in base64 beside the text (file-list.ts writes
  // pathBase64, and archivePathBase64 when the archive had to store another name).
  for (const field of ['pathBase64', 'archivePathBase64'] as const)
    if (o[field] !== undefined && (typeof o[field] !== 'string' || !BASE64.test(o[field])))
      return bad(`"${field}" is not base64`);
  const named = o.archivePath ?? o.path;
  const rawField = o.archivePath !== undefined ? o.archivePathBase64 : o.pathBase64;
  const bytes = typeof rawField === 'string' ? Buffer.from(rawField, 'base64') : undefined;
  const raw = bytes && !isUtf8(bytes) ? bytes : undefined; // UTF-8 bytes are matched as text
  const check = checkEntryName(named, raw, 'linux');
  if (!check.ok) return { kind: 'unsafe', line, path: o.path, reason: check.reason };
  if (check.name.depth === 0)
    return { kind: 'unsafe', line, path: o.path, reason: 'it names the folder itself' };
  const mtimeMs = typeof o.mtime === 'string' ? Date.parse(o.mtime) : NaN;
  return {
    kind: 'entry',
    entry: {
      line,
      path: o.path,
      key: check.name.key,
      type: o.type as ListedType,
      size: o.size,
      ...(typeof o.sha256 === 'string' && { sha256: o.sha256 }),
      ...(typeof o.target === 'string' && { target: o.target }),
      ...(Number.isFinite(mtimeMs) && { mtimeMs }),
    },
  };
}
