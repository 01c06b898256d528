// Reading files inside a set folder, which is untrusted input. Only regular files are read: a FIFO
// would block a reader forever, a device (/dev/zero) never ends, and a symbolic link leads outside
// the set. The file is opened without following a link at its last name (O_NOFOLLOW) and without
// blocking on a FIFO (O_NONBLOCK), then judged by what the open handle is (fstat), so a swap between
// a check and the open changes nothing. Windows has neither flag; there fstat alone judges.
import { constants } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

export type NotReadable =
  | { reason: 'missing' }
  | { reason: 'not-a-file'; kind: string }
  | { reason: 'too-large'; bytes: number; max: number }
  | { reason: 'unreadable'; code: string };

export type Opened = { ok: true; handle: FileHandle; bytes: number } | ({ ok: false } & NotReadable);

type StatLike = {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
};

/** What a non-regular file is, in words. */
export function kindOf(s: StatLike): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isSymbolicLink()) return 'a symbolic link';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const codeOf = (err: unknown): string => (err as { code?: string }).code ?? (err as Error).message;

/** Opens a regular file for reading, or says why not. `max`: the largest size accepted (bytes). */
export async function openRegularFile(path: string, max = Number.MAX_SAFE_INTEGER): Promise<Opened> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing' };
    // O_NOFOLLOW on a link fails with ELOOP (Linux) or EMLINK (BSD); say what it is.
    if (code === 'ELOOP' || code === 'EMLINK' || code === 'EISDIR' || code === 'ENXIO') {
      const s = await lstat(path).catch(() => undefined);
      if (s) return { ok: false, reason: 'not-a-file', kind: kindOf(s) };
    }
    return { ok: false, reason: 'unreadable', code };
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) {
      await handle.close();
      return { ok: false, reason: 'not-a-file', kind: kindOf(s) };
    }
    if (s.size > max) {
      await handle.close();
      return { ok: false, reason: 'too-large', bytes: s.size, max };
    }
    return { ok: true, handle, bytes: s.size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    return { ok: false, reason: 'unreadable', code: codeOf(err) };
  }
}

/** A small regular file's bytes (manifests, records), or why it cannot be read. */
export async function readRegularFile(
  path: string,
  max: number,
): Promise<{ ok: true; data: Buffer } | ({ ok: false } & NotReadable)> {
  const opened = await openRegularFile(path, max);
  if (!opened.ok) return opened;
  try {
    // Never more than the size fstat gave (and the cap): a file that grows cannot make this endless.
    const buf = Buffer.alloc(opened.bytes);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await opened.handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { ok: true, data: buf.subarray(0, got) };
  } catch (err) {
    return { ok: false, reason: 'unreadable', code: codeOf(err) };
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}

/** Plain words for why a file was not read. */
export function notReadableText(r: NotReadable): string {
  switch (r.reason) {
    case 'missing':
      return 'it does not exist';
    case 'not-a-file':
      return `it is ${r.kind}, not a regular file`;
    case 'too-large':
      return `it has ${r.bytes} bytes, more than the ${r.max} a reader accepts`;
    case 'unreadable':
      return `it cannot be read (${r.code})`;
  }
}
