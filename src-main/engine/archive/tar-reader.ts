// Streaming tar and tar.gz reader: POSIX ustar, PAX extended headers (local and global: path,
// linkpath, size, mtime, hdrcharset), GNU long names/links and base-256 numbers. tar.gz may be
// many gzip members one after the other (the backup writes 1 MiB members): Node's gunzip reads
// them as one stream. Memory: one chunk of the stream and the current entry's metadata.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { archiveCorrupt, archiveReadError, archiveTruncated, archiveUnsupported } from './archive-errors.js';
import { ByteReader } from './byte-reader.js';
import { RingFileSource } from './ring-file-source.js';
import type { ArchiveEntry, ArchiveReader, ChunkSink, EntryType } from './entry.js';
import { decodeUtf8OrRaw, untilNul } from './names.js';
import { paxInteger, paxNumber, parsePax, type PaxRecords } from './pax.js';
import { BLOCK, isZeroBlock, parseTarHeader, type TarHeaderFields } from './tar-fields.js';

/** Largest PAX header or GNU long name accepted: far above any real path, far below harmful. */
const MAX_META_BYTES = 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

export async function openTarReader(
  path: string,
  opts: { gzip: boolean; signal?: AbortSignal },
): Promise<ArchiveReader> {
  if (!opts.gzip) {
    const ring = await RingFileSource.open(path, READ_CHUNK, opts.signal).catch((err: unknown) =>
      Promise.reject(archiveReadError(path, err)),
    );
    return new TarReader(path, 'tar', ring, {
      bytesRead: () => ring.bytesRead,
      close: () => ring.close(),
      size: ring.fileSize,
    });
  }
  const size = (await stat(path).catch((err: unknown) => Promise.reject(archiveReadError(path, err)))).size;
  const file = createReadStream(path, {
    highWaterMark: READ_CHUNK,
    ...(opts.signal && { signal: opts.signal }),
  });
  // A deep output buffer: gunzip keeps inflating (on another thread) while the entries already
  // out are being written. (zlib streams pass stream options on to Transform; ZlibOptions' type
  // does not list them.)
  const gunzip = createGunzip({ chunkSize: 256 * 1024, ...{ highWaterMark: 8 * READ_CHUNK } });
  // Errors reach the reader through the gunzip stream's iterator.
  const source: Readable = pipeline(file, gunzip, () => undefined);
  return new TarReader(path, 'tar.gz', source[Symbol.asyncIterator]() as AsyncIterator<Buffer>, {
    bytesRead: () => file.bytesRead,
    close: () => {
      source.destroy();
      file.destroy();
      return Promise.resolve();
    },
    size,
  });
}

/** The archive file under the byte stream: its size, how far it has been read, and how to let go of it. */
interface FileSide {
  size: number;
  bytesRead: () => number;
  close: () => Promise<void>;
}

interface Pending {
  pax?: PaxRecords;
  longName?: Buffer;
  longLink?: Buffer;
}

const KINDS: Record<string, string> = {
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO (named pipe)',
  V: 'volume label',
};

class TarReader implements ArchiveReader {
  private readonly r: ByteReader;
  private remaining = 0;
  private padding = 0;
  private current: ArchiveEntry | undefined;
  private contentTaken = false;
  private count = 0;
  /** A header block read while looking past an end marker. */
  private pushedBack: Buffer | undefined;

  readonly archiveBytes: number;

  constructor(
    private readonly path: string,
    readonly format: 'tar' | 'tar.gz',
    source: AsyncIterator<Buffer>,
    private readonly file: FileSide,
  ) {
    this.archiveBytes = file.size;
    this.r = new ByteReader(source, (err) => archiveReadError(path, err));
  }

  get bytesConsumed(): number {
    return this.file.bytesRead();
  }

  async *entries(): AsyncGenerator<ArchiveEntry> {
    let global: PaxRecords = new Map();
    let pending: Pending = {};
    for (;;) {
      await this.skipRest();
      const at = this.r.offset - (this.pushedBack ? BLOCK : 0);
      const block = this.pushedBack ?? (await this.r.read(BLOCK));
      this.pushedBack = undefined;
      if (block.length < BLOCK)
        throw archiveTruncated(
          this.path,
          block.length === 0 && at > 0
            ? 'the end-of-archive marker is missing.'
            : `a header at byte ${at} is cut off.`,
          { offset: at },
        );
      if (isZeroBlock(block)) {
        if (await this.nextArchive()) continue;
        return;
      }
      const h = parseTarHeader(block);
      if (!h.ok) throw archiveCorrupt(this.path, `${h.reason} at byte ${at}.`, { offset: at });
      const f = h.fields;
      if (!Number.isFinite(f.size) || f.size < 0)
        throw archiveCorrupt(this.path, `the header at byte ${at} declares an impossible size.`, {
          offset: at,
        });
      switch (f.typeflag) {
        case 'x':
          pending.pax = new Map([...(pending.pax ?? []), ...(await this.paxRecords(f.size, at))]);
          continue;
        case 'g':
          global = new Map([...global, ...(await this.paxRecords(f.size, at))]);
          continue;
        case 'L':
          pending.longName = untilNul(await this.meta(f.size, at, 'GNU long name'));
          continue;
        case 'K':
          pending.longLink = untilNul(await this.meta(f.size, at, 'GNU long link name'));
          continue;
      }
      const entry = this.entry(f, new Map([...global, ...(pending.pax ?? [])]), pending, at);
      pending = {};
      this.current = entry;
      this.contentTaken = false;
      yield entry;
    }
  }

