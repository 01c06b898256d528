// Every SQL and PL/SQL text the Oracle step sends, in one place so the manifest's
// statements and the tests read the same words. Values (schema names, file names, the SCN)
// always travel as bind variables: nothing the admin typed is ever spliced into SQL text.
import type { Binds } from './driver.js';

/** DB server time as text with its offset: SYSTIMESTAMP arrives in JS without its zone. */
const DB_TIME = `TO_CHAR(SYSTIMESTAMP, 'YYYY-MM-DD"T"HH24:MI:SS.FF3TZH:TZM')`;

export const SQL_IDENTITY =
  `SELECT SYS_CONTEXT('USERENV', 'SESSION_USER') AS SESSION_USER, SYS_CONTEXT('USERENV', 'DB_NAME') AS DB_NAME, ` +
  `${DB_TIME} AS DB_TIME FROM DUAL`;

/** 18c and later; needs SELECT on V_$INSTANCE (part of SELECT_CATALOG_ROLE). */
export const SQL_VERSION_INSTANCE = 'SELECT VERSION_FULL AS VERSION, EDITION, INSTANCE_NAME FROM V$INSTANCE';
/** Readable by every login, every release. */
export const SQL_VERSION_PRODUCT =
  "SELECT PRODUCT, VERSION FROM PRODUCT_COMPONENT_VERSION WHERE PRODUCT LIKE 'Oracle%Database%'";

// The SCN is fetched as text: SCNs may pass 2^53, which a JS number cannot hold exactly.
export const SQL_SCN_FLASHBACK = `SELECT TO_CHAR(DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER) AS SCN, ${DB_TIME} AS DB_TIME FROM DUAL`;
export const SQL_SCN_V_DATABASE = `SELECT TO_CHAR(CURRENT_SCN) AS SCN, ${DB_TIME} AS DB_TIME FROM V$DATABASE`;

/** Candidate Octane schemas: users that own objects and are not Oracle's own. */
export const SQL_SCHEMAS_DBA =
  'SELECT u.USERNAME AS NAME, COUNT(*) AS OBJECTS FROM DBA_USERS u JOIN DBA_OBJECTS o ON o.OWNER = u.USERNAME ' +
  "WHERE u.ORACLE_MAINTAINED = 'N' GROUP BY u.USERNAME ORDER BY u.USERNAME";
/** The same from what the login can see, for logins without the DBA views. */
export const SQL_SCHEMAS_ALL =
  'SELECT u.USERNAME AS NAME, COUNT(*) AS OBJECTS FROM ALL_USERS u JOIN ALL_OBJECTS o ON o.OWNER = u.USERNAME ' +
  "WHERE u.ORACLE_MAINTAINED = 'N' GROUP BY u.USERNAME ORDER BY u.USERNAME";

export const SQL_SESSION_ROLES = 'SELECT ROLE FROM SESSION_ROLES';
export const SQL_SESSION_PRIVS = 'SELECT PRIVILEGE FROM SESSION_PRIVS';
export const SQL_DIRECTORY = 'SELECT DIRECTORY_PATH FROM ALL_DIRECTORIES WHERE DIRECTORY_NAME = :dir';
export const SQL_DIRECTORY_GRANTS =
  'SELECT DISTINCT PRIVILEGE FROM ALL_TAB_PRIVS WHERE TABLE_NAME = :dir ' +
  "AND (GRANTEE = SYS_CONTEXT('USERENV', 'SESSION_USER') OR GRANTEE = 'PUBLIC' OR GRANTEE IN (SELECT ROLE FROM SESSION_ROLES))";
export const SQL_UNDO_RETENTION = "SELECT VALUE FROM V$PARAMETER WHERE NAME = 'undo_retention'";
export const SQL_QUOTA =
  'SELECT u.DEFAULT_TABLESPACE AS TS, q.MAX_BYTES AS MAX_BYTES, q.BYTES AS USED FROM USER_USERS u ' +
  'LEFT JOIN USER_TS_QUOTAS q ON q.TABLESPACE_NAME = u.DEFAULT_TABLESPACE';

