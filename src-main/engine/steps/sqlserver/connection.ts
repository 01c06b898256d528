// One connection to SQL Server through mssql (tedious: pure JS, TDS over TCP, no native driver).
// Every statement goes out as a plain SQL batch (no RPC), and every request can be cancelled by the
// run's AbortSignal: request.cancel() sends a TDS ATTENTION, so the server really stops.
import mssql from 'mssql';
import type { ConnectionPool, InfoMessage, PoolConfig } from 'mssql';
import type { RunSecrets, SqlServerConfig } from '../../../contract/profile.js';
import { abortError } from '../../errors.js';

/** The connection part of the profile's database section (enough for "discover databases"). */
export type SqlServerConnectionConfig = Pick<
  SqlServerConfig,
  'server' | 'port' | 'instance' | 'user' | 'password' | 'domain' | 'encrypt' | 'trustServerCertificate'
>;

/** Metadata queries: generous for a busy server, but a hung one still ends. */
export const QUERY_TIMEOUT_MS = 60_000;
/** BACKUP and RESTORE VERIFYONLY: no client timeout at all (tedious' default of 15 s would kill them). */
export const NO_TIMEOUT = 0;
export const APP_NAME = 'octane-backup-manager';

export function poolConfig(cfg: SqlServerConnectionConfig, secrets: RunSecrets): PoolConfig {
  const password = secrets.databasePassword ?? cfg.password;
  const c: PoolConfig = {
    server: cfg.server,
    database: 'master',
    connectionTimeout: 30_000,
    requestTimeout: QUERY_TIMEOUT_MS,
    // One connection, used in turn; 'socket' avoids a SELECT 1 round trip before every request.
    pool: { max: 1, min: 0 },
    validateConnection: 'socket',
    options: {
      // Explicit booleans: mssql turns "undefined" into encrypt:true, which is also our default.
      encrypt: cfg.encrypt ?? true,
      trustServerCertificate: cfg.trustServerCertificate ?? false,
      appName: APP_NAME,
      enableArithAbort: true,
    },
  };
  if (cfg.port !== undefined) c.port = cfg.port;
  if (cfg.instance !== undefined && c.options) c.options.instanceName = cfg.instance;
  if (cfg.user !== undefined) c.user = cfg.user;
  if (password !== undefined) c.password = password;
  if (cfg.domain !== undefined) c.domain = cfg.domain;
  return c;
}

/** "host:1433", "host\INSTANCE" or "host": how the admin would write it. */
export function serverLabel(cfg: SqlServerConnectionConfig): string {
  if (cfg.instance) return `${cfg.server}\\${cfg.instance}`;
  return cfg.port !== undefined ? `${cfg.server}:${cfg.port}` : cfg.server;
}

export interface BatchOptions {
  signal: AbortSignal;
  /** ms; 0 = none. */
  timeoutMs?: number;
  onInfo?: (info: InfoMessage) => void;
}

export class SqlSession {
  private constructor(private readonly pool: ConnectionPool) {}

  static async open(
    cfg: SqlServerConnectionConfig,
    secrets: RunSecrets,
    signal: AbortSignal,
  ): Promise<SqlSession> {
    if (signal.aborted) throw abortError();
    const pool = new mssql.ConnectionPool(poolConfig(cfg, secrets));
    // Without a listener an 'error' event (e.g. a socket reset while idle) would crash the process.
    pool.on('error', () => undefined);
    const onAbort = (): void => void pool.close().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await pool.connect();
    } catch (err) {
      if (signal.aborted) throw abortError();
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) {
      await pool.close().catch(() => undefined);
      throw abortError();
    }
    return new SqlSession(pool);
  }

  /** Runs one batch; resolves with its first result set. */
  async batch<T = Record<string, unknown>>(sql: string, opts: BatchOptions): Promise<T[]> {
    if (opts.signal.aborted) throw abortError();
    const req = this.pool.request({ requestTimeout: opts.timeoutMs ?? QUERY_TIMEOUT_MS });
    if (opts.onInfo) req.on('info', opts.onInfo);
    const onAbort = (): void => void req.cancel();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await req.batch<T>(sql);
      return result.recordset ?? [];
    } catch (err) {
      if (opts.signal.aborted) throw abortError();
      throw err;
    } finally {
      opts.signal.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => undefined);
  }
}
