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

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { deflateRawSync } = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const data = Buffer.from(m.buf);
    const outs = [];
    let off = 0;
    for (const n of m.sizes) {
      outs.push(deflateRawSync(data.subarray(off, off + n), { level: m.level }));
      off += n;
    }
    const total = outs.reduce((a, b) => a + b.length, 0);
    const res = new Uint8Array(total);
    let p = 0;
    for (const o of outs) { res.set(o, p); p += o.length; }
    parentPort.postMessage({ id: m.id, buf: res.buffer, sizes: outs.map((o) => o.length) }, [res.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err && err.message || err) });
  }
});
`;

const BATCH_FILES = 128;
const BATCH_BYTES = 256 * 1024;

interface Job {
  data: Buffer;
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}

interface Lane {
  worker: Worker;
  pending: Map<number, Job[]>;
}

/** Compresses small buffers in batches on worker threads (or inline when workers are not available). */
export class SmallDeflater {
  private readonly lanes: Lane[] = [];
  private batch: Job[] = [];
  private batchBytes = 0;
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
        worker = new Worker(WORKER_SOURCE, { eval: true });
      } catch {
        break; // No worker threads here: compress inline.
      }
      const lane: Lane = { worker, pending: new Map() };
      worker.on('message', (m: { id: number; buf?: ArrayBuffer; sizes?: number[]; error?: string }) =>
        this.settle(lane, m),
      );
      worker.on('error', (err) => this.failAll(err));
      worker.on('exit', (code) => {
        if (lane.pending.size > 0) this.failAll(new Error(`a compression worker exited (${code})`));
      });
      this.lanes.push(lane);
    }
  }

  /** Raw deflate (complete stream) of `data`. Call flush() before waiting on the result. */
  compress(data: Buffer): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.lanes.length === 0) {
      try {
        return Promise.resolve(deflateRawSync(data, { level: this.level }));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.batch.push({ data, resolve, reject });
      this.batchBytes += data.length;
      if (this.batch.length >= BATCH_FILES || this.batchBytes >= BATCH_BYTES) this.flush();
    });
  }

  /** Sends the batch being gathered. */
  flush(): void {
    if (this.batch.length === 0) return;
    const jobs = this.batch;
    this.batch = [];
    const buf = new Uint8Array(this.batchBytes);
    this.batchBytes = 0;
    let off = 0;
    for (const j of jobs) {
      buf.set(j.data, off);
      off += j.data.length;
    }
    const lane = this.lanes[this.nextLane++ % this.lanes.length] as Lane;
    const id = this.nextId++;
    lane.pending.set(id, jobs);
    lane.worker.postMessage(
      { id, buf: buf.buffer, sizes: jobs.map((j) => j.data.length), level: this.level },
      [buf.buffer],
    );
  }

  /** Stops the workers; anything still pending is rejected. */
  async close(): Promise<void> {
    this.failAll(new Error('compression stopped'));
    await Promise.all(this.lanes.map((l) => l.worker.terminate()));
    this.lanes.length = 0;
  }

  private settle(lane: Lane, m: { id: number; buf?: ArrayBuffer; sizes?: number[]; error?: string }): void {
    const jobs = lane.pending.get(m.id);
    if (!jobs) return;
    lane.pending.delete(m.id);
    if (m.error !== undefined || !m.buf || !m.sizes) {
      const err = new Error(`compression failed: ${m.error ?? 'no result'}`);
      for (const j of jobs) j.reject(err);
      return;
    }
    const all = Buffer.from(m.buf);
    let off = 0;
    jobs.forEach((j, i) => {
      const n = m.sizes?.[i] ?? 0;
      j.resolve(all.subarray(off, off + n));
      off += n;
    });
  }

  private failAll(err: Error): void {
    this.failure ??= err;
    for (const j of this.batch) j.reject(err);
    this.batch = [];
    this.batchBytes = 0;
    for (const lane of this.lanes) {
      for (const jobs of lane.pending.values()) for (const j of jobs) j.reject(err);
      lane.pending.clear();
    }
  }
}
