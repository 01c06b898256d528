// Oracle checks before a backup: can we log in, may we export these schemas, can the
// database server write the DIRECTORY, how big is it, and will undo last long enough.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreflightCheck } from '../../../contract/preflight.js';
import type { PreflightContext } from '../../step.js';
import { ExpectedError } from '../../errors.js';
import type { ConnectFactory, OracleConnection } from './driver.js';
import { explainOracleError, oracleCodes } from './errors.js';
import { formatBytes, formatDuration } from '../../../contract/format.js';
import { directoryOf, parseSize, schemasOf } from './names.js';
import { oracleConfigOf } from './oracle-step.js';
import {
  closeQuietly,
  num,
  openConnection,
  queryRows,
  readConsistencyPoint,
  readIdentity,
  readServerInfo,
  str,
} from './session.js';
import {
  bindList,
  PLSQL_REMOVE_FILE,
  SQL_DIRECTORY,
  SQL_DIRECTORY_GRANTS,
  SQL_QUOTA,
  SQL_SESSION_PRIVS,
  SQL_SESSION_ROLES,
  SQL_UNDO_RETENTION,
  sqlSchemasExist,
  sqlSegmentBytes,
} from './sql.js';

/** Assumed Data Pump export speed for the undo estimate; deliberately modest. */
export const ASSUMED_EXPORT_BYTES_PER_SECOND = 30 * 1024 * 1024;

/** Writes a small file with UTL_FILE; its size is read back as a BFILE (proves READ too). */
const PLSQL_WRITE_PROBE = `DECLARE
  fh UTL_FILE.FILE_TYPE;
BEGIN
  fh := UTL_FILE.FOPEN(:dir, :file_name, 'w');
  UTL_FILE.PUT_LINE(fh, 'octane-backup-manager write test');
  UTL_FILE.FCLOSE(fh);
  :bytes := DBMS_LOB.GETLENGTH(BFILENAME(:dir, :file_name));
END;`;

type Check = Omit<PreflightCheck, 'component'>;

export async function oraclePreflight(
  ctx: PreflightContext,
  connect: ConnectFactory,
): Promise<PreflightCheck[]> {
  const cfg = oracleConfigOf(ctx);
  const dir = directoryOf(cfg);
  const schemas = schemasOf(cfg);
  const checks: Check[] = [];
  let conn: OracleConnection;
  try {
    conn = await openConnection(cfg, ctx.secrets, connect);
  } catch (err) {
    return [{ ...asFailed('database:oracle-connection', 'Oracle connection', err), component: 'database' }];
  }
  try {
    const id = await readIdentity(conn);
    const server = await readServerInfo(conn, id.dbName);
    checks.push({
      id: 'database:oracle-connection',
      title: 'Oracle connection',
      status: 'ok',
      message: `Logged in as ${id.sessionUser} to ${id.dbName ?? cfg.connectString} (Oracle ${server.version ?? 'version unknown'}).`,
    });
    const run = async (checkId: string, title: string, fn: () => Promise<Check>): Promise<void> => {
      try {
        checks.push(await fn());
      } catch (err) {
        checks.push(asFailed(checkId, title, err, { user: cfg.user, directory: dir, schemas }));
      }
    };
    await run('database:oracle-schemas', 'Oracle schemas', () => schemaCheck(conn, schemas));
    await run('database:oracle-privileges', 'Data Pump privileges', () =>
      privilegeCheck(conn, id.sessionUser, schemas),
    );
    await run('database:oracle-scn', 'Consistency point (SCN)', async () => {
      const cp = await readConsistencyPoint(conn, cfg.user);
      return {
        id: 'database:oracle-scn',
        title: 'Consistency point (SCN)',
        status: 'ok',
        message: `The current SCN can be read (${cp.source}).`,
      };
    });
    await run('database:oracle-quota', 'Quota for the Data Pump job table', () =>
      quotaCheck(conn, id.sessionUser),
    );
    await run('database:oracle-directory', `DIRECTORY ${dir}`, () =>
      directoryCheck(conn, dir, id.sessionUser, cfg.copyFrom),
    );
    let bytes: number | undefined;
    await run('database:oracle-size', 'Size of the export', async () => {
      const r = await sizeCheck(conn, schemas, id.sessionUser, cfg.fileSize);
      bytes = r.bytes;
      return r.check;
    });
    await run('database:oracle-undo', 'Undo retention', () => undoCheck(conn, bytes));
  } finally {
    await closeQuietly(conn);
  }
  return checks.map((c) => ({ ...c, component: 'database' }));
}

function asFailed(
  id: string,
  title: string,
  err: unknown,
  c: Parameters<typeof explainOracleError>[1] = {},
): Check {
  const e = err instanceof ExpectedError ? err : explainOracleError(err, c);
  const check: Check = { id, title, status: 'failed', message: e.message };
  if (e.fix !== undefined) check.fix = e.fix;
  return check;
}

