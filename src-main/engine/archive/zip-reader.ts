// Zip reader driven by the central directory, read front to back in windows from the offset the
// end record gives (never held whole: memory is one window and one record). Each entry's data is
// found through its local header; stored and deflated data are supported, sizes and CRC-32 are
// checked against the central directory, and inflating never produces more than it declared.
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import { throwIfAborted } from '../errors.js';
import { archiveCorrupt, archiveReadError, archiveTruncated, archiveUnsupported } from './archive-errors.js';
import type { ArchiveEntry, ArchiveReader, ChunkSink, EntryType } from './entry.js';
import { FileWindow } from './file-window.js';
import {
  CENTRAL_FIXED,
  dosTimeMs,
  findEndRecord,
  isUnixHost,
  LOCAL_FIXED,
  parseCentral,
  SIG_LOCAL,
  type CentralRecord,
  type EndRecord,
} from './zip-records.js';

const CHUNK = 1024 * 1024;
/** Deflated entries up to this size are inflated in one call; larger ones are streamed. */
const INFLATE_AT_ONCE = 1024 * 1024;
/** A symbolic link's target is its content: anything longer than this is not a link target. */
const MAX_LINK_TARGET = 64 * 1024;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

const METHODS: Record<number, string> = {
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  99: 'AES encryption',
};

export async function openZipReader(path: string, signal?: AbortSignal): Promise<ArchiveReader> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw archiveReadError(path, err);
  }
  let cd: FileWindow | undefined;
  try {
    const size = (await fh.stat()).size;
    cd = new FileWindow(fh, size);
    const window = cd;
    const end = await findEndRecord((p, l) => window.get(p, l), size);
    if (typeof end === 'string') {
      const head = await cd.get(0, 4);
      const startsLikeZip = head.length === 4 && head.readUInt32LE(0) === SIG_LOCAL;
      throw startsLikeZip
        ? archiveTruncated(path, `${end}: the end of the zip is missing.`)
        : archiveCorrupt(path, `${end}: it is not a zip file.`);
    }
    if (end.cdOffset + end.cdSize > end.at)
      throw archiveCorrupt(path, 'the central directory lies outside the file.');
    return new ZipReader(path, fh, size, cd, end, signal);
  } catch (err) {
    await cd?.settle();
    await fh.close();
    throw archiveReadError(path, err);
  }
}

class ZipReader implements ArchiveReader {
  readonly format = 'zip' as const;
  private readonly data: FileWindow;
  private current: { entry: ArchiveEntry; rec: CentralRecord } | undefined;
  private contentTaken = false;

  constructor(
    private readonly path: string,
    private readonly fh: FileHandle,
    readonly archiveBytes: number,
    private readonly cd: FileWindow,
    private readonly end: EndRecord,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.data = new FileWindow(fh, archiveBytes);
  }

  get bytesConsumed(): number {
    return Math.min(this.data.reached, this.end.cdOffset);
  }

  async *entries(): AsyncGenerator<ArchiveEntry> {
    const { cdOffset, cdSize } = this.end;
    let pos = cdOffset;
    let index = 0;
    while (pos < cdOffset + cdSize) {
      if (this.signal) throwIfAborted(this.signal);
      const fixed = await this.cd.get(pos, CENTRAL_FIXED);
      const len =
        fixed.length < CENTRAL_FIXED
          ? CENTRAL_FIXED
          : CENTRAL_FIXED + fixed.readUInt16LE(28) + fixed.readUInt16LE(30) + fixed.readUInt16LE(32);
      const rec = parseCentral(await this.cd.get(pos, len));
      if (typeof rec === 'string')
        throw archiveCorrupt(this.path, `${rec} (entry ${index + 1}).`, { offset: pos });
      pos += rec.length;
      const entry = await this.entry(rec, index++);
      this.current = { entry, rec };
      this.contentTaken = false;
      yield entry;
    }
    if (pos !== cdOffset + cdSize || (this.end.entries !== undefined && this.end.entries !== index))
      throw archiveCorrupt(
        this.path,
        `the central directory holds ${index} entries, the end record says ${this.end.entries ?? 'otherwise'}.`,
      );
  }

