// Opens a set's archive with the right reader, chosen by its first bytes (not its name: a file
// renamed by hand still opens, and a file that is none of the three is refused by name).
import { open } from 'node:fs/promises';
import { archiveCorrupt, archiveReadError } from './archive-errors.js';
import type { ArchiveReader } from './entry.js';
import { parseTarHeader } from './tar-fields.js';
import { openTarReader } from './tar-reader.js';
import { openZipReader } from './zip-reader.js';

export type { ArchiveEntry, ArchiveFormat, ArchiveReader, ChunkSink, EntryType } from './entry.js';

export async function detectArchiveFormat(path: string): Promise<'tar' | 'tar.gz' | 'zip'> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      head = Buffer.alloc(512);
      const { bytesRead } = await fh.read(head, 0, 512, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw archiveReadError(path, err);
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (head.length >= 4 && (head.readUInt32LE(0) === 0x04034b50 || head.readUInt32LE(0) === 0x06054b50))
    return 'zip';
  if (head.length === 512 && (head.every((b) => b === 0) || parseTarHeader(head).ok)) return 'tar';
  throw archiveCorrupt(path, 'it is neither a tar, a tar.gz nor a zip file (its first bytes say so).');
}

export async function openArchive(path: string, opts: { signal?: AbortSignal } = {}): Promise<ArchiveReader> {
  const format = await detectArchiveFormat(path);
  if (format === 'zip') return openZipReader(path, opts.signal);
  return openTarReader(path, { gzip: format === 'tar.gz', ...(opts.signal && { signal: opts.signal }) });
}
