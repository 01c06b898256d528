// TDS stand-in: the bytes of the protocol (MS-TDS) that the stand-in speaks, written from the
// specification and checked against what tedious parses (node_modules/tedious/lib/token/*).
// Only what the SQL Server step needs: PRELOGIN, LOGIN7, SQL batch, ATTENTION, NTLM, and the
// tokens LOGINACK, ENVCHANGE, INFO, ERROR, COLMETADATA, ROW, DONE, SSPI.

export const PACKET = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  LOGIN7: 0x10,
  NTLMAUTH: 0x11,
  PRELOGIN: 0x12,
} as const;

export const HEADER_LENGTH = 8;
const STATUS_EOM = 0x01;

export const DONE_STATUS = { MORE: 0x0001, ERROR: 0x0002, COUNT: 0x0010, ATTN: 0x0020 } as const;

/** SQL_Latin1_General_CP1_CI_AS, as SQL Server sends it in ENVCHANGE and column metadata. */
const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

export function packet(type: number, data: Buffer, last: boolean, packetId: number): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(type, 0);
  header.writeUInt8(last ? STATUS_EOM : 0, 1);
  header.writeUInt16BE(HEADER_LENGTH + data.length, 2);
  header.writeUInt16BE(0x0033, 4); // SPID
  header.writeUInt8(packetId % 256, 6);
  return Buffer.concat([header, data]);
}

/** Splits a message body into packets of at most packetSize bytes (header included). */
export function packets(
  type: number,
  body: Buffer,
  last: boolean,
  packetSize: number,
  firstId: number,
): Buffer[] {
  const room = packetSize - HEADER_LENGTH;
  const out: Buffer[] = [];
  let id = firstId;
  for (let off = 0; off < body.length || out.length === 0; off += room) {
    const chunk = body.subarray(off, off + room);
    const isLast = last && off + room >= body.length;
    out.push(packet(type, chunk, isLast, id++));
  }
  return out;
}

export interface IncomingPacket {
  type: number;
  last: boolean;
  data: Buffer;
}

/** Incremental packet reader over a byte stream. */
export class PacketReader {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): IncomingPacket[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: IncomingPacket[] = [];
    while (this.buf.length >= HEADER_LENGTH) {
      const len = this.buf.readUInt16BE(2);
      if (len < HEADER_LENGTH) throw new Error(`TDS stand-in: bad packet length ${len}`);
      if (this.buf.length < len) break;
      out.push({
        type: this.buf.readUInt8(0),
        last: (this.buf.readUInt8(1) & STATUS_EOM) !== 0,
        data: Buffer.from(this.buf.subarray(HEADER_LENGTH, len)),
      });
      this.buf = this.buf.subarray(len);
    }
    return out;
  }

  /** Bytes received that do not (yet) form a whole packet. */
  rest(): Buffer {
    const r = this.buf;
    this.buf = Buffer.alloc(0);
    return r;
  }
}

// ---- PRELOGIN -------------------------------------------------------------------------------

export const ENCRYPT = { OFF: 0x00, ON: 0x01, NOT_SUP: 0x02, REQ: 0x03 } as const;

export function parsePrelogin(data: Buffer): { encryption?: number } {
  let off = 0;
  const out: { encryption?: number } = {};
  while (off < data.length && data[off] !== 0xff) {
    const token = data.readUInt8(off);
    const at = data.readUInt16BE(off + 1);
    if (token === 0x01) out.encryption = data.readUInt8(at);
    off += 5;
  }
  return out;
}

export function preloginResponse(encryption: number): Buffer {
  const options: [number, Buffer][] = [
    [0x00, Buffer.from([15, 0, 0x10, 0xdc, 0, 0])], // VERSION 15.0.4316
    [0x01, Buffer.from([encryption])], // ENCRYPTION
    [0x02, Buffer.from([0])], // INSTOPT
    [0x03, Buffer.alloc(0)], // THREADID (servers send it empty)
    [0x04, Buffer.from([0])], // MARS off
  ];
  const headerLen = options.length * 5 + 1;
  const header = Buffer.alloc(headerLen);
  const bodies: Buffer[] = [];
  let dataOff = headerLen;
  options.forEach(([token, body], i) => {
    header.writeUInt8(token, i * 5);
    header.writeUInt16BE(dataOff, i * 5 + 1);
    header.writeUInt16BE(body.length, i * 5 + 3);
    bodies.push(body);
    dataOff += body.length;
  });
  header.writeUInt8(0xff, headerLen - 1);
  return Buffer.concat([header, ...bodies]);
}

