// The fixed records of a zip (APPNOTE 6.3.x): end of central directory (+ zip64 locator and
// record), central directory headers and the extra fields we use: zip64 sizes (0x0001), NTFS
// times (0x000a), extended timestamp (0x5455) and Info-ZIP Unicode path (0x7075).
import { crc32 } from 'node:zlib';
import { decodeCp437, decodeUtf8OrRaw, type DecodedName } from './names.js';

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
export const CENTRAL_FIXED = 46;
export const LOCAL_FIXED = 30;
const EOCD_FIXED = 22;
const MAX_COMMENT = 0xffff;

export interface EndRecord {
  /** File offset of the end-of-central-directory record (or the zip64 one when present). */
  at: number;
  cdOffset: number;
  cdSize: number;
  /** Entries declared; undefined when the 16-bit field is saturated and there is no zip64 record. */
  entries: number | undefined;
}

type ReadAt = (pos: number, len: number) => Promise<Buffer>;

/** The end record, or a reason when there is none (not a zip, or cut off). */
export async function findEndRecord(read: ReadAt, size: number): Promise<EndRecord | string> {
  const tailLen = Math.min(size, EOCD_FIXED + MAX_COMMENT);
  const tailStart = size - tailLen;
  const tail = Buffer.from(await read(tailStart, tailLen));
  for (let i = tail.length - EOCD_FIXED; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== SIG_EOCD) continue;
    if (i + EOCD_FIXED + tail.readUInt16LE(i + 20) > tail.length) continue;
    const at = tailStart + i;
    const end: EndRecord = {
      at,
      entries: tail.readUInt16LE(i + 10),
      cdSize: tail.readUInt32LE(i + 12),
      cdOffset: tail.readUInt32LE(i + 16),
    };
    if (end.entries === 0xffff) end.entries = undefined;
    if (at >= 20) {
      const loc = await read(at - 20, 20);
      if (loc.length === 20 && loc.readUInt32LE(0) === SIG_ZIP64_LOCATOR) {
        const at64 = safe(loc.readBigUInt64LE(8));
        const rec = at64 === undefined || at64 + 56 > at ? undefined : await read(at64, 56);
        if (!rec || rec.length < 56 || rec.readUInt32LE(0) !== SIG_ZIP64_EOCD)
          return 'the zip64 end record it points to is not there';
        const entries = safe(rec.readBigUInt64LE(32));
        const cdSize = safe(rec.readBigUInt64LE(40));
        const cdOffset = safe(rec.readBigUInt64LE(48));
        if (entries === undefined || cdSize === undefined || cdOffset === undefined)
          return 'the zip64 end record holds impossible numbers';
        return { at: at64 as number, entries, cdSize, cdOffset };
      }
    }
    return end;
  }
  return 'no end-of-central-directory record';
}

export interface CentralRecord {
  hostOs: number;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  externalAttr: number;
  name: DecodedName;
  /** Modification time from an extra field (ms), when there is one. */
  mtimeMs?: number;
  /** Length of the whole record. */
  length: number;
}

const HOST_UNIX = 3;
const HOST_OSX = 19;
const DOS_HOSTS = new Set([0, 11, 14]); // MS-DOS/FAT, NTFS, VFAT

export function isUnixHost(host: number): boolean {
  return host === HOST_UNIX || host === HOST_OSX;
}

