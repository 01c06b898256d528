// Opening the connection and reading the facts the set records: who we are, the server's
// version, and the consistency point (SCN + the DB server's own time).
import type { OracleConfig, RunSecrets } from '../../../contract/profile.js';
import type { ServerInfo } from '../../../contract/manifest.js';
import { ExpectedError } from '../../errors.js';
import type { ConnectFactory, OracleConnection, Row } from './driver.js';
import { explainOracleError, oracleCodes } from './errors.js';
import {
  SQL_IDENTITY,
  SQL_SCN_FLASHBACK,
  SQL_SCN_V_DATABASE,
  SQL_VERSION_INSTANCE,
  SQL_VERSION_PRODUCT,
} from './sql.js';

export async function openConnection(
  cfg: OracleConfig,
  secrets: RunSecrets,
  connect: ConnectFactory,
): Promise<OracleConnection> {
  const password = secrets.databasePassword ?? cfg.password;
  if (password === undefined || password === '') {
    throw new ExpectedError('ORACLE_NO_PASSWORD', `No password is known for the Oracle login ${cfg.user}.`, {
      step: 'database',
      fix: 'Enter the password in the profile (it is kept in the secret store) or name an environment variable in passwordEnv.',
    });
  }
  try {
    return await connect({ user: cfg.user, password, connectString: cfg.connectString });
  } catch (err) {
    throw explainOracleError(err, { user: cfg.user, connectString: cfg.connectString });
  }
}

export async function closeQuietly(conn: OracleConnection | undefined): Promise<void> {
  if (!conn) return;
  try {
    await conn.close();
  } catch {
    // Closing a broken connection fails too; nothing left to release.
  }
}

export async function queryRows(
  conn: OracleConnection,
  sql: string,
  binds: Parameters<OracleConnection['execute']>[1] = {},
): Promise<Row[]> {
  const r = await conn.execute(sql, binds);
  return r.rows ?? [];
}

export function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export interface Identity {
  sessionUser: string;
  dbName?: string;
}

export async function readIdentity(conn: OracleConnection): Promise<Identity> {
  const row = (await queryRows(conn, SQL_IDENTITY))[0] ?? {};
  const id: Identity = { sessionUser: str(row.SESSION_USER) ?? '' };
  const db = str(row.DB_NAME);
  if (db !== undefined) id.dbName = db;
  return id;
}

/** Version from V$INSTANCE when readable (full patch level), else PRODUCT_COMPONENT_VERSION. */
export async function readServerInfo(conn: OracleConnection, dbName?: string): Promise<ServerInfo> {
  const info: ServerInfo = { engine: 'oracle' };
  if (dbName !== undefined) info.name = dbName;
  try {
    const row = (await queryRows(conn, SQL_VERSION_INSTANCE))[0];
    const v = str(row?.VERSION);
    if (v !== undefined) {
      info.version = v;
      const ed = str(row?.EDITION);
      if (ed !== undefined) info.edition = ed;
      return info;
    }
  } catch {
    // No SELECT on V$INSTANCE, or a release before 18c (no VERSION_FULL): fall back.
  }
  try {
    const row = (await queryRows(conn, SQL_VERSION_PRODUCT))[0];
    const v = str(row?.VERSION);
    if (v !== undefined) info.version = v;
    const product = str(row?.PRODUCT);
    const ed = product !== undefined ? /(\w+ Edition)/.exec(product)?.[1] : undefined;
    if (ed !== undefined) info.edition = ed;
  } catch {
    // The version is nice to have; the backup does not depend on it.
  }
  return info;
}

export interface ConsistencyReading {
  scn: string;
  /** DB server time, ISO-8601 with its offset. */
  dbTime: string;
  localBefore: Date;
  localAfter: Date;
  source: 'DBMS_FLASHBACK' | 'V$DATABASE';
}

/**
 * The consistency point: the current SCN and the server's time in one statement, bracketed by
 * two local readings so the DB clock offset is known to half the round trip.
 */
export async function readConsistencyPoint(
  conn: OracleConnection,
  user: string,
): Promise<ConsistencyReading> {
  const attempts: [ConsistencyReading['source'], string][] = [
    ['DBMS_FLASHBACK', SQL_SCN_FLASHBACK],
    ['V$DATABASE', SQL_SCN_V_DATABASE],
  ];
  const failures: string[] = [];
  for (const [source, sql] of attempts) {
    const localBefore = new Date();
    let row: Row | undefined;
    try {
      row = (await queryRows(conn, sql))[0];
    } catch (err) {
      const codes = oracleCodes(err);
      // Missing EXECUTE / SELECT: try the other source. Anything else is a real failure.
      if (codes.some((c) => ['ORA-00942', 'ORA-00904', 'PLS-00201', 'ORA-06550', 'ORA-01031'].includes(c))) {
        failures.push(`${source}: ${codes.join(', ')}`);
        continue;
      }
      throw explainOracleError(err, { user });
    }
    const localAfter = new Date();
    const scn = str(row?.SCN);
    const dbTime = str(row?.DB_TIME);
    if (scn === undefined || !/^\d+$/.test(scn) || dbTime === undefined) {
      throw new ExpectedError('ORACLE_NO_SCN', `Oracle returned no usable SCN or time (${source}).`, {
        step: 'database',
        fix: 'Check the database (SELECT CURRENT_SCN FROM V$DATABASE) and report this with the run log.',
      });
    }
    return { scn, dbTime, localBefore, localAfter, source };
  }
  throw new ExpectedError(
    'ORACLE_NO_SCN_ACCESS',
    `${user} may read neither DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER nor V$DATABASE.CURRENT_SCN, so the consistency point cannot be taken (${failures.join('; ')}).`,
    {
      step: 'database',
      fix: `As a DBA: GRANT EXECUTE ON DBMS_FLASHBACK TO ${user}; (or GRANT SELECT ON V_$DATABASE TO ${user};). DATAPUMP_EXP_FULL_DATABASE usually includes one of them.`,
    },
  );
}
