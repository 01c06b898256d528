// Deflate for the zip writer, on every core.
//
// Large files: pigz's technique. The file is cut into 1 MiB blocks; each block is compressed as
// raw deflate on libuv's thread pool, primed with the last 32 KiB of the block before it as its
// dictionary (so the ratio is that of one stream) and ended with a sync flush (an empty stored
// block, byte-aligned), so the blocks simply concatenate; one empty final block (03 00) ends the
// stream. A block that looks like random data (see incompressible.ts) is written as stored
// deflate blocks instead, on the main thread, without a copy. The CRC-32 is computed on the main
// thread as blocks are read (zlib's SIMD crc32 runs at several GB/s), so no combining is needed.
//
// Small files: one zlib call each costs ~7 µs of set-up, and a thread-pool job per file costs
// ~50 µs of overhead, so small files are compressed in batches (up to 128 files / 256 KiB) by
// worker threads, each file as its own complete raw-deflate stream.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { constants, deflateRaw, deflateRawSync } from 'node:zlib';

export const DEFLATE_BLOCK = 1024 * 1024;
const DICTIONARY = 32 * 1024;
/** The final, empty, fixed-Huffman block: BFINAL=1, BTYPE=01, end-of-block. */
export const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** One block of a large file as raw deflate, ended by a sync flush (not final). */
export function deflateBlock(block: Buffer, level: number, previous: Buffer | undefined): Promise<Buffer> {
  const opts = {
    level,
    finishFlush: constants.Z_SYNC_FLUSH,
    chunkSize: block.length + (block.length >> 6) + 4096,
    ...(previous !== undefined &&
      previous.length > 0 && { dictionary: previous.subarray(Math.max(0, previous.length - DICTIONARY)) }),
  };
  return new Promise((resolve, reject) =>
    deflateRaw(block, opts, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

/** `data` as stored (uncompressed) deflate blocks, not final: a 5-byte header per 65535 bytes. */
export function storedBlocks(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < data.length; off += 0xffff) {
    const n = Math.min(0xffff, data.length - off);
    const h = Buffer.alloc(5); // BFINAL=0, BTYPE=00, then LEN and its complement
    h.writeUInt16LE(n, 1);
    h.writeUInt16LE(~n & 0xffff, 3);
    out.push(h, data.subarray(off, off + n));
  }
  return out;
}

// The worker compresses each file of a batch as its own complete raw-deflate stream and writes,
// per file, whichever is smaller (deflated, or the bytes as they are) into the output buffer, so
// the output never needs more room than the input. Both buffers go back to the main thread.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { deflateRawSync } = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const input = Buffer.from(m.input);
    const output = Buffer.from(m.output);
    const sizes = [];
    const methods = [];
    let off = 0;
    let out = 0;
    for (let i = 0; i < m.sizes.length; i++) {
      const n = m.sizes[i];
      const data = input.subarray(off, off + n);
      off += n;
      // Output room just above the input: zlib's default 16 KiB chunk per call would be garbage.
      const c = m.store[i] || n === 0 ? undefined : deflateRawSync(data, { level: m.level, chunkSize: Math.max(64, n + 64) });
      const use = c !== undefined && c.length < n ? c : data;
      use.copy(output, out);
      out += use.length;
      sizes.push(use.length);
      methods.push(use === data ? 0 : 8);
    }
    parentPort.postMessage({ id: m.id, input: m.input, output: m.output, sizes, methods }, [m.input, m.output]);
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err) });
  }
});
`;

/** Files per batch, and bytes per batch (a small file is at most this large). */
const BATCH_FILES = 32;
export const BATCH_BYTES = 256 * 1024;
/** Free batch buffers kept for reuse, per kind. */
const POOL = 16;

export interface SmallResult {
  /** 8: deflated; 0: stored (deflate would not make it smaller, or it looked incompressible). */
  method: number;
  data: Buffer;
  /** Call once `data` is written: its buffer may be reused. */
  release: () => void;
}

interface Job {
  size: number;
  store: boolean;
  resolve: (r: SmallResult) => void;
  reject: (e: Error) => void;
}

interface Batch {
  input: Buffer;
  used: number;
  jobs: Job[];
}

interface Lane {
  worker: Worker;
  pending: Map<number, Batch>;
}

interface WorkerReply {
  id: number;
  input?: ArrayBuffer;
  output?: ArrayBuffer;
  sizes?: number[];
  methods?: number[];
  error?: string;
}

/**
 * Compresses small files in batches on worker threads. The writer reads each file straight into
 * the batch buffer (reserve, then submit); batch buffers travel to the worker and back and are
 * reused, so a million small files allocate almost nothing per file. Without worker threads the
 * files are compressed inline.
 */
export class SmallFileCompressor {
  private readonly lanes: Lane[] = [];
  private readonly freeInputs: Buffer[] = [];
  private readonly freeOutputs: Buffer[] = [];
  private batch: Batch | undefined;
  private nextId = 0;
  private nextLane = 0;
  private failure: Error | undefined;

  constructor(
    private readonly level: number,
    workers = Math.max(1, Math.min(4, availableParallelism() - 1)),
  ) {
    for (let i = 0; i < workers; i++) {
      let worker: Worker;
      try {
        // A small heap: the worker holds one batch and its result at a time, and a small young
        // generation is collected often, which frees zlib's per-call output buffers promptly.
        worker = new Worker(WORKER_SOURCE, {
          eval: true,
          resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 32 },
        });
      } catch {
        break; // No worker threads here: compress inline.
      }
      const lane: Lane = { worker, pending: new Map() };
      worker.on('message', (m: WorkerReply) => this.settle(lane, m));
      worker.on('error', (err) => this.failAll(err));
      worker.on('exit', (code) => {
        if (lane.pending.size > 0) this.failAll(new Error(`a compression worker exited (${code})`));
      });
      this.lanes.push(lane);
    }
  }

  /** A buffer of `size` bytes (at most BATCH_BYTES) to read the next file into; then call submit(). */
  reserve(size: number): Buffer {
    if (this.batch && this.batch.used + size > this.batch.input.length) this.flush();
    this.batch ??= { input: this.freeInputs.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES), used: 0, jobs: [] };
    return this.batch.input.subarray(this.batch.used, this.batch.used + size);
  }

  /** The file read into the reserved buffer (`got` bytes of it): deflated, or stored when `store`. */
  submit(got: number, store: boolean): Promise<SmallResult> {
    if (this.failure) return Promise.reject(this.failure);
    const batch = this.batch as Batch;
    if (this.lanes.length === 0) return Promise.resolve(this.inline(batch, got, store));
    return new Promise<SmallResult>((resolve, reject) => {
      batch.jobs.push({ size: got, store, resolve, reject });
      batch.used += got;
      if (batch.jobs.length >= BATCH_FILES) this.flush();
    });
  }

  /** Sends the batch being gathered. Call before waiting on a result. */
  flush(): void {
    const batch = this.batch;
    this.batch = undefined;
    if (!batch) return;
    if (batch.jobs.length === 0) {
      this.recycle(this.freeInputs, batch.input);
      return;
    }
    const lane = this.lanes[this.nextLane++ % this.lanes.length] as Lane;
    const id = this.nextId++;
    lane.pending.set(id, batch);
    const output = this.freeOutputs.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
    lane.worker.postMessage(
      {
        id,
        input: batch.input.buffer,
        output: output.buffer,
        sizes: batch.jobs.map((j) => j.size),
        store: batch.jobs.map((j) => j.store),
        level: this.level,
      },
      [batch.input.buffer as ArrayBuffer, output.buffer as ArrayBuffer],
    );
  }

  /** Stops the workers; anything still pending is rejected. */
  async close(): Promise<void> {
    this.failAll(new Error('compression stopped'));
    await Promise.all(this.lanes.map((l) => l.worker.terminate()));
    this.lanes.length = 0;
  }

  private inline(batch: Batch, got: number, store: boolean): SmallResult {
    const data = Buffer.from(batch.input.subarray(batch.used, batch.used + got));
    const c = store || got === 0 ? undefined : deflateRawSync(data, { level: this.level });
    return c !== undefined && c.length < got
      ? { method: 8, data: c, release: () => undefined }
      : { method: 0, data, release: () => undefined };
  }

  private settle(lane: Lane, m: WorkerReply): void {
    const batch = lane.pending.get(m.id);
    if (!batch) return;
    lane.pending.delete(m.id);
    if (m.error !== undefined || !m.input || !m.output || !m.sizes || !m.methods) {
      const err = new Error(`compression failed: ${m.error ?? 'no result'}`);
      for (const j of batch.jobs) j.reject(err);
      return;
    }
    this.recycle(this.freeInputs, Buffer.from(m.input));
    const output = Buffer.from(m.output);
    let unreleased = batch.jobs.length;
    const release = (): void => {
      if (--unreleased === 0) this.recycle(this.freeOutputs, output);
    };
    let off = 0;
    batch.jobs.forEach((j, i) => {
      const n = m.sizes?.[i] ?? 0;
      let released = false;
      j.resolve({
        method: m.methods?.[i] ?? 0,
        data: output.subarray(off, off + n),
        release: () => {
          if (released) return;
          released = true;
          release();
        },
      });
      off += n;
    });
  }

  private recycle(pool: Buffer[], buf: Buffer): void {
    if (buf.length === BATCH_BYTES && pool.length < POOL) pool.push(buf);
  }

  private failAll(err: Error): void {
    this.failure ??= err;
    for (const j of this.batch?.jobs ?? []) j.reject(err);
    this.batch = undefined;
    for (const lane of this.lanes) {
      for (const b of lane.pending.values()) for (const j of b.jobs) j.reject(err);
      lane.pending.clear();
    }
  }
}