async function schemaCheck(conn: OracleConnection, schemas: string[]): Promise<Check> {
  const list = bindList(schemas);
  const found = new Set(
    (await queryRows(conn, sqlSchemasExist(list.sql), list.binds)).map((r) => str(r.USERNAME)),
  );
  const missing = schemas.filter((s) => !found.has(s));
  const base = { id: 'database:oracle-schemas', title: 'Oracle schemas' };
  if (missing.length === 0)
    return {
      ...base,
      status: 'ok',
      message: `All ${schemas.length} schema(s) exist: ${schemas.join(', ')}.`,
    };
  return {
    ...base,
    status: 'failed',
    message: `Oracle does not know ${missing.join(', ')} (or this login may not see them).`,
    fix: 'Use "Discover schemas" and tick the Octane site and space schemas from the list the database gives.',
  };
}

async function privilegeCheck(
  conn: OracleConnection,
  sessionUser: string,
  schemas: string[],
): Promise<Check> {
  const base = { id: 'database:oracle-privileges', title: 'Data Pump privileges' };
  const roles = new Set((await queryRows(conn, SQL_SESSION_ROLES)).map((r) => str(r.ROLE)));
  const privs = new Set((await queryRows(conn, SQL_SESSION_PRIVS)).map((r) => str(r.PRIVILEGE)));
  const others = schemas.filter((s) => s !== sessionUser);
  const problems: string[] = [];
  const fixes: string[] = [];
  if (others.length > 0 && !roles.has('DATAPUMP_EXP_FULL_DATABASE') && !roles.has('EXP_FULL_DATABASE')) {
    problems.push(
      `exporting ${others.join(', ')} (not the login's own schema) needs the DATAPUMP_EXP_FULL_DATABASE role, which is not active`,
    );
    fixes.push(`GRANT DATAPUMP_EXP_FULL_DATABASE TO ${sessionUser};`);
  }
  if (!privs.has('CREATE TABLE')) {
    problems.push('Data Pump needs CREATE TABLE for its job (master) table');
    fixes.push(`GRANT CREATE TABLE TO ${sessionUser};`);
  }
  if (problems.length === 0)
    return {
      ...base,
      status: 'ok',
      message:
        others.length > 0
          ? 'DATAPUMP_EXP_FULL_DATABASE is active.'
          : 'The login exports only its own schema.',
    };
  return {
    ...base,
    status: 'failed',
    message: `${sessionUser}: ${problems.join('; ')}.`,
    fix: `As a DBA: ${fixes.join(' ')}`,
  };
}

async function quotaCheck(conn: OracleConnection, sessionUser: string): Promise<Check> {
  const base = { id: 'database:oracle-quota', title: 'Quota for the Data Pump job table' };
  const privs = new Set((await queryRows(conn, SQL_SESSION_PRIVS)).map((r) => str(r.PRIVILEGE)));
  if (privs.has('UNLIMITED TABLESPACE'))
    return { ...base, status: 'ok', message: 'The login has UNLIMITED TABLESPACE.' };
  const row = (await queryRows(conn, SQL_QUOTA))[0] ?? {};
  const ts = str(row.TS) ?? '<default tablespace>';
  const max = num(row.MAX_BYTES);
  const used = num(row.USED) ?? 0;
  // The master table is small (a few MB for Octane-sized schemas); ask for 50 MB of headroom.
  if (max === -1 || (max !== undefined && max - used >= 50 * 1024 * 1024))
    return {
      ...base,
      status: 'ok',
      message: `Quota on ${ts}: ${max === -1 ? 'unlimited' : formatBytes(max)}.`,
    };
  return {
    ...base,
    status: 'failed',
    message: `${sessionUser} has ${max === undefined ? 'no quota' : `only ${formatBytes(Math.max(0, max - used))} left`} on its default tablespace ${ts}, where Data Pump creates its job table (ORA-01950 otherwise).`,
    fix: `As a DBA: ALTER USER ${sessionUser} QUOTA 500M ON ${ts};`,
  };
}

