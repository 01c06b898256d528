// Positional reads through a sliding window: a zip's entries and its central directory are each
// read front to back, so one large read serves many small records. A window is never reused in
// place (a new buffer per refill), so a slice handed out stays valid while a consumer holds it.
import type { FileHandle } from 'node:fs/promises';

const EMPTY = Buffer.alloc(0);

export class FileWindow {
  private buf: Buffer = EMPTY;
  private start = 0;
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
    const want = Math.min(Math.max(len, this.windowBytes), Math.max(0, this.size - pos));
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.fh.read(buf, got, want - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.buf = buf.subarray(0, got);
    this.start = pos;
    this.reached = Math.max(this.reached, pos + got);
    return this.buf.subarray(0, Math.min(len, got));
  }
}
