// Reads one file for the archive: exactly the size seen by the walk's lstat, positional reads
// (so a concurrent truncate/append cannot shift what we read), read errors kept instead of thrown
// so the archive stays consistent and the caller can warn.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { throwIfAborted } from '../../step.js';

/**
 * O_NOFOLLOW: a file swapped for a symlink between lstat and open is refused, never followed.
 * O_NONBLOCK: a file swapped for a FIFO does not hang the run. Both are 0 on Windows.
 */
export const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export type OpenFile = (path: string, flags: number) => Promise<FileHandle>;

export const defaultOpen: OpenFile = (path, flags) => open(path, flags);

export interface ReaderHooks {
  /** Called after each read with the file's bytes so far (test seam; also used for progress). */
  afterRead?: (bytesSoFar: number) => void | Promise<void>;
  onBytes: (n: number) => void;
}

export class FileReader {
  bytesRead = 0;
  /** The first read error, if any; reading stops there. */
  error: NodeJS.ErrnoException | undefined;

  constructor(
    readonly handle: FileHandle,
    /** The size the archive entry declares. */
    readonly size: number,
    private readonly signal: AbortSignal,
    private readonly hooks: ReaderHooks,
  ) {}

  /** Reads the next bytes into buf[offset..offset+length); 0 when the declared size is reached, at EOF or after an error. */
  readInto = async (buf: Buffer, offset: number, length: number): Promise<number> => {
    throwIfAborted(this.signal);
    const want = Math.min(length, this.size - this.bytesRead);
    if (want <= 0 || this.error) return 0;
    let n: number;
    try {
      ({ bytesRead: n } = await this.handle.read(buf, offset, want, this.bytesRead));
    } catch (err) {
      this.error = err as NodeJS.ErrnoException;
      return 0;
    }
    if (n <= 0) return 0;
    this.bytesRead += n;
    this.hooks.onBytes(n);
    if (this.hooks.afterRead) await this.hooks.afterRead(this.bytesRead);
    throwIfAborted(this.signal);
    return n;
  };

  get shortBy(): number {
    return this.size - this.bytesRead;
  }
}
