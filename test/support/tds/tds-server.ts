// TDS stand-in: a Node `net` server that speaks enough of the SQL Server protocol (TDS 7.4) for the
// real mssql/tedious client to connect, log in (SQL login or NTLM), run SQL batches, receive
// result rows, INFO and ERROR messages, cancel with ATTENTION, and lose its connection.
// What each batch answers is up to a scriptable handler (see fake-sql-server.ts).
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  colMetadata,
  doneToken,
  DONE_STATUS,
  ENCRYPT,
  envChangeCollation,
  envChangeString,
  errorToken,
  infoToken,
  loginAck,
  ntlmChallenge,
  PACKET,
  PacketReader,
  packets,
  parseLogin7,
  parseNtlmAuthenticate,
  parsePrelogin,
  parseSqlBatch,
  preloginResponse,
  row,
  sspiToken,
  type CellValue,
  type Column,
  type MessageOptions,
} from './protocol.js';

export interface LoginInfo {
  userName: string;
  password: string;
  database: string;
  appName: string;
  /** Set when the client logged in with a Windows account (NTLM). */
  domain?: string;
  ntlm: boolean;
  /** What the client asked for in PRELOGIN (ENCRYPT_* value). */
  clientEncryption?: number;
}

export interface SqlError {
  number: number;
  message: string;
  severity?: number;
  state?: number;
}

export interface BatchResponse {
  readonly login: LoginInfo;
  /** True once the client sent ATTENTION (cancel) for this batch. */
  readonly attention: boolean;
  info(number: number, text: string, opts?: MessageOptions): void;
  error(number: number, text: string, opts?: MessageOptions): void;
  /** One result set: column metadata, rows, DONE with the row count. */
  rows(columns: Column[], rows: CellValue[][]): void;
  /** Sends what is queued now as a non-final packet, as SQL Server does for progress messages. */
  flush(): Promise<void>;
  /** Waits ms, or less when ATTENTION arrives (or the connection is gone); resolves true then. */
  wait(ms: number): Promise<boolean>;
  /** Drops the TCP connection without a word (network fault). */
  drop(): void;
}

export type BatchHandler = (sql: string, res: BatchResponse) => Promise<void> | void;

export interface TdsServerOptions {
  handler: BatchHandler;
  /** undefined = accept; otherwise the login error to send (e.g. 18456). */
  authenticate?: (login: LoginInfo) => SqlError | undefined;
}

export interface TdsServer {
  readonly port: number;
  /** Every SQL batch received, in order, across connections. */
  readonly batches: string[];
  readonly logins: LoginInfo[];
  /** ATTENTION messages received. */
  attentions: number;
  /** RPC requests received (the step must not send any: it quotes literals itself). */
  rpcs: number;
  close(): Promise<void>;
}

const PACKET_SIZE = 4096;

