// The zip central directory is written at the end from what each entry left here: one packed
// record per entry in 1 MiB chunks (no object per entry). A record is ~20 bytes plus the part of
// the name that differs from the previous entry's (names in walk order share long prefixes), and
// each full chunk is kept deflated (level 1, a few ms per chunk; names compress 3-5x), so a million
// attachments cost about 10 MB, not the ~1 KB per entry of keeping entry objects.
//
// Record layout: varint shared-prefix length, varint suffix length, suffix bytes, flags byte,
// CRC (4 bytes LE), then varints: uncompressed size, compressed size, offset delta from the
// previous entry, zigzag mtime (s), mode.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ZipEntryInfo } from './zip-format.js';

const CHUNK = 1024 * 1024;

const F_UTF8 = 1;
const F_DESCRIPTOR = 2;
const F_ZIP64 = 4;
const F_DIR = 8;
const F_DEFLATE = 16;

export class CentralLog {
  /** Full chunks, deflated. */
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;
  private chunk = Buffer.allocUnsafeSlow(CHUNK);
  private pos = 0;
  private prevName: Buffer = Buffer.alloc(0);
  private prevOffset = 0;
  count = 0;

  /** Bytes held (for memory figures). */
  get bytes(): number {
    return this.chunkBytes + this.chunk.length;
  }

  add(e: ZipEntryInfo): void {
    const name = e.name;
    let shared = 0;
    const max = Math.min(name.length, this.prevName.length);
    while (shared < max && name[shared] === this.prevName[shared]) shared++;
    const suffix = name.length - shared;
    // Upper bound of the record's size; records never straddle chunks.
    this.reserve(suffix + 64);
    this.varint(shared);
    this.varint(suffix);
    this.pos += name.copy(this.chunk, this.pos, shared);
    this.chunk[this.pos++] =
      (e.utf8 ? F_UTF8 : 0) |
      (e.descriptor ? F_DESCRIPTOR : 0) |
      (e.zip64 ? F_ZIP64 : 0) |
      (e.isDir ? F_DIR : 0) |
      (e.method === 8 ? F_DEFLATE : 0);
    this.chunk.writeUInt32LE(e.crc >>> 0, this.pos);
    this.pos += 4;
    this.varint(e.usize);
    this.varint(e.csize);
    this.varint(e.offset - this.prevOffset);
    this.varint(e.mtime >= 0 ? e.mtime * 2 : -e.mtime * 2 - 1);
    this.varint(e.mode);
    this.prevName = name;
    this.prevOffset = e.offset;
    this.count++;
  }

  /** Every entry, in the order added. */
  *entries(): Generator<ZipEntryInfo> {
    let prev: Buffer = Buffer.alloc(0);
    let offset = 0;
    const all = [...this.chunks.map((c) => () => inflateRawSync(c)), () => this.chunk.subarray(0, this.pos)];
    for (const inflate of all) {
      const chunk = inflate();
      const r = { b: chunk, p: 0 };
      while (r.p < chunk.length) {
        const shared = readVarint(r);
        const suffix = readVarint(r);
        const name = Buffer.concat([prev.subarray(0, shared), chunk.subarray(r.p, r.p + suffix)]);
        r.p += suffix;
        const f = chunk[r.p++] ?? 0;
        const crc = chunk.readUInt32LE(r.p);
        r.p += 4;
        const usize = readVarint(r);
        const csize = readVarint(r);
        offset += readVarint(r);
        const z = readVarint(r);
        const mode = readVarint(r);
        prev = name;
        yield {
          name,
          utf8: (f & F_UTF8) !== 0,
          descriptor: (f & F_DESCRIPTOR) !== 0,
          zip64: (f & F_ZIP64) !== 0,
          isDir: (f & F_DIR) !== 0,
          method: (f & F_DEFLATE) !== 0 ? 8 : 0,
          crc,
          usize,
          csize,
          offset,
          mtime: z % 2 === 0 ? z / 2 : -(z + 1) / 2,
          mode,
        };
      }
    }
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.chunk.length) return;
    const packed = deflateRawSync(this.chunk.subarray(0, this.pos), { level: 1 });
    this.chunks.push(packed);
    this.chunkBytes += packed.length;
    if (this.chunk.length < n) this.chunk = Buffer.allocUnsafeSlow(n);
    this.pos = 0;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^53 (plain arithmetic: no 32-bit wrap). */
  private varint(v: number): void {
    let x = v;
    while (x >= 0x80) {
      this.chunk[this.pos++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.chunk[this.pos++] = x;
  }
}

function readVarint(r: { b: Buffer; p: number }): number {
  let v = 0;
  let mul = 1;
  for (;;) {
    const c = r.b[r.p++] ?? 0;
    v += (c & 0x7f) * mul;
    if (c < 0x80) return v;
    mul *= 0x80;
  }
}
