// Progress of an extraction, at most every PROGRESS_MS (and once at the end). The fraction is the
// share of the archive file read so far: known from the start for every format, whatever the
// compression, and it moves steadily with the real work.
import type { ArchiveReader } from '../../archive/entry.js';

const PROGRESS_MS = 100;

export interface ExtractProgress {
  entriesDone: number;
  /** Content bytes written. */
  bytesDone: number;
  /** Bytes of the archive file read, and its size. */
  archiveBytesRead: number;
  archiveBytes: number;
  /** 0..1, from the archive bytes read. */
  fraction: number;
  /** The entry being extracted. */
  current?: string;
}

export class ExtractProgressReporter {
  private last = 0;

  constructor(private readonly emit: ((p: ExtractProgress) => void) | undefined) {}

  update(s: { entries: number; bytes: number }, reader: ArchiveReader, current: string): void {
    if (!this.emit) return;
    const now = performance.now();
    if (now - this.last < PROGRESS_MS) return;
    this.last = now;
    this.emit(snapshot(s, reader, current));
  }

  done(s: { entries: number; bytes: number }, reader: ArchiveReader): void {
    this.emit?.({ ...snapshot(s, reader, undefined), archiveBytesRead: reader.archiveBytes, fraction: 1 });
  }
}

function snapshot(
  s: { entries: number; bytes: number },
  reader: ArchiveReader,
  current: string | undefined,
): ExtractProgress {
  const total = reader.archiveBytes;
  const read = Math.min(total, reader.bytesConsumed);
  return {
    entriesDone: s.entries,
    bytesDone: s.bytes,
    archiveBytesRead: read,
    archiveBytes: total,
    fraction: total > 0 ? read / total : 1,
    ...(current !== undefined && { current }),
  };
}