export async function startTdsServer(opts: TdsServerOptions): Promise<TdsServer> {
  const sockets = new Set<Socket>();
  const state = { batches: [] as string[], logins: [] as LoginInfo[], attentions: 0, rpcs: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    new Session(socket, opts, state).start();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get batches() {
      return state.batches;
    },
    get logins() {
      return state.logins;
    },
    get attentions() {
      return state.attentions;
    },
    set attentions(n: number) {
      state.attentions = n;
    },
    get rpcs() {
      return state.rpcs;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Phase = 'prelogin' | 'login' | 'ntlm' | 'ready';

interface Message {
  type: number;
  data: Buffer;
}

class Session {
  private readonly reader = new PacketReader();
  private phase: Phase = 'prelogin';
  private partial: { type: number; parts: Buffer[] } | undefined;
  private readonly queue: Message[] = [];
  private busy = false;
  private current: Request | undefined;
  private pendingLogin: LoginInfo | undefined;
  private login: LoginInfo | undefined;
  private clientEncryption: number | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly opts: TdsServerOptions,
    private readonly state: { batches: string[]; logins: LoginInfo[]; attentions: number; rpcs: number },
  ) {}

  start(): void {
    // A handler waiting for ATTENTION must not outlive its connection.
    this.socket.on('close', () => this.current?.abandon());
    this.socket.on('data', (chunk: Buffer) => {
      for (const p of this.reader.push(chunk)) {
        if (!this.partial) this.partial = { type: p.type, parts: [] };
        this.partial.parts.push(p.data);
        if (!p.last) continue;
        const msg = { type: this.partial.type, data: Buffer.concat(this.partial.parts) };
        this.partial = undefined;
        if (msg.type === PACKET.ATTENTION) {
          // Out of band: it must reach the batch that is running now.
          this.state.attentions++;
          if (this.current) this.current.attend();
          else this.send(PACKET.TABULAR_RESULT, doneToken(DONE_STATUS.ATTN), true);
          continue;
        }
        this.queue.push(msg);
      }
      void this.drain();
    });
  }

  send(type: number, body: Buffer, last: boolean): void {
    if (this.socket.destroyed) return;
    for (const p of packets(type, body, last, PACKET_SIZE, 1)) this.socket.write(p);
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let m = this.queue.shift(); m; m = this.queue.shift()) await this.handle(m);
    } catch (err) {
      this.socket.destroy(err as Error);
    } finally {
      this.busy = false;
    }
  }

  private async handle(m: Message): Promise<void> {
    if (this.phase === 'prelogin') {
      if (m.type !== PACKET.PRELOGIN) throw new Error('TDS stand-in: expected PRELOGIN');
      this.clientEncryption = parsePrelogin(m.data).encryption;
      // No TLS in the stand-in: clients must be configured encrypt:false.
      this.send(PACKET.TABULAR_RESULT, preloginResponse(ENCRYPT.NOT_SUP), true);
      this.phase = 'login';
      return;
    }
    if (this.phase === 'login') {
      if (m.type !== PACKET.LOGIN7) throw new Error('TDS stand-in: expected LOGIN7');
      const l = parseLogin7(m.data);
      const info: LoginInfo = {
        userName: l.userName,
        password: l.password,
        database: l.database,
        appName: l.appName,
        ntlm: l.sspi.length > 0,
      };
      if (this.clientEncryption !== undefined) info.clientEncryption = this.clientEncryption;
      if (info.ntlm) {
        if (l.sspi.toString('latin1', 0, 8) !== 'NTLMSSP\0')
          throw new Error('TDS stand-in: SSPI data is not NTLM');
        this.pendingLogin = info;
        this.phase = 'ntlm';
        this.send(PACKET.TABULAR_RESULT, sspiToken(ntlmChallenge('STANDIN')), true);
        return;
      }
      this.finishLogin(info);
      return;
    }
    if (this.phase === 'ntlm') {
      if (m.type !== PACKET.NTLMAUTH || !this.pendingLogin)
        throw new Error('TDS stand-in: expected NTLM AUTHENTICATE');
      const auth = parseNtlmAuthenticate(m.data);
      this.finishLogin({ ...this.pendingLogin, userName: auth.userName, domain: auth.domain });
      return;
    }
    if (m.type === PACKET.RPC) {
      this.state.rpcs++;
      this.send(
        PACKET.TABULAR_RESULT,
        Buffer.concat([
          errorToken(50000, 'TDS stand-in: RPC requests are not supported.'),
          doneToken(DONE_STATUS.ERROR),
        ]),
        true,
      );
      return;
    }
    if (m.type !== PACKET.SQL_BATCH) throw new Error(`TDS stand-in: unexpected packet type ${m.type}`);
    const sql = parseSqlBatch(m.data);
    this.state.batches.push(sql);
    const req = new Request(this, this.login as LoginInfo);
    this.current = req;
    try {
      await this.opts.handler(sql, req);
    } catch (err) {
      req.error(50000, `TDS stand-in handler failed: ${(err as Error).message}`);
    } finally {
      this.current = undefined;
    }
    req.finish();
  }

  private finishLogin(info: LoginInfo): void {
    this.state.logins.push(info);
    const refused = this.opts.authenticate?.(info);
    if (refused) {
      this.send(
        PACKET.TABULAR_RESULT,
        Buffer.concat([
          errorToken(refused.number, refused.message, {
            severity: refused.severity ?? 14,
            state: refused.state ?? 1,
          }),
          doneToken(DONE_STATUS.ERROR),
        ]),
        true,
      );
      this.socket.end();
      return;
    }
    this.login = info;
    this.phase = 'ready';
    this.send(
      PACKET.TABULAR_RESULT,
      Buffer.concat([
        envChangeString(1, info.database || 'master', 'master'),
        infoToken(5701, `Changed database context to '${info.database || 'master'}'.`, {
          severity: 0,
          state: 2,
        }),
        envChangeCollation(),
        envChangeString(2, 'us_english', ''),
        loginAck(),
        envChangeString(4, String(PACKET_SIZE), String(PACKET_SIZE)),
        doneToken(0),
      ]),
      true,
    );
  }

  destroy(): void {
    this.socket.destroy();
  }
}