// ---- LOGIN7 ---------------------------------------------------------------------------------

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  hostName: string;
  userName: string;
  /** Decoded from the LOGIN7 obfuscation; kept so tests can prove what reached the "server". */
  password: string;
  appName: string;
  serverName: string;
  database: string;
  /** NTLM NEGOTIATE message when the client logs in with a Windows account. */
  sspi: Buffer;
}

function ucs2At(data: Buffer, fieldOffset: number): string {
  const ib = data.readUInt16LE(fieldOffset);
  const cch = data.readUInt16LE(fieldOffset + 2);
  return data.toString('ucs2', ib, ib + cch * 2);
}

function unscramble(buf: Buffer): Buffer {
  const out = Buffer.alloc(buf.length);
  for (let i = 0; i < buf.length; i++) {
    const b = (buf[i] as number) ^ 0xa5;
    out[i] = ((b & 0x0f) << 4) | (b >> 4);
  }
  return out;
}

export function parseLogin7(data: Buffer): Login7 {
  const ibPwd = data.readUInt16LE(44);
  const cchPwd = data.readUInt16LE(46);
  const ibSspi = data.readUInt16LE(78);
  const cbSspi = data.readUInt16LE(80);
  return {
    tdsVersion: data.readUInt32LE(4),
    packetSize: data.readUInt32LE(8),
    hostName: ucs2At(data, 36),
    userName: ucs2At(data, 40),
    password: unscramble(data.subarray(ibPwd, ibPwd + cchPwd * 2)).toString('ucs2'),
    appName: ucs2At(data, 48),
    serverName: ucs2At(data, 52),
    database: ucs2At(data, 68),
    sspi: Buffer.from(data.subarray(ibSspi, ibSspi + cbSspi)),
  };
}

// ---- NTLM (the stand-in checks the shape, it does not verify the hash) ----------------------

