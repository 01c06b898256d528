// POSIX ustar headers, preceded by a PAX extended header ('x') whenever a field cannot be held
// exactly by ustar: non-ASCII or long names/link targets, sizes of 8 GiB and more, odd mtimes or ids.
// GNU tar, bsdtar/libarchive (also Windows 10+'s tar.exe) and 7-Zip all read PAX.
//
// Names are bytes. A name or link target that is not valid UTF-8 travels as its exact bytes in the
// PAX `path`/`linkpath` record, announced by a `hdrcharset=BINARY` record before it (POSIX.1-2008
// pax, as libarchive writes it; GNU tar and bsdtar both restore the bytes exactly).
import { isUtf8 } from 'node:buffer';

export const TAR_BLOCK = 512;

export type TarEntryType = 'file' | 'directory' | 'symlink';

export interface TarEntry {
  /** Path inside the archive, forward slashes, no leading slash; directories without the trailing slash. */
  name: string | Buffer;
  type: TarEntryType;
  /** Bytes of content that follow (files only). */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  linkname?: string | Buffer;
}

const MAX_OCTAL_11 = 0o77777777777; // 8 GiB - 1: largest size/mtime in a 12-byte field
const MAX_OCTAL_7 = 0o7777777; // largest uid/gid in an 8-byte field
const SLASH = 0x2f;

const asBytes = (v: string | Buffer): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

/** Every byte printable ASCII (what a ustar field holds for every reader). */
function printableAscii(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i] as number;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** The header block(s) for one entry: 512 bytes, or a PAX header + its data + 512 bytes. */
export function tarHeader(entry: TarEntry): Buffer {
  const nameBytes = asBytes(entry.name);
  const name =
    entry.type === 'directory' && nameBytes[nameBytes.length - 1] !== SLASH
      ? Buffer.concat([nameBytes, Buffer.from('/')])
      : nameBytes;
  const pax: [string, Buffer][] = [];
  const split = splitUstarName(name);
  if (!split) pax.push(['path', name]);
  const link = asBytes(entry.linkname ?? '');
  const linkFits = printableAscii(link) && link.length <= 100;
  if (!linkFits) pax.push(['linkpath', link]);
  if (pax.some(([, v]) => !isUtf8(v))) pax.unshift(['hdrcharset', Buffer.from('BINARY')]);
  const size = entry.type === 'file' ? entry.size : 0;
  if (size > MAX_OCTAL_11) pax.push(['size', Buffer.from(String(size))]);
  const mtime = Math.floor(entry.mtimeMs / 1000);
  const mtimeFits = mtime >= 0 && mtime <= MAX_OCTAL_11;
  if (!mtimeFits) pax.push(['mtime', Buffer.from(String(mtime))]);
  const uidFits = entry.uid >= 0 && entry.uid <= MAX_OCTAL_7;
  const gidFits = entry.gid >= 0 && entry.gid <= MAX_OCTAL_7;
  if (!uidFits) pax.push(['uid', Buffer.from(String(entry.uid))]);
  if (!gidFits) pax.push(['gid', Buffer.from(String(entry.gid))]);

  const fields: UstarFields = {
    name: split?.name ?? asciiFallback(name, 100),
    prefix: split?.prefix ?? '',
    mode: entry.mode & 0o7777,
    uid: uidFits ? entry.uid : 0,
    gid: gidFits ? entry.gid : 0,
    size,
    mtime: mtimeFits ? mtime : 0,
    typeflag: entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2',
    linkname: linkFits ? link.toString('latin1') : asciiFallback(link, 100),
  };
  const header = ustarBlock(fields);
  if (pax.length === 0) return header;

  const records = Buffer.concat(pax.map(([k, v]) => paxRecordBytes(k, v)));
  const paxHeader = ustarBlock({
    name: asciiFallback(Buffer.concat([Buffer.from('PaxHeaders/'), baseName(name)]), 100),
    prefix: '',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: records.length,
    mtime: mtimeFits ? mtime : 0,
    typeflag: 'x',
    linkname: '',
  });
  const padded = Buffer.alloc(roundUp(records.length));
  records.copy(padded);
  return Buffer.concat([paxHeader, padded, header]);
}