/** Parses the central header at `b` (which holds the whole record); a reason when it is malformed. */
export function parseCentral(b: Buffer): CentralRecord | string {
  if (b.length < CENTRAL_FIXED || b.readUInt32LE(0) !== SIG_CENTRAL)
    return 'a central directory record is missing';
  const nameLen = b.readUInt16LE(28);
  const extraLen = b.readUInt16LE(30);
  const commentLen = b.readUInt16LE(32);
  const length = CENTRAL_FIXED + nameLen + extraLen + commentLen;
  if (b.length < length) return 'a central directory record is cut off';
  const hostOs = b.readUInt8(5);
  const flags = b.readUInt16LE(8);
  const nameBytes = b.subarray(CENTRAL_FIXED, CENTRAL_FIXED + nameLen);
  const rec: CentralRecord = {
    hostOs,
    flags,
    method: b.readUInt16LE(10),
    dosTime: b.readUInt16LE(12),
    dosDate: b.readUInt16LE(14),
    crc: b.readUInt32LE(16),
    compressedSize: b.readUInt32LE(20),
    size: b.readUInt32LE(24),
    localOffset: b.readUInt32LE(42),
    externalAttr: b.readUInt32LE(38),
    name: { name: '' },
    length,
  };
  const extra = b.subarray(CENTRAL_FIXED + nameLen, CENTRAL_FIXED + nameLen + extraLen);
  const problem = applyExtras(rec, extra, b.readUInt16LE(34), nameBytes);
  if (problem) return problem;
  if (rec.name.name === '') rec.name = decodeName(nameBytes, flags, hostOs);
  if (DOS_HOSTS.has(hostOs) && rec.name.raw === undefined)
    rec.name = { name: rec.name.name.replace(/\\/g, '/') };
  return rec;
}

function decodeName(bytes: Buffer, flags: number, host: number): DecodedName {
  const utf8Flag = (flags & 0x800) !== 0;
  const d = decodeUtf8OrRaw(bytes);
  if (utf8Flag || d.raw === undefined) return d;
  // Not UTF-8: a Unix zip holds the file system's bytes; a DOS/Windows one holds CP437.
  return isUnixHost(host) ? d : { name: decodeCp437(bytes) };
}

/** Reads the extra fields into `rec`; returns a reason when the zip64 field is missing or short. */
function applyExtras(rec: CentralRecord, extra: Buffer, disk: number, nameBytes: Buffer): string | undefined {
  const need64 = [rec.size === 0xffffffff, rec.compressedSize === 0xffffffff, rec.localOffset === 0xffffffff];
  let found64 = false;
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    const data = extra.subarray(p + 4, p + 4 + len);
    p += 4 + len;
    if (data.length < len) break;
    if (id === 0x0001) {
      found64 = true;
      let q = 0;
      const next = (): number | undefined => {
        if (q + 8 > data.length) return undefined;
        const v = safe(data.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (need64[0]) rec.size = next() ?? -1;
      if (need64[1]) rec.compressedSize = next() ?? -1;
      if (need64[2]) rec.localOffset = next() ?? -1;
      if (rec.size < 0 || rec.compressedSize < 0 || rec.localOffset < 0)
        return 'a zip64 size field is cut off';
    } else if (id === 0x5455 && data.length >= 5 && (data[0] as number) & 1) {
      rec.mtimeMs = data.readInt32LE(1) * 1000;
    } else if (id === 0x000a && rec.mtimeMs === undefined) {
      // NTFS: 4 reserved bytes, then tags; tag 1 holds mtime, atime, ctime as 100 ns since 1601.
      for (let t = 4; t + 4 <= data.length;) {
        const tag = data.readUInt16LE(t);
        const size = data.readUInt16LE(t + 2);
        if (tag === 1 && size >= 8 && t + 12 <= data.length) {
          const ticks = data.readBigUInt64LE(t + 4);
          rec.mtimeMs = Number(ticks / 10000n) - 11644473600000;
        }
        t += 4 + size;
      }
    } else if (id === 0x7075 && data.length >= 5 && data[0] === 1) {
      // Info-ZIP Unicode path: valid only while its CRC matches the header's name bytes.
      if (data.readUInt32LE(1) === crc32(nameBytes)) rec.name = decodeUtf8OrRaw(data.subarray(5));
    }
  }
  if (need64.some(Boolean) && !found64) return 'a zip64 entry has no zip64 sizes';
  if (disk !== 0 && disk !== 0xffff) return 'the archive spans several disks';
  return undefined;
}

/** DOS date and time (local time, 2-second steps) as ms since the epoch. */
export function dosTimeMs(date: number, time: number): number {
  return new Date(
    ((date >> 9) & 0x7f) + 1980,
    ((date >> 5) & 0x0f) - 1,
    date & 0x1f,
    (time >> 11) & 0x1f,
    (time >> 5) & 0x3f,
    (time & 0x1f) * 2,
  ).getTime();
}

function safe(v: bigint): number | undefined {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}
