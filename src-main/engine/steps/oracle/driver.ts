// The driver boundary of the Oracle step. The step talks to this small interface only, so
// tests can inject a scripted stand-in and the real thing stays a thin adapter over
// node-oracledb in Thin mode (pure JavaScript: no Instant Client, never initOracleClient).
import { createRequire } from 'node:module';

/** An OUT bind: the adapter turns it into oracledb's { dir: BIND_OUT, type, maxSize }. */
export interface OutBind {
  out: 'string' | 'number';
  /** Bytes, for strings. */
  maxSize?: number;
}

/** An IN bind sent as a BLOB (the restore's upload chunks; a plain Buffer would be RAW, 32 KiB at most). */
export interface BlobBind {
  blob: Buffer;
}

export type BindValue = string | number | null | OutBind | BlobBind;
export type Binds = Record<string, BindValue>;

/** A row keyed by upper-case column name (Oracle's default for unquoted aliases). */
export type Row = Record<string, unknown>;

export interface ExecuteResult {
  rows?: Row[];
  outBinds?: Record<string, unknown>;
}

/** The part of oracledb's Lob the copy uses (a BFILE read in chunks). */
export interface OracleLob {
  /** offset is 1-based, in bytes; returns at most `amount` bytes. */
  getData(offset: number, amount: number): Promise<Buffer | string | null>;
  destroy(): void;
}

export interface OracleConnection {
  execute(sql: string, binds?: Binds): Promise<ExecuteResult>;
  close(): Promise<void>;
}

export interface ConnectParams {
  user: string;
  password: string;
  connectString: string;
}

export type ConnectFactory = (params: ConnectParams) => Promise<OracleConnection>;

export function isOutBind(v: BindValue | undefined): v is OutBind {
  return typeof v === 'object' && v !== null && 'out' in v;
}

export function isBlobBind(v: BindValue | undefined): v is BlobBind {
  return typeof v === 'object' && v !== null && 'blob' in v;
}

/** The binds as oracledb wants them: OUT binds with type and size, BLOB binds typed as BLOB. */
export function driverBinds(
  db: Pick<OracleDbModule, 'BIND_IN' | 'BIND_OUT' | 'STRING' | 'NUMBER' | 'BLOB'>,
  binds: Binds,
): Record<string, unknown> {
  const mapped: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(binds)) {
    if (isOutBind(v))
      mapped[k] = {
        dir: db.BIND_OUT,
        type: v.out === 'number' ? db.NUMBER : db.STRING,
        maxSize: v.maxSize ?? 4000,
      };
    else if (isBlobBind(v)) mapped[k] = { dir: db.BIND_IN, type: db.BLOB, val: v.blob };
    else mapped[k] = v;
  }
  return mapped;
}

// The subset of the untyped oracledb module used here.
export interface OracleDbModule {
  thin: boolean;
  BIND_IN: number;
  BIND_OUT: number;
  STRING: unknown;
  NUMBER: unknown;
  BLOB: unknown;
  OUT_FORMAT_OBJECT: number;
  getConnection(p: ConnectParams & { connectTimeout?: number }): Promise<RawConnection>;
}
interface RawConnection {
  execute(
    sql: string,
    binds: Record<string, unknown>,
    options: Record<string, unknown>,
  ): Promise<{
    rows?: Row[];
    outBinds?: Record<string, unknown>;
  }>;
  close(): Promise<void>;
}

let loaded: OracleDbModule | undefined;
function oracledb(): OracleDbModule {
  // Loaded on first use: preflight of a SQL Server profile and the tests never load it.
  loaded ??= createRequire(import.meta.url)('oracledb') as OracleDbModule;
  return loaded;
}

/** Seconds to wait for the listener before giving up (Thin mode's connectTimeout). */
const CONNECT_TIMEOUT_S = 30;

/** The default factory: oracledb.getConnection in Thin mode. */
export const thinConnect: ConnectFactory = async (params) => {
  const db = oracledb();
  const raw = await db.getConnection({ ...params, connectTimeout: CONNECT_TIMEOUT_S });
  return {
    async execute(sql, binds = {}) {
      // LOB columns (the BFILE) come back as Lob objects by default, which is what the copy wants.
      const r = await raw.execute(sql, driverBinds(db, binds), { outFormat: db.OUT_FORMAT_OBJECT });
      const out: ExecuteResult = {};
      if (r.rows) out.rows = r.rows;
      if (r.outBinds) out.outBinds = r.outBinds;
      return out;
    },
    close: () => raw.close(),
  };
};
