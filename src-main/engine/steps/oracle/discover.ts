// For the UI's "Test connection" and "Discover schemas" buttons: quick, read-only calls.
import type { ServerInfo } from '../../../contract/manifest.js';
import type { OracleConfig, RunSecrets } from '../../../contract/profile.js';
import type { ConnectFactory } from './driver.js';
import { thinConnect } from './driver.js';
import { explainOracleError, oracleCodes } from './errors.js';
import {
  closeQuietly,
  num,
  openConnection,
  queryRows,
  readIdentity,
  readServerInfo,
  str,
} from './session.js';
import { SQL_SCHEMAS_ALL, SQL_SCHEMAS_DBA } from './sql.js';

export interface DiscoverOptions {
  connect?: ConnectFactory;
  /** Where passwordEnv is looked up when no password is given; default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Config fields these calls need: the UI may call them before the profile is complete. */
export type OracleLogin = Pick<OracleConfig, 'connectString' | 'user' | 'password' | 'passwordEnv'>;

export interface OracleSchemaCandidate {
  name: string;
  /** Objects the schema owns (as far as the login can see). */
  objects: number;
}

export interface OracleSchemaList {
  schemas: OracleSchemaCandidate[];
  /** Which views answered: DBA_* sees everything, ALL_* only what the login may see. */
  source: 'DBA_USERS' | 'ALL_USERS';
  note?: string;
}

export interface OracleConnectionTest {
  server: ServerInfo;
  sessionUser: string;
  message: string;
}

function asConfig(login: OracleLogin): OracleConfig {
  return { engine: 'oracle', schemas: [], ...login };
}

function withPassword(login: OracleLogin, secrets: RunSecrets, opts: DiscoverOptions): RunSecrets {
  if (
    secrets.databasePassword !== undefined ||
    login.password !== undefined ||
    login.passwordEnv === undefined
  )
    return secrets;
  const v = (opts.env ?? process.env)[login.passwordEnv];
  return v === undefined ? secrets : { ...secrets, databasePassword: v };
}

/** Users that own objects and are not Oracle-maintained: the candidates for the admin to tick. */
export async function listOracleSchemas(
  login: OracleLogin,
  secrets: RunSecrets,
  opts: DiscoverOptions = {},
): Promise<OracleSchemaList> {
  const conn = await openConnection(
    asConfig(login),
    withPassword(login, secrets, opts),
    opts.connect ?? thinConnect,
  );
  try {
    let source: OracleSchemaList['source'] = 'DBA_USERS';
    let rows;
    try {
      rows = await queryRows(conn, SQL_SCHEMAS_DBA);
    } catch (err) {
      // ORA-00942: the login cannot read the DBA views; list what it can see instead.
      if (!oracleCodes(err).includes('ORA-00942')) throw err;
      source = 'ALL_USERS';
      rows = await queryRows(conn, SQL_SCHEMAS_ALL);
    }
    const schemas: OracleSchemaCandidate[] = [];
    for (const r of rows) {
      const name = str(r.NAME);
      if (name !== undefined) schemas.push({ name, objects: num(r.OBJECTS) ?? 0 });
    }
    const result: OracleSchemaList = { schemas, source };
    if (source === 'ALL_USERS')
      result.note =
        'This login cannot read the DBA views, so the list shows only schemas whose objects it may see. ' +
        'Grant SELECT_CATALOG_ROLE (or DATAPUMP_EXP_FULL_DATABASE) to see every Octane schema.';
    return result;
  } catch (err) {
    throw explainOracleError(err, { user: login.user, connectString: login.connectString });
  } finally {
    await closeQuietly(conn);
  }
}

/** Logs in, reads who we are and the server version; throws a ExpectedError with the fix otherwise. */
export async function testOracleConnection(
  login: OracleLogin,
  secrets: RunSecrets,
  opts: DiscoverOptions = {},
): Promise<OracleConnectionTest> {
  const conn = await openConnection(
    asConfig(login),
    withPassword(login, secrets, opts),
    opts.connect ?? thinConnect,
  );
  try {
    const id = await readIdentity(conn);
    const server = await readServerInfo(conn, id.dbName);
    return {
      server,
      sessionUser: id.sessionUser,
      message: `Connected as ${id.sessionUser} to ${id.dbName ?? login.connectString} (Oracle ${server.version ?? 'version unknown'}${server.edition ? `, ${server.edition}` : ''}).`,
    };
  } catch (err) {
    throw explainOracleError(err, { user: login.user, connectString: login.connectString });
  } finally {
    await closeQuietly(conn);
  }
}
