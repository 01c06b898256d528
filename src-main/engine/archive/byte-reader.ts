// Pull-style reading over a stream of chunks: exact reads for headers, zero-copy slices for
// content. Most tar headers sit inside the current chunk, so the common path returns at once
// without waiting on the stream.
const EMPTY = Buffer.alloc(0);

export class ByteReader {
  private chunk: Buffer = EMPTY;
  private pos = 0;
  private ended = false;
  /** Bytes handed out (or skipped) so far: the offset in the (decompressed) stream. */
  offset = 0;

  /** `mapError` turns a source failure into the error to throw (e.g. gzip damage into ARCHIVE_CORRUPT). */
  constructor(
    private readonly source: AsyncIterator<Buffer>,
    private readonly mapError: (err: unknown) => Error,
  ) {}

  private get buffered(): number {
    return this.chunk.length - this.pos;
  }

  /** Loads the next chunk; false at the end of the stream. */
  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    let r: IteratorResult<Buffer>;
    try {
      r = await this.source.next();
    } catch (err) {
      throw this.mapError(err);
    }
    if (r.done) {
      this.ended = true;
      return false;
    }
    this.chunk = r.value;
    this.pos = 0;
    return true;
  }

  /** Exactly `n` bytes, or fewer only at the end of the stream. The result may share memory with the stream's chunk. */
  async read(n: number): Promise<Buffer> {
    if (this.buffered >= n) return this.take(n);
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      if (this.buffered === 0 && !(await this.fill())) break;
      const part = this.take(Math.min(n - have, this.buffered));
      parts.push(part);
      have += part.length;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, have);
  }

  /** The next slice of at most `max` bytes (at least 1 unless the stream has ended). */
  async next(max: number): Promise<Buffer> {
    if (this.buffered === 0 && !(await this.fill())) return EMPTY;
    return this.take(Math.min(max, this.buffered));
  }

  /** Skips `n` bytes; returns how many could be skipped before the end. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.buffered === 0 && !(await this.fill())) break;
      left -= this.take(Math.min(left, this.buffered)).length;
    }
    return n - left;
  }

  private take(n: number): Buffer {
    const out = this.chunk.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.offset += n;
    return out;
  }
}