  private async entry(rec: CentralRecord, index: number): Promise<ArchiveEntry> {
    const name = rec.name.name;
    if (rec.flags & 1) throw archiveUnsupported(this.path, `${name} is encrypted.`, { entry: name });
    if (rec.method !== 0 && rec.method !== 8)
      throw archiveUnsupported(
        this.path,
        `${name} is compressed with ${METHODS[rec.method] ?? `method ${rec.method}`}.`,
        {
          entry: name,
        },
      );
    const unixMode = isUnixHost(rec.hostOs) ? (rec.externalAttr >>> 16) & 0xffff : 0;
    let type: EntryType = 'file';
    if (
      name.endsWith('/') ||
      (unixMode & S_IFMT) === S_IFDIR ||
      (!isUnixHost(rec.hostOs) && rec.externalAttr & 0x10)
    )
      type = 'directory';
    else if ((unixMode & S_IFMT) === S_IFLNK) type = 'symlink';
    const base: ArchiveEntry = {
      index,
      name,
      ...(rec.name.raw && { rawName: rec.name.raw }),
      type,
      size: type === 'file' ? rec.size : 0,
      mtimeMs: rec.mtimeMs ?? dosTimeMs(rec.dosDate, rec.dosTime),
      ...(unixMode & 0o7777 && { mode: unixMode & 0o7777 }),
    };
    if (type !== 'symlink') return base;
    if (rec.size > MAX_LINK_TARGET)
      throw archiveCorrupt(this.path, `the link ${name} declares a ${rec.size}-byte target.`, {
        entry: name,
      });
    const parts: Buffer[] = [];
    await this.content(rec, name, (b) => void parts.push(Buffer.from(b)));
    const target = Buffer.concat(parts);
    const text = target.toString('utf8');
    return {
      ...base,
      linkTarget: text,
      ...(!Buffer.from(text, 'utf8').equals(target) && { rawLinkTarget: target }),
    };
  }

  async readContent(sink: ChunkSink): Promise<number> {
    const cur = this.current;
    if (!cur || this.contentTaken)
      throw new Error('readContent: no current entry, or its content was already read');
    this.contentTaken = true;
    if (cur.entry.type !== 'file') return 0;
    return this.content(cur.rec, cur.entry.name, sink);
  }

  /** Streams one entry's data, checking sizes and CRC-32. */
  private async content(rec: CentralRecord, name: string, sink: ChunkSink): Promise<number> {
    const where = { entry: name, offset: rec.localOffset };
    const local = await this.data.get(rec.localOffset, LOCAL_FIXED);
    if (local.length < LOCAL_FIXED || local.readUInt32LE(0) !== SIG_LOCAL)
      throw archiveCorrupt(this.path, `the local header of ${name} is not where the directory says.`, where);
    const start = rec.localOffset + LOCAL_FIXED + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (start + rec.compressedSize > this.end.cdOffset)
      throw archiveCorrupt(
        this.path,
        `the data of ${name} (${rec.compressedSize} bytes) runs past the end of the entries.`,
        where,
      );
    if (rec.method === 0 && rec.compressedSize !== rec.size)
      throw archiveCorrupt(this.path, `${name} is stored but declares two different sizes.`, where);
    let crc = 0;
    let got = 0;
    const deliver = async (chunk: Buffer): Promise<void> => {
      got += chunk.length;
      if (got > rec.size)
        throw archiveCorrupt(this.path, `${name} holds more than the ${rec.size} bytes it declares.`, where);
      crc = crc32(chunk, crc);
      const p = sink(chunk);
      if (p !== undefined) await p;
    };
    try {
      if (rec.method === 0) {
        for (let off = 0; off < rec.size;) {
          const chunk = await this.data.get(start + off, Math.min(CHUNK, rec.size - off));
          if (chunk.length === 0) break;
          off += chunk.length;
          await deliver(chunk);
        }
      } else if (rec.compressedSize <= INFLATE_AT_ONCE) {
        const input = await this.data.get(start, rec.compressedSize);
        await deliver(inflateRawSync(input, { maxOutputLength: Math.max(1, rec.size) }));
      } else {
        for await (const chunk of this.inflateStream(start, rec.compressedSize))
          await deliver(chunk as Buffer);
      }
    } catch (err) {
      throw entryError(this.path, name, err, where);
    }
    if (got !== rec.size)
      throw archiveCorrupt(this.path, `${name} holds ${got} bytes, the directory says ${rec.size}.`, where);
    if (crc !== rec.crc)
      throw archiveCorrupt(this.path, `${name} fails its CRC-32 check (its content is altered).`, where);
    return got;
  }

  private inflateStream(start: number, length: number): Readable {
    const win = this.data;
    const input = Readable.from(
      (async function* () {
        for (let off = 0; off < length;) {
          const chunk = await win.get(start + off, Math.min(CHUNK, length - off));
          if (chunk.length === 0) return;
          off += chunk.length;
          yield chunk;
        }
      })(),
    );
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
    input.on('error', (err) => inflate.destroy(err));
    return input.pipe(inflate);
  }

  async close(): Promise<void> {
    await this.cd.settle();
    await this.data.settle();
    await this.fh.close();
  }
}

function entryError(path: string, name: string, err: unknown, where: Record<string, unknown>): Error {
  const code = (err as { code?: string }).code;
  if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
    return archiveCorrupt(path, `${name} inflates to more than the bytes it declares.`, where);
  if (code?.startsWith('Z_'))
    return archiveCorrupt(
      path,
      `the compressed data of ${name} does not inflate (${(err as Error).message}).`,
      where,
    );
  return archiveReadError(path, err);
}