export function ntlmChallenge(domain: string): Buffer {
  const domainBuf = Buffer.from(domain, 'ucs2');
  // Target info: MsvAvNbDomainName, then MsvAvEOL.
  const target = Buffer.concat([
    Buffer.from([0x02, 0x00]),
    u16(domainBuf.length),
    domainBuf,
    Buffer.from([0, 0, 0, 0]),
  ]);
  const head = Buffer.alloc(56);
  head.write('NTLMSSP\0', 0, 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(domainBuf.length, 12);
  head.writeUInt16LE(domainBuf.length, 14);
  head.writeUInt32LE(56, 16);
  head.writeUInt32LE(0x00828201, 20); // negotiate flags (unicode, NTLM, target info)
  Buffer.from('0123456789abcdef', 'hex').copy(head, 24); // server nonce
  head.writeUInt16LE(target.length, 40);
  head.writeUInt16LE(target.length, 42);
  head.writeUInt32LE(56 + domainBuf.length, 44);
  return Buffer.concat([head, domainBuf, target]);
}

export function parseNtlmAuthenticate(data: Buffer): { domain: string; userName: string } {
  if (data.toString('latin1', 0, 8) !== 'NTLMSSP\0' || data.readUInt32LE(8) !== 3)
    throw new Error('TDS stand-in: not an NTLM AUTHENTICATE message');
  const field = (at: number): string => {
    const len = data.readUInt16LE(at);
    const off = data.readUInt32LE(at + 4);
    return data.toString('ucs2', off, off + len);
  };
  return { domain: field(28), userName: field(36) };
}

// ---- SQL batch ------------------------------------------------------------------------------

export function parseSqlBatch(data: Buffer): string {
  // TDS 7.2+: ALL_HEADERS first; its first DWORD is its own total length.
  const headersLength = data.readUInt32LE(0);
  return data.toString('ucs2', headersLength);
}

// ---- tokens ---------------------------------------------------------------------------------

function u8(n: number): Buffer {
  return Buffer.from([n]);
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
function bVarChar(s: string): Buffer {
  return Buffer.concat([u8(s.length), Buffer.from(s, 'ucs2')]);
}
function usVarChar(s: string): Buffer {
  return Buffer.concat([u16(s.length), Buffer.from(s, 'ucs2')]);
}
function withLength(type: number, body: Buffer): Buffer {
  return Buffer.concat([u8(type), u16(body.length), body]);
}

export function loginAck(progName = 'Microsoft SQL Server'): Buffer {
  const version = Buffer.alloc(4);
  version.writeUInt32BE(0x74000004); // TDS 7.4
  return withLength(
    0xad,
    Buffer.concat([u8(1), version, bVarChar(progName), Buffer.from([15, 0, 0x10, 0xdc])]),
  );
}

export function envChangeString(type: 1 | 2 | 4, newValue: string, oldValue: string): Buffer {
  return withLength(0xe3, Buffer.concat([u8(type), bVarChar(newValue), bVarChar(oldValue)]));
}

export function envChangeCollation(): Buffer {
  return withLength(0xe3, Buffer.concat([u8(7), u8(COLLATION.length), COLLATION, u8(0)]));
}

export interface MessageOptions {
  state?: number;
  severity?: number;
  serverName?: string;
  procName?: string;
  line?: number;
}

function message(type: 0xaa | 0xab, number: number, text: string, o: MessageOptions): Buffer {
  return withLength(
    type,
    Buffer.concat([
      u32(number),
      u8(o.state ?? 1),
      u8(o.severity ?? (type === 0xaa ? 16 : 0)),
      usVarChar(text),
      bVarChar(o.serverName ?? 'STANDIN'),
      bVarChar(o.procName ?? ''),
      u32(o.line ?? 1),
    ]),
  );
}

export const infoToken = (n: number, text: string, o: MessageOptions = {}): Buffer =>
  message(0xab, n, text, o);
export const errorToken = (n: number, text: string, o: MessageOptions = {}): Buffer =>
  message(0xaa, n, text, o);

export function doneToken(status: number, rowCount = 0): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt8(0xfd, 0);
  b.writeUInt16LE(status, 1);
  b.writeUInt16LE(0xc1, 3); // curCmd: SELECT
  b.writeBigUInt64LE(BigInt(rowCount), 5);
  return b;
}

export function sspiToken(data: Buffer): Buffer {
  return withLength(0xed, data);
}

/** The column types the stand-in can send: the step casts its results to these on the server. */
export type ColumnType = 'nvarchar' | 'int' | 'bigint';
export interface Column {
  name: string;
  type: ColumnType;
}
export type CellValue = string | number | bigint | null;

export function colMetadata(columns: Column[]): Buffer {
  const parts: Buffer[] = [u8(0x81), u16(columns.length)];
  for (const c of columns) {
    parts.push(u32(0), u16(0x0001)); // userType, flags: nullable
    if (c.type === 'nvarchar') parts.push(u8(0xe7), u16(8000), COLLATION);
    else parts.push(u8(0x26), u8(c.type === 'int' ? 4 : 8)); // INTN
    parts.push(bVarChar(c.name));
  }
  return Buffer.concat(parts);
}

export function row(columns: Column[], values: CellValue[]): Buffer {
  const parts: Buffer[] = [u8(0xd1)];
  columns.forEach((c, i) => {
    const v = values[i] ?? null;
    if (c.type === 'nvarchar') {
      if (v === null) parts.push(u16(0xffff));
      else {
        const s = Buffer.from(String(v), 'ucs2');
        if (s.length > 8000) throw new Error('TDS stand-in: nvarchar value longer than 4000 characters');
        parts.push(u16(s.length), s);
      }
    } else if (v === null) parts.push(u8(0));
    else if (c.type === 'int') {
      const b = Buffer.alloc(4);
      b.writeInt32LE(Number(v));
      parts.push(u8(4), b);
    } else {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v));
      parts.push(u8(8), b);
    }
  });
  return Buffer.concat(parts);
}
