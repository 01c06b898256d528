// The chunks of a file, read ahead into a small ring of reused buffers. Fresh buffers per read
// (what fs.ReadStream does) cost a page fault per 4 KiB touched; reusing a few keeps a plain tar's
// extraction at memory speed. A chunk stays valid until RING - 2 further chunks have been asked
// for: ByteReader holds one chunk at a time and copies what it keeps, so that is always enough.
import { open, type FileHandle } from 'node:fs/promises';
import { throwIfAborted } from '../errors.js';

const RING = 4;

export class RingFileSource implements AsyncIterator<Buffer> {
  private readonly ring: Buffer[];
  private slot = 0;
  private pos = 0;
  private ahead: Promise<Buffer> | undefined;
  /** Bytes read from the file so far. */
  bytesRead = 0;

  private constructor(
    private readonly fh: FileHandle,
    readonly fileSize: number,
    chunk: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.ring = Array.from({ length: RING }, () => Buffer.allocUnsafeSlow(chunk));
  }

  static async open(path: string, chunk: number, signal?: AbortSignal): Promise<RingFileSource> {
    const fh = await open(path, 'r');
    try {
      return new RingFileSource(fh, (await fh.stat()).size, chunk, signal);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async next(): Promise<IteratorResult<Buffer>> {
    if (this.signal) throwIfAborted(this.signal);
    const chunk = await (this.ahead ?? this.readNext());
    this.ahead = chunk.length > 0 && this.pos < this.fileSize ? this.readNext() : undefined;
    this.ahead?.catch(() => undefined); // observed when awaited by the next call
    return chunk.length === 0 ? { done: true, value: undefined } : { done: false, value: chunk };
  }

  private async readNext(): Promise<Buffer> {
    const buf = this.ring[this.slot] as Buffer;
    this.slot = (this.slot + 1) % RING;
    const at = this.pos;
    const n = Math.min(buf.length, this.fileSize - at);
    this.pos += n;
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(buf, got, n - got, at + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.bytesRead += got;
    return buf.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.ahead?.catch(() => undefined);
    this.ahead = undefined;
    await this.fh.close();
  }
}
