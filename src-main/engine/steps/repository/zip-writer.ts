// Our streaming zip writer (format details in zip-format.ts, compression in zip-deflate.ts).
//
// Memory stays flat whatever the number of files: entries are written as they come, and the
// central directory is built at the end from a packed record per entry (zip-central.ts).
// Small files (up to 256 KiB) are read whole, queued in archive order and compressed in batches on
// worker threads while the next files are read; their headers carry CRC and sizes. Larger files
// are streamed in 1 MiB blocks compressed on the thread pool (pigz-style), with a data descriptor.
// A file that shrinks or errors while read ends its entry cleanly: CRC and sizes describe exactly
// the bytes stored.
import { isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';
import type { ArtifactOutput } from './artifact-output.js';
import { CoalescingOutput } from './coalescing-output.js';
import type { ArchiveEntry, ArchiveNamer, EntryWriter } from './entry-writer.js';
import type { FileReader } from './file-reader.js';
import { looksIncompressible } from './incompressible.js';
import { CentralLog } from './zip-central.js';
import {
  BATCH_BYTES,
  DEFLATE_BLOCK,
  FINAL_BLOCK,
  SmallFileCompressor,
  deflateBlock,
  storedBlocks,
} from './zip-deflate.js';
import {
  METHOD_DEFLATE,
  METHOD_STORE,
  ZIP64_ENTRY_AT,
  centralHeader,
  dataDescriptor,
  endRecords,
  localHeader,
  utf8Flag,
  type ZipEntryInfo,
} from './zip-format.js';
import { ZipNamer } from './zip-names.js';
import { EventLoopYielder } from './yielder.js';

/** Files up to this size are read whole and compressed in batches. */
export const SMALL_FILE = BATCH_BYTES;
/** Small entries waiting for compression or their turn to be written, at most (count, bytes). */
const QUEUE_ENTRIES = 128;
const QUEUE_BYTES = 4 * 1024 * 1024;

export interface ZipWriterOptions {
  /** zlib level: 0 stores every entry. */
  level: number;
  /** Store blocks (and small files) that look incompressible instead of deflating them (default true). */
  storeIncompressible?: boolean;
  /** 1 MiB blocks of one large file compressed at once (default 3). */
  parallel?: number;
  /** Worker threads for small files (default: cores - 1, at least 1). */
  workers?: number;
}

interface Prepared {
  info: Omit<ZipEntryInfo, 'offset'>;
  data: readonly Buffer[];
  uid: number;
  gid: number;
  /** Called once the data is written (its buffer may be reused). */
  release?: () => void;
}

interface Queued {
  bytes: number;
  /** Set once the entry is ready to be written. */
  done?: Prepared;
  ready?: Promise<Prepared>;
}

export class ZipWriter implements EntryWriter {
  readonly description: string;
  readonly shortFileNote = 'its entry holds the bytes that could be read';
  /** 1 MiB blocks of large files, and whole small files, stored because they looked incompressible. */
  storedBlocks = 0;
  private readonly sink: CoalescingOutput;
  private readonly central = new CentralLog();
  private readonly small: SmallFileCompressor | undefined;
  private readonly storeIncompressible: boolean;
  private readonly parallel: number;
  private queue: Queued[] = [];
  private queueHead = 0;
  private queuedBytes = 0;

  constructor(
    out: ArtifactOutput,
    private readonly opts: ZipWriterOptions,
  ) {
    this.sink = new CoalescingOutput(out);
    this.storeIncompressible = opts.storeIncompressible ?? true;
    this.parallel = Math.max(1, opts.parallel ?? 3);
    if (opts.level > 0) this.small = new SmallFileCompressor(opts.level, opts.workers);
    this.description =
      opts.level === 0
        ? 'zip (zip64 when needed), stored without compression'
        : `zip (zip64 when needed), deflate level ${opts.level} in parallel blocks` +
          (this.storeIncompressible ? ', incompressible data stored' : '');
  }

  namer(): ArchiveNamer {
    return new ZipNamer();
  }

  directory(e: ArchiveEntry): Promise<void> {
    const name = Buffer.concat([e.name, Buffer.from('/')]);
    return this.enqueue(0, this.prepared(e, name, METHOD_STORE, 0, [], 0));
  }

  symlink(e: ArchiveEntry, target: Buffer): Promise<void> {
    const p = this.prepared(e, e.name, METHOD_STORE, crc32(target), [target], target.length);
    return this.enqueue(target.length, p);
  }

  async file(e: ArchiveEntry, reader: FileReader): Promise<number> {
    if (reader.size <= SMALL_FILE) return this.smallFile(e, reader);
    await this.drainTo(0, 0);
    return this.largeFile(e, reader);
  }

  async finish(): Promise<void> {
    await this.drainTo(0, 0);
    const cdOffset = this.sink.position;
    const yielder = new EventLoopYielder();
    for (const info of this.central.entries()) {
      await this.sink.write(centralHeader(info));
      await yielder.maybeYield();
    }
    const cdSize = this.sink.position - cdOffset;
    await this.sink.write(endRecords(this.central.count, cdOffset, cdSize));
    await this.sink.flush();
    this.sink.check();
    await this.small?.close();
  }

  async abandon(): Promise<void> {
    this.queue = [];
    this.queueHead = 0;
    await this.small?.close();
  }

  private prepared(
    e: ArchiveEntry,
    name: Buffer,
    method: number,
    crc: number,
    data: readonly Buffer[],
    size: number,
    csize = size,
  ): Prepared {
    return {
      info: {
        name,
        utf8: utf8Flag(name, isUtf8(name)),
        method,
        crc,
        csize,
        usize: size,
        mtime: Math.floor(e.stats.mtimeMs / 1000),
        mode: e.stats.mode,
        isDir: e.stats.isDirectory(),
        descriptor: false,
        zip64: false,
      },
      data,
      uid: e.stats.uid,
      gid: e.stats.gid,
    };
  }

  /** Reads a small file whole; queued in archive order while it is compressed with others. */
  private async smallFile(e: ArchiveEntry, reader: FileReader): Promise<number> {
    const small = this.small;
    const buf = small ? small.reserve(reader.size) : Buffer.allocUnsafe(reader.size);
    let got = 0;
    for (;;) {
      const n = await reader.readInto(buf, got, reader.size - got);
      if (n <= 0) break;
      got += n;
    }
    const data = buf.subarray(0, got);
    const crc = crc32(data);
    if (!small) {
      await this.enqueue(got, this.prepared(e, e.name, METHOD_STORE, crc, [data], got));
      return got;
    }
    const incompressible = this.storeIncompressible && looksIncompressible(data);
    if (incompressible) this.storedBlocks++;
    const ready = small.submit(got, incompressible).then((r) => ({
      ...this.prepared(e, e.name, r.method, crc, [r.data], got, r.data.length),
      release: r.release,
    }));
    await this.enqueue(got, ready);
    return got;
  }

  /** Streams a large file: header with a data descriptor, blocks compressed in parallel, descriptor. */
  private async largeFile(e: ArchiveEntry, reader: FileReader): Promise<number> {
    const method = this.opts.level === 0 ? METHOD_STORE : METHOD_DEFLATE;
    const head = this.prepared(e, e.name, method, 0, [], 0, 0);
    const info: ZipEntryInfo = {
      ...head.info,
      descriptor: true,
      zip64: reader.size >= ZIP64_ENTRY_AT,
      offset: this.sink.position,
    };
    await this.sink.write(localHeader(info, head.uid, head.gid));
    const window: Promise<Buffer | Buffer[]>[] = [];
    let previous: Buffer | undefined;
    const writeHead = async (): Promise<void> => {
      const out = await (window.shift() as Promise<Buffer | Buffer[]>);
      for (const b of Array.isArray(out) ? out : [out]) {
        info.csize += b.length;
        await this.sink.write(b);
      }
    };
    for (;;) {
      const block = await readBlock(reader);
      if (block === undefined) break;
      info.crc = crc32(block, info.crc);
      info.usize += block.length;
      const job = this.blockJob(block, method, previous);
      job.catch(() => undefined); // awaited in order below; this only keeps an abandoned job quiet
      window.push(job);
      previous = block;
      while (window.length >= this.parallel) await writeHead();
    }
    while (window.length > 0) await writeHead();
    if (method === METHOD_DEFLATE) {
      info.csize += FINAL_BLOCK.length;
      await this.sink.write(FINAL_BLOCK);
    }
    await this.sink.write(dataDescriptor(info.crc, info.csize, info.usize, info.zip64));
    this.central.add(info);
    return info.usize;
  }

  private blockJob(block: Buffer, method: number, previous: Buffer | undefined): Promise<Buffer | Buffer[]> {
    if (method === METHOD_STORE) return Promise.resolve(block);
    if (this.storeIncompressible && looksIncompressible(block)) {
      this.storedBlocks++;
      return Promise.resolve(storedBlocks(block));
    }
    return deflateBlock(block, this.opts.level, previous);
  }

  /**
   * Queues an entry (ready now, or once compressed) and writes every entry at the head of the
   * queue that is ready: entries wait only while a batch is being compressed, so few of them
   * outlive a young-generation GC. Waits when too many are pending.
   */
  private async enqueue(bytes: number, entry: Prepared | Promise<Prepared>): Promise<void> {
    const q: Queued = { bytes };
    if (entry instanceof Promise) {
      q.ready = entry;
      // Awaited in order by drainTo(); this marks it ready, and keeps an abandoned entry quiet.
      entry.then(
        (p) => (q.done = p),
        () => undefined,
      );
    } else q.done = entry;
    this.queue.push(q);
    this.queuedBytes += bytes;
    if (this.queue.length - this.queueHead > QUEUE_ENTRIES || this.queuedBytes > QUEUE_BYTES)
      await this.drainTo(QUEUE_ENTRIES / 2, QUEUE_BYTES / 2);
    else await this.drainReady();
  }

  /** Writes the entries at the head of the queue that are ready, without waiting for the others. */
  private async drainReady(): Promise<void> {
    for (let q = this.queue[this.queueHead]; q?.done; q = this.queue[this.queueHead]) await this.writeHead();
    this.compact();
  }

  /** Writes queued entries, oldest first, until at most `entries` / `bytes` are left waiting. */
  private async drainTo(entries: number, bytes: number): Promise<void> {
    this.small?.flush();
    while (
      this.queue.length - this.queueHead > entries ||
      (this.queuedBytes > bytes && this.queueHead < this.queue.length)
    )
      await this.writeHead();
    this.compact();
  }

  private async writeHead(): Promise<void> {
    const q = this.queue[this.queueHead++] as Queued;
    this.queuedBytes -= q.bytes;
    const p = q.done ?? (await q.ready);
    if (!p) throw new Error('a zip entry was queued without its data');
    const info: ZipEntryInfo = { ...p.info, offset: this.sink.position };
    await this.sink.write(localHeader(info, p.uid, p.gid));
    await this.sink.writeAll(p.data);
    p.release?.();
    this.central.add(info);
  }

  private compact(): void {
    if (this.queueHead > 4096 || this.queueHead === this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }
}

/** The next block (up to 1 MiB) of the file, or undefined at its end. */
async function readBlock(reader: FileReader): Promise<Buffer | undefined> {
  const want = Math.min(DEFLATE_BLOCK, reader.size - reader.bytesRead);
  if (want <= 0) return undefined;
  const block = Buffer.allocUnsafe(want);
  let got = 0;
  while (got < want) {
    const n = await reader.readInto(block, got, want - got);
    if (n <= 0) break;
    got += n;
  }
  return got === 0 ? undefined : block.subarray(0, got);
}