async function directoryCheck(
  conn: OracleConnection,
  dir: string,
  sessionUser: string,
  copyFrom: string | undefined,
): Promise<Check> {
  const base = { id: 'database:oracle-directory', title: `DIRECTORY ${dir}` };
  const path = str((await queryRows(conn, SQL_DIRECTORY, { dir }))[0]?.DIRECTORY_PATH);
  if (path === undefined) {
    return {
      ...base,
      status: 'failed',
      message: `The DIRECTORY object ${dir} does not exist or ${sessionUser} has no access to it.`,
      fix: `As a DBA: CREATE DIRECTORY ${dir} AS '<folder on the database server>'; GRANT READ, WRITE ON DIRECTORY ${dir} TO ${sessionUser};`,
    };
  }
  const grants = new Set((await queryRows(conn, SQL_DIRECTORY_GRANTS, { dir })).map((r) => str(r.PRIVILEGE)));
  const probe = `octane-backup-probe-${randomBytes(4).toString('hex')}.txt`;
  try {
    await conn.execute(PLSQL_WRITE_PROBE, { dir, file_name: probe, bytes: { out: 'number' } });
  } catch (err) {
    if (oracleCodes(err).some((c) => c === 'PLS-00201' || c === 'ORA-06550')) {
      const granted = grants.has('READ') && grants.has('WRITE');
      return {
        ...base,
        status: granted ? 'ok' : 'warning',
        message: `${dir} is ${path}. ${granted ? 'READ and WRITE are granted' : 'READ and WRITE grants were not found'}; writing could not be tested (no EXECUTE on UTL_FILE).`,
        ...(granted ? {} : { fix: `As a DBA: GRANT READ, WRITE ON DIRECTORY ${dir} TO ${sessionUser};` }),
      };
    }
    const e = explainOracleError(err, { user: sessionUser, directory: dir });
    return { ...base, status: 'failed', message: `${dir} is ${path}: ${e.message}`, fix: e.fix ?? '' };
  }
  let copyNote = '';
  let status: PreflightCheck['status'] = 'ok';
  let fix: string | undefined;
  if (copyFrom !== undefined) {
    const seen = await stat(join(copyFrom, probe)).then(
      () => true,
      () => false,
    );
    copyNote = seen
      ? ` copyFrom (${copyFrom}) shows the same folder.`
      : ` copyFrom (${copyFrom}) does NOT show that folder here; the backup will read the files through the database connection (slower).`;
    if (!seen) {
      status = 'warning';
      fix = `Set copyFrom to the folder behind ${path} as this machine sees it (a share or mount), or remove copyFrom.`;
    }
  }
  await conn.execute(PLSQL_REMOVE_FILE, { dir, file_name: probe }).catch(() => undefined);
  const check: Check = {
    ...base,
    status,
    message: `${dir} is ${path}; the database server can write and read files there.${copyNote}`,
  };
  if (fix !== undefined) check.fix = fix;
  return check;
}

async function sizeCheck(
  conn: OracleConnection,
  schemas: string[],
  sessionUser: string,
  fileSize: string | undefined,
): Promise<{ bytes: number | undefined; check: Check }> {
  const base = { id: 'database:oracle-size', title: 'Size of the export' };
  const list = bindList(schemas);
  let bytes: number | undefined;
  try {
    bytes = num((await queryRows(conn, sqlSegmentBytes('DBA_SEGMENTS', list.sql), list.binds))[0]?.BYTES);
  } catch (err) {
    if (!(schemas.length === 1 && schemas[0] === sessionUser)) {
      return {
        bytes,
        check: {
          ...base,
          status: 'warning',
          message: `The size could not be estimated (${oracleCodes(err).join(', ') || 'no access to DBA_SEGMENTS'}).`,
          fix: 'Grant SELECT_CATALOG_ROLE to the login for an estimate; the backup itself does not need it.',
        },
      };
    }
    bytes = num((await queryRows(conn, sqlSegmentBytes('USER_SEGMENTS', '')))[0]?.BYTES);
  }
  if (bytes === undefined)
    return { bytes, check: { ...base, status: 'warning', message: 'The size could not be estimated.' } };
  const piece = parseSize(fileSize);
  if (piece !== undefined && piece > 0 && bytes / piece > 99) {
    return {
      bytes,
      check: {
        ...base,
        status: 'warning',
        message: `About ${formatBytes(bytes)} in segments: more than 99 pieces of ${fileSize}.`,
        fix: 'Raise fileSize so that the dump needs fewer than 100 pieces.',
      },
    };
  }
  return {
    bytes,
    check: {
      ...base,
      status: 'ok',
      message: `About ${formatBytes(bytes)} in segments (the dump is usually smaller: indexes are not exported as data).`,
    },
  };
}

async function undoCheck(conn: OracleConnection, bytes: number | undefined): Promise<Check> {
  const base = { id: 'database:oracle-undo', title: 'Undo retention' };
  let undo: number | undefined;
  try {
    undo = num((await queryRows(conn, SQL_UNDO_RETENTION))[0]?.VALUE);
  } catch {
    undo = undefined;
  }
  if (undo === undefined)
    return {
      ...base,
      status: 'warning',
      message: 'undo_retention could not be read (no access to V$PARAMETER).',
      fix: 'Ask the DBA to confirm undo_retention is longer than the export takes.',
    };
  if (bytes === undefined)
    return { ...base, status: 'ok', message: `undo_retention is ${formatDuration(undo)}.` };
  const estimate = bytes / ASSUMED_EXPORT_BYTES_PER_SECOND;
  if (undo < estimate * 1.5) {
    return {
      ...base,
      status: 'warning',
      message: `undo_retention is ${formatDuration(undo)}, but the export may take about ${formatDuration(estimate)} (at ${formatBytes(ASSUMED_EXPORT_BYTES_PER_SECOND)}/s): it could fail with ORA-01555.`,
      fix: `Ask the DBA to raise it, for example ALTER SYSTEM SET UNDO_RETENTION = ${Math.ceil((estimate * 2) / 900) * 900}; and to let the undo tablespace grow accordingly.`,
    };
  }
  return {
    ...base,
    status: 'ok',
    message: `undo_retention is ${formatDuration(undo)}; the export should take about ${formatDuration(estimate)}.`,
  };
}
