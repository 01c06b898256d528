// A Writable that writes to a file and hashes on the way, so an artifact's SHA-256
// never needs a second read. fsync happens in _final: "done" means on the disk.
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { PRIVATE_FILE_MODE } from './private-modes.js';

export class HashingFileWriter extends Writable {
  private handle: FileHandle | undefined;
  private readonly hash: Hash = createHash('sha256');
  private written = 0;

  /**
   * Opens the file first, so that a file that cannot be created (no free inode, a read-only or
   * vanished drive) is a rejected promise the caller awaits — never an 'error' event nobody hears.
   */
  static async open(path: string): Promise<HashingFileWriter> {
    const handle = await open(path, 'wx', PRIVATE_FILE_MODE);
    return new HashingFileWriter(path, handle);
  }

  constructor(
    private readonly path: string,
    handle?: FileHandle,
    /** Files staged for a server to read (restore) pass STAGED_FILE_MODE; set files stay private. */
    private readonly mode: number = PRIVATE_FILE_MODE,
  ) {
    super({ highWaterMark: 1024 * 1024 });
    this.handle = handle;
    // A write error surfaces at commit (stream.errored / end's callback); an 'error' event with no
    // listener must never crash the process.
    this.on('error', () => undefined);
  }

  get bytesWritten(): number {
    return this.written;
  }

  digest(): string {
    return this.hash.copy().digest('hex');
  }

  override _construct(callback: (error?: Error | null) => void): void {
    if (this.handle) return callback();
    // chmod as well: the umask of whoever started the run (cron, systemd) must not narrow a staged
    // file's mode below what the server reading it needs.
    open(this.path, 'w', this.mode).then(
      async (h) => {
        this.handle = h;
        await h.chmod(this.mode).then(() => callback(), callback);
      },
      (err: Error) => callback(err),
    );
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeAll([chunk]).then(() => callback(), callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.writeAll(chunks.map((c) => c.chunk)).then(() => callback(), callback);
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error('file not open');
    let pending = buffers;
    while (pending.length > 0) {
      const { bytesWritten } = await handle.writev(pending).catch((err: unknown) => {
        throw sizeLimitError(err, this.written + pending.reduce((a, b) => a + b.length, 0));
      });
      // Hash exactly what reached the file, in order.
      let left = bytesWritten;
      const rest: Buffer[] = [];
      for (const b of pending) {
        if (left >= b.length) {
          this.hash.update(b);
          left -= b.length;
        } else {
          if (left > 0) this.hash.update(b.subarray(0, left));
          rest.push(b.subarray(left));
          left = 0;
        }
      }
      this.written += bytesWritten;
      pending = rest;
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    if (!handle) return callback();
    handle
      .sync()
      .then(() => handle.close())
      .then(
        () => {
          this.handle = undefined;
          callback();
        },
        // A driver with a write-back cache refuses the bytes past 4 GiB only when they are flushed.
        (err: Error) => callback(sizeLimitError(err, this.written) as Error),
      );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return callback(error);
    handle.close().then(
      () => callback(error),
      () => callback(error),
    );
  }
}

/**
 * The smallest file-size limit in the field: 2 GiB - 1 byte (drivers with signed 32-bit offsets,
 * such as fusefat, and old shares); FAT32 itself stops at 4 GiB - 1 byte.
 */
const SMALLEST_SIZE_LIMIT = 2 ** 31 - 1;

/**
 * A write refused once the file is past 2 GiB is a file-size limit, whatever errno the driver
 * picked (the kernel and Windows say EFBIG; FUSE FAT drivers say EPERM or EINVAL — never a
 * permission problem: rights are checked when the file is opened). Named EFBIG so that the error
 * says "file too large", not "access denied".
 */
function sizeLimitError(err: unknown, endOffset: number): unknown {
  const code = (err as { code?: string }).code;
  if (endOffset <= SMALLEST_SIZE_LIMIT || !['EPERM', 'EINVAL', 'EFBIG', 'EOVERFLOW'].includes(code ?? ''))
    return err;
  return Object.assign(new Error(`${(err as Error).message} (at ${endOffset} bytes)`), {
    code: 'EFBIG',
    cause: err,
  });
}
