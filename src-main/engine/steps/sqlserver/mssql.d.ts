// mssql 12 ships no type declarations and @types/mssql lags behind it, so this file declares
// exactly the part of its API the SQL Server step uses (checked against node_modules/mssql/lib).
declare module 'mssql' {
  export interface PoolConfig {
    server: string;
    port?: number;
    database?: string;
    user?: string;
    password?: string;
    /** When set, tedious logs in with NTLM (Windows account). */
    domain?: string;
    connectionTimeout?: number;
    /** Default for every request of the pool; a request may override it. 0 = no timeout. */
    requestTimeout?: number;
    /** true = SELECT 1 on every acquire (an RPC); 'socket' = check the socket only. */
    validateConnection?: boolean | 'socket';
    pool?: { max?: number; min?: number; idleTimeoutMillis?: number };
    options?: {
      encrypt?: boolean;
      trustServerCertificate?: boolean;
      instanceName?: string;
      appName?: string;
      enableArithAbort?: boolean;
      cancelTimeout?: number;
    };
  }

  export interface InfoMessage {
    message: string;
    number: number;
    state: number;
    class: number;
    lineNumber: number;
    serverName: string;
    procName: string;
  }

  export interface Result<T> {
    recordset: T[] | undefined;
    recordsets: T[][];
    rowsAffected: number[];
  }

  export class Request {
    /** Per-request overrides given to pool.request(). */
    overrides: { requestTimeout?: number };
    batch<T = Record<string, unknown>>(sql: string): Promise<Result<T>>;
    cancel(): boolean;
    on(event: 'info', listener: (info: InfoMessage) => void): this;
  }

  export class ConnectionPool {
    constructor(config: PoolConfig);
    connect(): Promise<ConnectionPool>;
    close(): Promise<void>;
    request(conf?: { requestTimeout?: number }): Request;
    on(event: 'error', listener: (err: Error) => void): this;
  }

  const mssql: {
    ConnectionPool: typeof ConnectionPool;
    Request: typeof Request;
  };
  export default mssql;
}