/** The end of a tar archive: two zero blocks. */
export function tarTrailer(): Buffer {
  return Buffer.alloc(2 * TAR_BLOCK);
}

/** Bytes of zero padding after `size` bytes of content. */
export function tarPadding(size: number): number {
  return roundUp(size) - size;
}

function roundUp(n: number): number {
  return Math.ceil(n / TAR_BLOCK) * TAR_BLOCK;
}

interface UstarFields {
  name: string;
  prefix: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
}

function ustarBlock(f: UstarFields): Buffer {
  // From Node's buffer pool (a separate ArrayBuffer per header would be garbage per entry).
  const b = Buffer.allocUnsafe(TAR_BLOCK).fill(0);
  b.write(f.name, 0, 100, 'latin1');
  writeOctal(b, f.mode, 100, 8);
  writeOctal(b, f.uid, 108, 8);
  writeOctal(b, f.gid, 116, 8);
  writeSize(b, f.size);
  writeOctal(b, f.mtime, 136, 12);
  b.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  b.write(f.typeflag, 156, 1, 'latin1');
  b.write(f.linkname, 157, 100, 'latin1');
  b.write('ustar\x0000', 257, 8, 'latin1');
  b.write(f.prefix, 345, 155, 'latin1');
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += b[i] as number;
  b.write(sum.toString(8).padStart(6, '0') + '\x00 ', 148, 8, 'latin1');
  return b;
}

/** Octal digits, zero-padded, NUL-terminated, filling the field. */
function writeOctal(b: Buffer, value: number, offset: number, width: number): void {
  b.write(
    Math.floor(value)
      .toString(8)
      .padStart(width - 1, '0') + '\x00',
    offset,
    width,
    'latin1',
  );
}

/** Size: octal when it fits, else GNU base-256 (the PAX "size" record is what PAX readers use). */
function writeSize(b: Buffer, size: number): void {
  if (size <= MAX_OCTAL_11) return writeOctal(b, size, 124, 12);
  let v = BigInt(size);
  for (let i = 135; i > 124; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  b[124] = 0x80;
}

/** ustar's name/prefix split, or undefined when the name needs a PAX "path" record. */
function splitUstarName(bytes: Buffer): { name: string; prefix: string } | undefined {
  if (!printableAscii(bytes)) return undefined;
  const name = bytes.toString('latin1');
  if (name.length <= 100) return { name, prefix: '' };
  // Split at a slash so that prefix <= 155 and name <= 100 (directories keep their trailing slash in name).
  const body = name.endsWith('/') ? name.slice(0, -1) : name;
  const trail = name.endsWith('/') ? '/' : '';
  for (let i = body.indexOf('/'); i !== -1; i = body.indexOf('/', i + 1)) {
    const prefix = body.slice(0, i);
    const rest = body.slice(i + 1) + trail;
    if (prefix.length <= 155 && rest.length <= 100 && rest.length > trail.length)
      return { name: rest, prefix };
  }
  return undefined;
}

/** A printable-ASCII stand-in for readers that ignore PAX: the tail of the name, other bytes as "_". */
function asciiFallback(b: Buffer, max: number): string {
  let ascii = '';
  for (const c of b) ascii += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '_';
  return ascii.length <= max ? ascii : ascii.slice(ascii.length - max);
}

function baseName(name: Buffer): Buffer {
  const end = name[name.length - 1] === SLASH ? name.length - 1 : name.length;
  return name.subarray(name.lastIndexOf(SLASH, end - 1) + 1, end);
}

/** "<len> key=value\n" where len counts the whole record, itself included. */
export function paxRecord(key: string, value: string): string {
  return paxRecordBytes(key, Buffer.from(value, 'utf8')).toString('utf8');
}

/** The same record with the value as exact bytes (a name that is not UTF-8, under hdrcharset=BINARY). */
export function paxRecordBytes(key: string, value: Buffer): Buffer {
  const restBytes = Buffer.byteLength(` ${key}=\n`) + value.length;
  let len = restBytes + String(restBytes).length;
  if (String(len).length + restBytes !== len) len = restBytes + String(len).length;
  return Buffer.concat([Buffer.from(`${len} ${key}=`), value, Buffer.from('\n')]);
}