  /**
   * After an end-of-archive block: another tar may follow (archives concatenated, or entries
   * appended after a first end marker), read like `tar --ignore-zeros`. Zero blocks are skipped; a
   * valid header continues the archive (true); anything else is padding, read to the end so gzip
   * checks the last member's CRC-32 (false).
   */
  private async nextArchive(): Promise<boolean> {
    for (;;) {
      const block = await this.r.read(BLOCK);
      if (block.length < BLOCK) return false;
      if (isZeroBlock(block)) continue;
      if (parseTarHeader(block).ok) {
        this.pushedBack = Buffer.from(block);
        return true;
      }
      while ((await this.r.skip(READ_CHUNK)) > 0);
      return false;
    }
  }

  private entry(f: TarHeaderFields, pax: PaxRecords, pending: Pending, at: number): ArchiveEntry {
    const name = decodeUtf8OrRaw(pax.get('path') ?? pending.longName ?? f.name);
    const where = { offset: at, entry: name.name };
    if ([...pax.keys()].some((k) => k.startsWith('GNU.sparse.')) || f.typeflag === 'S')
      throw archiveUnsupported(this.path, `${name.name} is a GNU sparse entry (tar --sparse).`, where);
    if (f.typeflag === 'M' || f.typeflag === 'N')
      throw archiveUnsupported(
        this.path,
        `${name.name} uses GNU type '${f.typeflag}' (multi-volume or old long names).`,
        where,
      );
    const size = pax.has('size') ? paxInteger(pax.get('size')) : f.size;
    if (!Number.isFinite(size))
      throw archiveCorrupt(this.path, `${name.name} declares an impossible size.`, where);
    if (this.format === 'tar' && size > this.archiveBytes - this.r.offset)
      throw archiveTruncated(
        this.path,
        `${name.name} declares ${size} bytes but only ${this.archiveBytes - this.r.offset} bytes of the archive remain.`,
        where,
      );
    const paxMtime = paxNumber(pax.get('mtime'));
    const seconds = pax.has('mtime') ? paxMtime : f.mtime;
    let type = typeOf(f.typeflag);
    if (type === 'file' && name.name.endsWith('/')) type = 'directory'; // pre-POSIX folders
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const link =
      type === 'symlink' || type === 'hardlink'
        ? decodeUtf8OrRaw(pax.get('linkpath') ?? pending.longLink ?? f.linkname)
        : undefined;
    return {
      index: this.count++,
      name: name.name,
      ...(name.raw && { rawName: name.raw }),
      type,
      size: type === 'file' ? size : 0,
      ...(Number.isFinite(seconds) && { mtimeMs: Math.round(seconds * 1000) }),
      mode: f.mode,
      ...(link && { linkTarget: link.name }),
      ...(link?.raw && { rawLinkTarget: link.raw }),
      ...(type === 'other' && { otherKind: KINDS[f.typeflag] ?? `type flag '${f.typeflag}'` }),
    };
  }

  private async paxRecords(size: number, at: number): Promise<PaxRecords> {
    const parsed = parsePax(await this.meta(size, at, 'PAX header'));
    if (!parsed.ok)
      throw archiveCorrupt(this.path, `${parsed.reason} (PAX header at byte ${at}).`, { offset: at });
    return parsed.records;
  }

  /** The data of a metadata record (PAX header, GNU long name), bounded in size. */
  private async meta(size: number, at: number, what: string): Promise<Buffer> {
    if (size > MAX_META_BYTES)
      throw archiveCorrupt(
        this.path,
        `a ${what} of ${size} bytes at byte ${at} (no real name is that long).`,
        {
          offset: at,
        },
      );
    const data = Buffer.from(await this.r.read(size));
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (data.length < size || (await this.r.skip(pad)) < pad)
      throw archiveTruncated(this.path, `the ${what} at byte ${at} is cut off.`, { offset: at });
    return data;
  }

  async readContent(sink: ChunkSink): Promise<number> {
    const entry = this.current;
    if (!entry || this.contentTaken)
      throw new Error('readContent: no current entry, or its content was already read');
    this.contentTaken = true;
    const size = this.remaining;
    let got = 0;
    while (this.remaining > 0) {
      const chunk = await this.r.next(Math.min(this.remaining, READ_CHUNK));
      if (chunk.length === 0)
        throw archiveTruncated(this.path, `${entry.name} holds ${got} of its ${size} bytes.`, {
          entry: entry.name,
        });
      this.remaining -= chunk.length;
      got += chunk.length;
      const p = sink(chunk);
      if (p !== undefined) await p;
    }
    await this.skipRest();
    return got;
  }

  /** Skips what is left of the current entry's content and its padding. */
  private async skipRest(): Promise<void> {
    const n = this.remaining + this.padding;
    if (n === 0) return;
    const name = this.current?.name ?? '';
    this.remaining = 0;
    this.padding = 0;
    if ((await this.r.skip(n)) < n)
      throw archiveTruncated(this.path, `the content of ${name} is cut off.`, { entry: name });
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

function typeOf(flag: string): EntryType {
  switch (flag) {
    case '0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
    case 'D':
      return 'directory';
    default:
      return 'other';
  }
}