/** ":s0, :s1, ..." with the matching binds: an IN list built from bind values only. */
export function bindList(values: readonly string[], prefix = 's'): { sql: string; binds: Binds } {
  const binds: Binds = {};
  const names = values.map((v, i) => {
    binds[`${prefix}${i}`] = v;
    return `:${prefix}${i}`;
  });
  return { sql: names.join(', '), binds };
}

export function sqlSchemasExist(list: string): string {
  return `SELECT USERNAME FROM ALL_USERS WHERE USERNAME IN (${list})`;
}

export function sqlSegmentBytes(view: 'DBA_SEGMENTS' | 'USER_SEGMENTS', list: string): string {
  return view === 'DBA_SEGMENTS'
    ? `SELECT NVL(SUM(BYTES), 0) AS BYTES FROM DBA_SEGMENTS WHERE OWNER IN (${list})`
    : 'SELECT NVL(SUM(BYTES), 0) AS BYTES FROM USER_SEGMENTS';
}

// Collects the text of a ku$_LogEntry into a VARCHAR2 (Data Pump's own error/progress lines);
// SUBSTRB keeps it under the 32767-byte VARCHAR2 limit even with multi-byte messages.
const LOG_LINES = (entry: string, target: string): string => `
    IF ${entry} IS NOT NULL THEN
      i := ${entry}.FIRST;
      WHILE i IS NOT NULL LOOP
        ${target} := SUBSTRB(${target} || ${entry}(i).LogText || CHR(10), 1, 30000);
        i := ${entry}.NEXT(i);
      END LOOP;
    END IF;`;

/**
 * Defines and starts the schema-mode export as one round trip. Each schema name is turned
 * into a quoted literal by the server (REPLACE doubles quotes, ENQUOTE_LITERAL checks them),
 * so a name is data and can never become SQL. On a setup failure the block adds Data Pump's
 * own error lines to the message (ORA-39001 alone says little) and drops the half-made job.
 */
export function exportJobBlock(schemaBindNames: readonly string[]): string {
  const literals = schemaBindNames
    .map((b) => `DBMS_ASSERT.ENQUOTE_LITERAL(REPLACE(:${b}, '''', ''''''))`)
    .join(" || ',' || ");
  return `DECLARE
  h NUMBER;
  schema_list VARCHAR2(32767);
BEGIN
  h := DBMS_DATAPUMP.OPEN(operation => 'EXPORT', job_mode => 'SCHEMA', job_name => :job_name);
  BEGIN
    DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :dump_file, directory => :dir, filesize => :file_size,
                           filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_DUMP_FILE);
    DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :log_file, directory => :dir,
                           filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE);
    schema_list := ${literals};
    DBMS_DATAPUMP.METADATA_FILTER(handle => h, name => 'SCHEMA_LIST', value => schema_list);
    DBMS_DATAPUMP.SET_PARAMETER(handle => h, name => 'FLASHBACK_SCN', value => TO_NUMBER(:scn));
    DBMS_DATAPUMP.START_JOB(handle => h);
  EXCEPTION WHEN OTHERS THEN
    DECLARE
      st VARCHAR2(30);
      sts ku$_Status;
      msg VARCHAR2(32767) := SQLERRM || CHR(10);
      i NUMBER;
    BEGIN
      BEGIN
        DBMS_DATAPUMP.GET_STATUS(h, DBMS_DATAPUMP.KU$_STATUS_JOB_ERROR, 0, st, sts);${LOG_LINES('sts.error', 'msg')}
      EXCEPTION WHEN OTHERS THEN NULL;
      END;
      BEGIN DBMS_DATAPUMP.STOP_JOB(h, 1, 0); EXCEPTION WHEN OTHERS THEN NULL; END;
      RAISE_APPLICATION_ERROR(-20000, SUBSTRB(msg, 1, 2000));
    END;
  END;
  :handle := h;
END;`;
}

