// The bytes of a zip file (PKWARE APPNOTE 6.3.x), as our writer emits them. Choices made for the
// strictest readers (Windows Explorer's zipfldr, .NET System.IO.Compression, Info-ZIP, 7-Zip,
// libarchive, Python's zipfile; what is known about each is in docs/repository-step.md):
//   - A data descriptor (bit 3, with its 0x08074b50 signature) only for entries streamed from
//     large files, whose CRC is not known when their header is written; every other entry has its
//     CRC and sizes in the local header.
//   - zip64 only where a value does not fit: an entry of 3.75 GiB or more is a "zip64 entry"
//     (local zip64 extra with both sizes, 8-byte sizes in its descriptor, both sizes in its
//     central zip64 extra). In the central directory a zip64 extra holds exactly the fields whose
//     32-bit slot says 0xFFFFFFFF, in APPNOTE 4.5.3 order. The zip64 end records are written only
//     when the entry count, the directory's size or its offset do not fit; the locator says 1 disk.
//   - Names: UTF-8 with the language-encoding flag (bit 11) when they are valid UTF-8 and not plain
//     ASCII; other names as their raw bytes without the flag (Info-ZIP unzip on Unix restores them
//     exactly). The Info-ZIP Unicode Path field (0x7075) is not written: APPNOTE says it SHOULD NOT
//     be when bit 11 is used, and a name that is not UTF-8 has no Unicode form to give it.
//   - "Made by" Unix (3), so the Unix mode in the external attributes (type and permission bits)
//     is honoured; folders also carry the MS-DOS directory bit for Windows tools.
//   - Times: DOS date/time (local time, 2-second steps) plus the Info-ZIP extended timestamp
//     (0x5455, UTC seconds) for readers that restore exact times; owner ids in the Info-ZIP Unix
//     extra (0x7875) of the local header.

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;

const MADE_BY = (3 << 8) | 45; // Unix, spec 4.5
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

/** Entries whose file is at least this large get zip64 sizes: deflate may grow data a little. */
export const ZIP64_ENTRY_AT = 0xf0000000;

export interface ZipEntryInfo {
  name: Buffer;
  /** Name is UTF-8 (not plain ASCII): set the language-encoding flag. */
  utf8: boolean;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  /** Modification time, whole seconds since the epoch (UTC). */
  mtime: number;
  /** st_mode: type and permission bits. */
  mode: number;
  isDir: boolean;
  /** Offset of the local header in the archive. */
  offset: number;
  /** CRC and sizes follow the data in a data descriptor. */
  descriptor: boolean;
  /** A zip64 entry (see ZIP64_ENTRY_AT). */
  zip64: boolean;
}

/** Is this name worth the UTF-8 flag: valid UTF-8 with at least one byte above 0x7f. */
export function utf8Flag(name: Buffer, validUtf8: boolean): boolean {
  if (!validUtf8) return false;
  for (let i = 0; i < name.length; i++) if ((name[i] as number) > 0x7f) return true;
  return false;
}

function flags(e: Pick<ZipEntryInfo, 'utf8' | 'descriptor'>): number {
  return (e.utf8 ? FLAG_UTF8 : 0) | (e.descriptor ? FLAG_DESCRIPTOR : 0);
}

function versionNeeded(e: Pick<ZipEntryInfo, 'zip64' | 'method' | 'isDir'>, centralZip64 = false): number {
  if (e.zip64 || centralZip64) return 45;
  return e.method === METHOD_DEFLATE || e.isDir ? 20 : 10;
}

/** MS-DOS date and time (local time, 2-second resolution; clamped to 1980..2107). */
export function dosDateTime(mtime: number): { date: number; time: number } {
  const d = new Date(mtime * 1000);
  let year = d.getFullYear();
  if (year < 1980) return { date: (1 << 5) | 1, time: 0 };
  if (year > 2107) year = 2107;
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}

// Headers are built in one pooled allocation each (Buffer.allocUnsafe, every byte written): with a
// million entries, a separate small ArrayBuffer per field would be a million objects of garbage.

const hasTimestamp = (mtime: number): boolean => mtime >= 0 && mtime <= 0x7fffffff;
const hasIds = (uid: number, gid: number): boolean => uid >= 0 && uid <= MAX32 && gid >= 0 && gid <= MAX32;

/** Info-ZIP extended timestamp (0x5455) with the modification time only; returns the next offset. */
function putTimestamp(b: Buffer, at: number, mtime: number): number {
  b.writeUInt16LE(0x5455, at);
  b.writeUInt16LE(5, at + 2);
  b[at + 4] = 1; // bit 0: modification time present
  b.writeUInt32LE(mtime, at + 5);
  return at + 9;
}

/** Info-ZIP Unix extra (0x7875, version 1): uid and gid, 4 bytes each. */
function putIds(b: Buffer, at: number, uid: number, gid: number): number {
  b.writeUInt16LE(0x7875, at);
  b.writeUInt16LE(11, at + 2);
  b[at + 4] = 1;
  b[at + 5] = 4;
  b.writeUInt32LE(uid, at + 6);
  b[at + 10] = 4;
  b.writeUInt32LE(gid, at + 11);
  return at + 15;
}

function putZip64(b: Buffer, at: number, values: number[]): number {
  b.writeUInt16LE(0x0001, at);
  b.writeUInt16LE(values.length * 8, at + 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), at + 4 + i * 8));
  return at + 4 + values.length * 8;
}

