// For the profile editor: "Test connection" and "Discover databases" (the admin ticks the Octane
// site and space databases; space names can be anything on DBA-managed sites, so no guessing).
import type { RunSecrets } from '../../../contract/profile.js';
import { isAbortError } from '../../errors.js';
import { serverLabel, SqlSession, type SqlServerConnectionConfig } from './connection.js';
import { mapSqlError } from './errors.js';
import {
  readClock,
  readDatabases,
  readServerFacts,
  type DatabaseRow,
  type Querier,
  type ServerFacts,
} from './queries.js';

export interface DiscoverOptions {
  signal?: AbortSignal;
}

export type SqlServerDatabaseInfo = DatabaseRow;

export interface SqlServerConnectionReport {
  server: string;
  facts: ServerFacts;
  /** The server's clock when asked, ISO-8601 with its offset. */
  dbTime: string;
  /** DB clock minus this PC's clock, ms (large values make skew figures less exact). */
  clockOffsetMs: number;
}

async function withSession<T>(
  config: SqlServerConnectionConfig,
  secrets: RunSecrets,
  opts: DiscoverOptions,
  fn: (q: Querier) => Promise<T>,
): Promise<T> {
  const signal = opts.signal ?? new AbortController().signal;
  const server = serverLabel(config);
  const who = {
    ...(config.user ? { user: config.user } : {}),
    ...(config.domain ? { domain: config.domain } : {}),
  };
  let session: SqlSession;
  try {
    session = await SqlSession.open(config, secrets, signal);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw mapSqlError(err, { phase: 'connect', server, ...who });
  }
  try {
    return await fn({ session, signal });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw mapSqlError(err, { phase: 'query', server, ...who });
  } finally {
    await session.close();
  }
}

/** The instance's user databases (not master, tempdb, model, msdb), by name. Throws ExpectedError. */
export function listSqlServerDatabases(
  config: SqlServerConnectionConfig,
  secrets: RunSecrets,
  opts: DiscoverOptions = {},
): Promise<SqlServerDatabaseInfo[]> {
  return withSession(config, secrets, opts, (q) => readDatabases(q));
}

/** Logs in and reads version, edition, rights and clock. Throws ExpectedError with a fix. */
export function testSqlServerConnection(
  config: SqlServerConnectionConfig,
  secrets: RunSecrets,
  opts: DiscoverOptions = {},
): Promise<SqlServerConnectionReport> {
  return withSession(config, secrets, opts, async (q) => {
    const facts = await readServerFacts(q);
    const c = await readClock(q);
    const mid = (c.localBefore.getTime() + c.localAfter.getTime()) / 2;
    return {
      server: serverLabel(config),
      facts,
      dbTime: c.dbTime,
      clockOffsetMs: Math.round(Date.parse(c.dbTime) - mid),
    };
  });
}