class Request implements BatchResponse {
  private tokens: Buffer[] = [];
  private sentAny = false;
  private hadError = false;
  private dropped = false;
  private attended = false;
  private wakers = new Set<() => void>();

  constructor(
    private readonly session: Session,
    readonly login: LoginInfo,
  ) {}

  get attention(): boolean {
    return this.attended;
  }

  attend(): void {
    this.attended = true;
    for (const w of this.wakers) w();
    this.wakers.clear();
  }

  /** The connection is gone: stop waiting, send nothing more. */
  abandon(): void {
    this.dropped = true;
    for (const w of this.wakers) w();
    this.wakers.clear();
  }

  info(number: number, text: string, opts: MessageOptions = {}): void {
    if (!this.attended) this.tokens.push(infoToken(number, text, { severity: 0, ...opts }));
  }

  error(number: number, text: string, opts: MessageOptions = {}): void {
    this.hadError = true;
    if (!this.attended) this.tokens.push(errorToken(number, text, opts));
  }

  rows(columns: Column[], rows: CellValue[][]): void {
    if (this.attended) return;
    this.tokens.push(colMetadata(columns), ...rows.map((r) => row(columns, r)));
    this.tokens.push(doneToken(DONE_STATUS.MORE | DONE_STATUS.COUNT, rows.length));
  }

  async flush(): Promise<void> {
    if (this.attended || this.dropped || this.tokens.length === 0) return;
    this.session.send(PACKET.TABULAR_RESULT, Buffer.concat(this.tokens), false);
    this.tokens = [];
    this.sentAny = true;
    // Let the bytes leave before the handler goes on.
    await new Promise((r) => setImmediate(r));
  }

  wait(ms: number): Promise<boolean> {
    if (this.attended || this.dropped) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.wakers.delete(wake);
        resolve(false);
      }, ms);
      this.wakers.add(wake);
    });
  }

  drop(): void {
    this.dropped = true;
    this.session.destroy();
  }

  finish(): void {
    if (this.dropped) return;
    if (this.attended) {
      // The canceled request gets its own (final) response, then the attention acknowledgement
      // comes as a separate message: tedious reads exactly that (see its connection-cancel test).
      this.session.send(PACKET.TABULAR_RESULT, doneToken(this.sentAny ? DONE_STATUS.ERROR : 0), true);
      this.session.send(PACKET.TABULAR_RESULT, doneToken(DONE_STATUS.ATTN), true);
      return;
    }
    const final = doneToken(this.hadError ? DONE_STATUS.ERROR : 0);
    this.session.send(PACKET.TABULAR_RESULT, Buffer.concat([...this.tokens, final]), true);
    this.tokens = [];
  }
}
