// Positional reads through a sliding window: a zip's entries and its central directory are each
// read front to back, so one large read serves many small records, and the next window is read
// ahead while the current one is used. A window is never reused in place (a new buffer per
// refill), so a slice handed out stays valid while a consumer holds it.
import type { FileHandle } from 'node:fs/promises';

const EMPTY = Buffer.alloc(0);

export class FileWindow {
  private buf: Buffer = EMPTY;
  private start = 0;
  private ahead: { pos: number; read: Promise<Buffer> } | undefined;
  /** Highest file offset read so far. */
  reached = 0;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly windowBytes = 1024 * 1024,
  ) {}

  /** Bytes [pos, pos + len), fewer only where the file ends. */
  async get(pos: number, len: number): Promise<Buffer> {
    const off = pos - this.start;
    if (off >= 0 && off + len <= this.buf.length) return this.buf.subarray(off, off + len);
    const ahead = this.ahead;
    this.ahead = undefined;
    let buf: Buffer | undefined;
    if (ahead?.pos === pos) {
      buf = await ahead.read;
      if (buf.length < Math.min(len, this.size - pos)) buf = undefined;
    } else await ahead?.read.catch(() => undefined); // never leave a read running unobserved
    buf ??= await this.read(pos, Math.max(len, this.windowBytes));
    this.buf = buf;
    this.start = pos;
    this.reached = Math.max(this.reached, pos + buf.length);
    const next = pos + buf.length;
    if (next < this.size) {
      const read = this.read(next, this.windowBytes);
      read.catch(() => undefined); // a failure surfaces when (if) this window is asked for
      this.ahead = { pos: next, read };
    }
    return buf.subarray(0, Math.min(len, buf.length));
  }

  /** Waits for a read-ahead in flight (before the file is closed). */
  async settle(): Promise<void> {
    await this.ahead?.read.catch(() => undefined);
    this.ahead = undefined;
  }

  private async read(pos: number, want: number): Promise<Buffer> {
    const n = Math.min(want, Math.max(0, this.size - pos));
    const buf = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(buf, got, n - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  }
}