/** One look at the job: state, percent done, bytes, and any new error / progress lines. */
export const PLSQL_JOB_STATUS = `DECLARE
  st VARCHAR2(30);
  sts ku$_Status;
  errs VARCHAR2(32767);
  wip VARCHAR2(32767);
  i NUMBER;
BEGIN
  DBMS_DATAPUMP.GET_STATUS(:handle,
    DBMS_DATAPUMP.KU$_STATUS_JOB_ERROR + DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS + DBMS_DATAPUMP.KU$_STATUS_WIP,
    0, st, sts);
  :state := st;
  IF BITAND(sts.mask, DBMS_DATAPUMP.KU$_STATUS_JOB_STATUS) != 0 THEN
    :percent_done := sts.job_status.percent_done;
    :bytes_done := sts.job_status.bytes_processed;
    :bytes_total := sts.job_status.total_bytes;
    :error_count := sts.job_status.error_count;
    :state := NVL(sts.job_status.state, st);
  END IF;
  IF BITAND(sts.mask, DBMS_DATAPUMP.KU$_STATUS_JOB_ERROR) != 0 THEN${LOG_LINES('sts.error', 'errs')}
  END IF;
  IF BITAND(sts.mask, DBMS_DATAPUMP.KU$_STATUS_WIP) != 0 THEN${LOG_LINES('sts.wip', 'wip')}
  END IF;
  :errors := errs;
  :wip := wip;
END;`;

export const PLSQL_DETACH = 'BEGIN DBMS_DATAPUMP.DETACH(handle => :handle); END;';
export const PLSQL_STOP_JOB =
  'BEGIN DBMS_DATAPUMP.STOP_JOB(handle => :handle, immediate => 1, keep_master => 0); END;';
export const PLSQL_REMOVE_FILE = 'BEGIN UTL_FILE.FREMOVE(location => :dir, filename => :file_name); END;';

/**
 * Which dump pieces exist, with their sizes, as "name|bytes" lines. With %U in the pattern
 * Data Pump numbers the pieces 01, 02, ... contiguously, so the first gap ends the list.
 */
export const PLSQL_LIST_FILES = `DECLARE
  f VARCHAR2(4000);
  b BFILE;
  acc VARCHAR2(32767);
BEGIN
  FOR n IN 1 .. 99 LOOP
    f := REPLACE(:pattern, '%U', LPAD(TO_CHAR(n), 2, '0'));
    b := BFILENAME(:dir, f);
    EXIT WHEN DBMS_LOB.FILEEXISTS(b) = 0;
    acc := acc || f || '|' || TO_CHAR(DBMS_LOB.GETLENGTH(b)) || CHR(10);
    EXIT WHEN INSTR(:pattern, '%U') = 0;
  END LOOP;
  :files := acc;
END;`;

/** A server-side file as a BFILE (read in chunks through this connection) and its length. */
export const SQL_BFILE =
  'SELECT BF, DBMS_LOB.GETLENGTH(BF) AS LEN FROM (SELECT BFILENAME(:dir, :file_name) AS BF FROM DUAL)';

/** Preflight: prove the database's OS account can write (and we can read) in the directory. */
export const PLSQL_PROBE_DIRECTORY = `DECLARE
  fh UTL_FILE.FILE_TYPE;
BEGIN
  fh := UTL_FILE.FOPEN(:dir, :file_name, 'w');
  UTL_FILE.PUT_LINE(fh, 'octane-backup-manager write test');
  UTL_FILE.FCLOSE(fh);
  :bytes := DBMS_LOB.GETLENGTH(BFILENAME(:dir, :file_name));
  UTL_FILE.FREMOVE(:dir, :file_name);
END;`;

/** A PL/SQL text with its bind values, for the manifest (the step binds no secrets). */
export function describeStatement(sql: string, binds: Binds): string {
  const shown: string[] = [];
  for (const [k, v] of Object.entries(binds)) {
    if (v === null) shown.push(`:${k} = NULL`);
    else if (typeof v === 'number') shown.push(`:${k} = ${v}`);
    else if (typeof v === 'string') shown.push(`:${k} = '${v.replace(/'/g, "''")}'`);
    else if ('blob' in v) shown.push(`:${k} = <${v.blob.length} bytes>`);
  }
  return shown.length > 0 ? `${sql}\n-- binds: ${shown.join(', ')}` : sql;
}