/** The local file header. With a descriptor, CRC and sizes are 0 here (zip64: 0 in the zip64 extra). */
export function localHeader(e: ZipEntryInfo, uid: number, gid: number): Buffer {
  const ts = hasTimestamp(e.mtime);
  const ids = hasIds(uid, gid);
  const extraLen = (e.zip64 ? 20 : 0) + (ts ? 9 : 0) + (ids ? 15 : 0);
  const b = Buffer.allocUnsafe(30 + e.name.length + extraLen);
  const { date, time } = dosDateTime(e.mtime);
  const csize = e.descriptor ? 0 : e.csize;
  const usize = e.descriptor ? 0 : e.usize;
  b.writeUInt32LE(SIG_LOCAL, 0);
  b.writeUInt16LE(versionNeeded(e), 4);
  b.writeUInt16LE(flags(e), 6);
  b.writeUInt16LE(e.method, 8);
  b.writeUInt16LE(time, 10);
  b.writeUInt16LE(date, 12);
  b.writeUInt32LE(e.descriptor ? 0 : e.crc, 14);
  b.writeUInt32LE(e.zip64 ? MAX32 : csize, 18);
  b.writeUInt32LE(e.zip64 ? MAX32 : usize, 22);
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(extraLen, 28);
  let at = 30 + e.name.copy(b, 30);
  if (e.zip64) at = putZip64(b, at, [usize, csize]);
  if (ts) at = putTimestamp(b, at, e.mtime);
  if (ids) putIds(b, at, uid, gid);
  return b;
}

/** The data descriptor after a streamed entry's data; 8-byte sizes for a zip64 entry. */
export function dataDescriptor(crc: number, csize: number, usize: number, zip64: boolean): Buffer {
  const b = Buffer.alloc(zip64 ? 24 : 16);
  b.writeUInt32LE(SIG_DESCRIPTOR, 0);
  b.writeUInt32LE(crc, 4);
  if (zip64) {
    b.writeBigUInt64LE(BigInt(csize), 8);
    b.writeBigUInt64LE(BigInt(usize), 16);
  } else {
    b.writeUInt32LE(csize, 8);
    b.writeUInt32LE(usize, 12);
  }
  return b;
}

/** One central directory header. */
export function centralHeader(e: ZipEntryInfo): Buffer {
  const big: number[] = [];
  const usize = e.zip64 || e.usize >= MAX32 ? (big.push(e.usize), MAX32) : e.usize;
  const csize = e.zip64 || e.csize >= MAX32 ? (big.push(e.csize), MAX32) : e.csize;
  const offset = e.offset >= MAX32 ? (big.push(e.offset), MAX32) : e.offset;
  const ts = hasTimestamp(e.mtime);
  const extraLen = (big.length > 0 ? 4 + big.length * 8 : 0) + (ts ? 9 : 0);
  const b = Buffer.allocUnsafe(46 + e.name.length + extraLen);
  const { date, time } = dosDateTime(e.mtime);
  b.writeUInt32LE(SIG_CENTRAL, 0);
  b.writeUInt16LE(MADE_BY, 4);
  b.writeUInt16LE(versionNeeded(e, big.length > 0), 6);
  b.writeUInt16LE(flags(e), 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(time, 12);
  b.writeUInt16LE(date, 14);
  b.writeUInt32LE(e.crc, 16);
  b.writeUInt32LE(csize, 20);
  b.writeUInt32LE(usize, 24);
  b.writeUInt16LE(e.name.length, 28);
  b.writeUInt16LE(extraLen, 30);
  b.fill(0, 32, 38); // comment length, disk number start, internal attributes
  b.writeUInt32LE((((e.mode & 0xffff) << 16) | (e.isDir ? 0x10 : 0)) >>> 0, 38);
  b.writeUInt32LE(offset, 42);
  let at = 46 + e.name.copy(b, 46);
  if (big.length > 0) at = putZip64(b, at, big);
  if (ts) putTimestamp(b, at, e.mtime);
  return b;
}

/** The end records: zip64 end record and locator when needed, then the classic end record. */
export function endRecords(entries: number, cdOffset: number, cdSize: number): Buffer {
  const needs64 = entries >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
  const parts: Buffer[] = [];
  if (needs64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(SIG_ZIP64_EOCD, 0);
    rec.writeBigUInt64LE(44n, 4); // size of the rest of this record
    rec.writeUInt16LE(MADE_BY, 12);
    rec.writeUInt16LE(45, 14);
    // this disk, disk with the directory: 0
    rec.writeBigUInt64LE(BigInt(entries), 24);
    rec.writeBigUInt64LE(BigInt(entries), 32);
    rec.writeBigUInt64LE(BigInt(cdSize), 40);
    rec.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(SIG_ZIP64_LOCATOR, 0);
    // disk with the zip64 end record: 0
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    loc.writeUInt32LE(1, 16); // total number of disks: 1 (APPNOTE 4.3.15; readers misplace the directory with 0)
    parts.push(rec, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(Math.min(entries, MAX16), 8);
  eocd.writeUInt16LE(Math.min(entries, MAX16), 10);
  eocd.writeUInt32LE(Math.min(cdSize, MAX32), 12);
  eocd.writeUInt32LE(Math.min(cdOffset, MAX32), 16);
  parts.push(eocd);
  return Buffer.concat(parts);
}
