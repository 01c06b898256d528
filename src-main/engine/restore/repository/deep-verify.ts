// "verify --deep" for the repository: reads the set's archive end to end without extracting it
// and compares every entry with the file list (type, size, SHA-256 where listed). Later entries
// for the same path replace earlier ones, as on extraction. Damage stops a tar stream (nothing
// after it can be trusted, and what follows is reported missing); a zip entry that fails its
// CRC-32 is named and the rest is still read.
import { createHash } from 'node:crypto';
import type { ErrorInfo } from '../../../contract/errors.js';
import {
  openArchive,
  type ArchiveEntry,
  type ArchiveFormat,
  type ArchiveReader,
} from '../../archive/open-archive.js';
import { ExpectedError, throwIfAborted, toErrorInfo } from '../../errors.js';
import { EventLoopYielder } from '../../steps/repository/yielder.js';
import {
  FileListCheck,
  NAMES_KEPT,
  type FileListReport,
  type NamedCount,
} from '../file-list/file-list-check.js';
import { checkEntryName } from './safe-name.js';

export interface DeepVerifyReport extends FileListReport {
  archive: string;
  format?: ArchiveFormat;
  /** Entries read from the archive. */
  entries: number;
  /** Entries an extraction would refuse (outside the folder). */
  unsafeEntries: NamedCount;
  /** Why reading stopped early, when it did. */
  archiveError?: ErrorInfo;
}

export interface DeepVerifyProgress {
  entriesDone: number;
  archiveBytesRead: number;
  archiveBytes: number;
  fraction: number;
}

export async function deepVerifyArchive(
  archive: string,
  fileList: string,
  opts: { signal: AbortSignal; onProgress?: (p: DeepVerifyProgress) => void },
): Promise<DeepVerifyReport> {
  const check = await FileListCheck.load(fileList, opts.signal);
  check.ran('archive');
  const unsafe: NamedCount = { count: 0, names: [] };
  const read: { entries: number; format?: ArchiveFormat; archiveError?: ErrorInfo } = { entries: 0 };
  try {
    await readArchive(archive, check, unsafe, read, opts);
  } catch (err) {
    if (!(err instanceof ExpectedError) || !err.code.startsWith('ARCHIVE_')) throw err;
    read.archiveError = toErrorInfo(err);
  }
  const report = await check.report(opts.signal);
  const shown = unsafe.names.slice(0, 200);
  const problems = [
    ...(read.archiveError
      ? [`DAMAGED ARCHIVE: ${read.archiveError.message} Entries after this point could not be checked.`]
      : []),
    ...shown.map((n) => `UNSAFE ENTRY: ${n}; a restore refuses it.`),
    ...(unsafe.count > shown.length ? [`... and ${unsafe.count - shown.length} more unsafe entries.`] : []),
    ...report.problems,
  ];
  return {
    ...report,
    problems,
    ok: problems.length === 0,
    archive,
    ...(read.format && { format: read.format }),
    entries: read.entries,
    unsafeEntries: unsafe,
    ...(read.archiveError && { archiveError: read.archiveError }),
  };
}

async function readArchive(
  archive: string,
  check: FileListCheck,
  unsafe: NamedCount,
  read: { entries: number; format?: ArchiveFormat },
  opts: { signal: AbortSignal; onProgress?: (p: DeepVerifyProgress) => void },
): Promise<void> {
  const reader = await openArchive(archive, { signal: opts.signal });
  read.format = reader.format;
  const yielder = new EventLoopYielder();
  let last = 0;
  try {
    for await (const e of reader.entries()) {
      throwIfAborted(opts.signal);
      read.entries++;
      await observeEntry(reader, e, check, unsafe);
      const now = performance.now();
      if (opts.onProgress && now - last >= 100) {
        last = now;
        opts.onProgress(progress(read.entries, reader.bytesConsumed, reader.archiveBytes));
      }
      await yielder.maybeYield();
    }
    opts.onProgress?.(progress(read.entries, reader.archiveBytes, reader.archiveBytes));
  } finally {
    await reader.close();
  }
}

async function observeEntry(
  reader: ArchiveReader,
  e: ArchiveEntry,
  check: FileListCheck,
  unsafe: NamedCount,
): Promise<void> {
  const name = checkEntryName(e.name, e.rawName, 'linux');
  if (!name.ok) {
    unsafe.count++;
    if (unsafe.names.length < NAMES_KEPT) unsafe.names.push(`${e.name} (${name.reason})`);
    return;
  }
  const base = { key: name.name.key, name: name.name.text };
  if (e.type === 'file') {
    const hash = createHash('sha256');
    let damaged = false;
    let size = 0;
    try {
      size = await reader.readContent((c) => void hash.update(c));
    } catch (err) {
      // A zip entry that fails its own check: name it and read on (the directory says where the next one is).
      if (!(reader.format === 'zip' && err instanceof ExpectedError && err.code === 'ARCHIVE_CORRUPT'))
        throw err;
      damaged = true;
    }
    check.observe('archive', { ...base, type: 'file', size, sha256: hash.digest('hex'), damaged });
  } else if (e.type === 'hardlink')
    // Same content as a file read before it: its presence is checked, its size cannot be here (-1).
    check.observe('archive', { ...base, type: 'file', size: -1 });
  else
    check.observe('archive', {
      ...base,
      type: e.type,
      size: 0,
      ...(e.linkTarget !== undefined && { target: e.linkTarget }),
    });
}

function progress(entriesDone: number, read: number, total: number): DeepVerifyProgress {
  return {
    entriesDone,
    archiveBytesRead: Math.min(read, total),
    archiveBytes: total,
    fraction: total > 0 ? Math.min(1, read / total) : 1,
  };
}
