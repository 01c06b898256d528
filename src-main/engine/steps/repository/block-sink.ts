// The tar byte stream is cut into fixed-size blocks. File content is read straight into the
// current block (no copy), and full blocks go to a sink: the artifact as they are (tar), or
// gzip-compressed in parallel (tar.gz).
import { gzip, type ZlibOptions } from 'node:zlib';
import type { ArtifactOutput } from './artifact-output.js';
import { looksIncompressible } from './incompressible.js';

export interface BlockSink {
  /** Takes ownership of `block`; resolves when the sink can take the next one (backpressure). */
  push(block: Buffer): Promise<void>;
  /** Writes out everything still pending. */
  finish(): Promise<void>;
  /** Waits for work in flight after a failure, dropping its results. */
  abandon(): Promise<void>;
}

/** Reads into a caller-supplied buffer; 0 means "no more bytes". */
export type ReadInto = (buf: Buffer, offset: number, length: number) => Promise<number>;

export class BlockAssembler {
  private block: Buffer;
  private pos = 0;

  constructor(
    private readonly sink: BlockSink,
    private readonly blockSize: number,
  ) {
    this.block = Buffer.allocUnsafe(blockSize);
  }

  async write(data: Buffer): Promise<void> {
    let off = 0;
    while (off < data.length) {
      if (this.pos === this.blockSize) await this.flush();
      const n = data.copy(this.block, this.pos, off, Math.min(data.length, off + this.blockSize - this.pos));
      this.pos += n;
      off += n;
    }
  }

  async zeros(count: number): Promise<void> {
    let left = count;
    while (left > 0) {
      if (this.pos === this.blockSize) await this.flush();
      const n = Math.min(left, this.blockSize - this.pos);
      this.block.fill(0, this.pos, this.pos + n);
      this.pos += n;
      left -= n;
    }
  }

  /** Reads up to `length` bytes straight into the blocks; returns how many arrived before the source ran dry. */
  async fillFrom(read: ReadInto, length: number): Promise<number> {
    let total = 0;
    while (total < length) {
      if (this.pos === this.blockSize) await this.flush();
      const n = await read(this.block, this.pos, Math.min(length - total, this.blockSize - this.pos));
      if (n <= 0) break;
      this.pos += n;
      total += n;
    }
    return total;
  }

  async finish(): Promise<void> {
    if (this.pos > 0) await this.flush();
    await this.sink.finish();
  }

  private async flush(): Promise<void> {
    const full = this.pos === this.blockSize ? this.block : this.block.subarray(0, this.pos);
    // A fresh block: the sink may still hold the old one (in a write queue or a compressor).
    this.block = Buffer.allocUnsafe(this.blockSize);
    this.pos = 0;
    await this.sink.push(full);
  }
}

/** Plain tar: blocks go to the artifact unchanged. */
export class StoreSink implements BlockSink {
  constructor(private readonly out: ArtifactOutput) {}
  push(block: Buffer): Promise<void> {
    return this.out.write(block);
  }
  async finish(): Promise<void> {
    this.out.check();
    return Promise.resolve();
  }
  abandon(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * tar.gz: each block becomes one gzip member, compressed on libuv's thread pool with up to
 * `parallel` blocks in flight, written in order. Concatenated gzip members are one valid gzip
 * stream (RFC 1952 §2.2; gzip, zcat, tar -z, bsdtar, 7-Zip all read them).
 */
export class ParallelGzipSink implements BlockSink {
  private readonly queue: Promise<Buffer>[] = [];
  private readonly options: ZlibOptions;
  private readonly stored: ZlibOptions;
  members = 0;
  /** Members written at level 0 because their block looked incompressible. */
  storedMembers = 0;

  constructor(
    private readonly out: ArtifactOutput,
    level: number,
    private readonly parallel: number,
    blockSize: number,
    /** Store blocks that look like random data (see incompressible.ts) instead of deflating them. */
    private readonly storeIncompressible = true,
  ) {
    // One output chunk large enough for a whole member: one thread-pool job per block, no concat.
    const chunkSize = blockSize + (blockSize >> 6) + 4096;
    this.options = { level, chunkSize };
    this.stored = { level: 0, chunkSize };
  }

  async push(block: Buffer): Promise<void> {
    let options = this.options;
    if (this.storeIncompressible && this.options.level !== 0 && looksIncompressible(block)) {
      options = this.stored;
      this.storedMembers++;
    }
    const job = new Promise<Buffer>((resolve, reject) =>
      gzip(block, options, (err, res) => (err ? reject(err) : resolve(res))),
    );
    // Handled later, in order; this only keeps an abandoned job from being "unhandled".
    job.catch(() => undefined);
    this.queue.push(job);
    while (this.queue.length >= this.parallel) await this.writeHead();
  }

  async finish(): Promise<void> {
    while (this.queue.length > 0) await this.writeHead();
    this.out.check();
  }

  async abandon(): Promise<void> {
    const pending = this.queue.splice(0);
    await Promise.allSettled(pending);
  }

  private async writeHead(): Promise<void> {
    const head = this.queue.shift();
    if (!head) return;
    const compressed = await head;
    this.members++;
    await this.out.write(compressed);
  }
}
