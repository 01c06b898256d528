// Every SQL and PL/SQL text an Oracle restore sends. As in the backup, names travel as bind values
// only; where a statement needs a name as an identifier (DROP USER, COUNT(*) FROM owner.table),
// DBMS_ASSERT.ENQUOTE_NAME quotes it on the server, so a name can only fail, never become SQL.
import type { Binds } from '../driver.js';

/** Connected sessions per user (V$SESSION; needs SELECT on V_$SESSION, part of SELECT_CATALOG_ROLE). */
export function sqlSessionsOf(list: string): string {
  return `SELECT USERNAME, COUNT(*) AS SESSIONS FROM V$SESSION WHERE USERNAME IN (${list}) GROUP BY USERNAME`;
}

/** Free space for the import: free extents plus what autoextend data files may still grow. */
export const SQL_FREE_SPACE =
  'SELECT (SELECT NVL(SUM(BYTES), 0) FROM DBA_FREE_SPACE) + ' +
  "(SELECT NVL(SUM(GREATEST(MAXBYTES - BYTES, 0)), 0) FROM DBA_DATA_FILES WHERE AUTOEXTENSIBLE = 'YES') AS FREE_BYTES FROM DUAL";

/**
 * Appends one chunk (a BLOB bind of up to a few MiB) to a file in the DIRECTORY, in pieces of
 * 32767 bytes (UTL_FILE's limit); the first chunk creates the file ('wb'), the rest append ('ab').
 */
export const PLSQL_UPLOAD_CHUNK = `DECLARE
  fh UTL_FILE.FILE_TYPE;
  len INTEGER := DBMS_LOB.GETLENGTH(:data);
  pos INTEGER := 1;
  amt INTEGER;
  piece RAW(32767);
BEGIN
  fh := UTL_FILE.FOPEN(:dir, :file_name, CASE WHEN :append = 1 THEN 'ab' ELSE 'wb' END, 32767);
  WHILE pos <= len LOOP
    amt := LEAST(32767, len - pos + 1);
    DBMS_LOB.READ(:data, amt, pos, piece);
    UTL_FILE.PUT_RAW(fh, piece, TRUE);
    pos := pos + amt;
  END LOOP;
  UTL_FILE.FCLOSE(fh);
EXCEPTION WHEN OTHERS THEN
  IF UTL_FILE.IS_OPEN(fh) THEN UTL_FILE.FCLOSE(fh); END IF;
  RAISE;
END;`;

/** DROP USER "<name>" CASCADE, the name quoted by the server. */
export const PLSQL_DROP_USER = `BEGIN
  EXECUTE IMMEDIATE 'DROP USER ' || DBMS_ASSERT.ENQUOTE_NAME(:username, FALSE) || ' CASCADE';
END;`;

/** A scratch schema carries the live user's password hash: it is locked as soon as it exists. */
export const PLSQL_LOCK_USER = `BEGIN
  EXECUTE IMMEDIATE 'ALTER USER ' || DBMS_ASSERT.ENQUOTE_NAME(:username, FALSE) || ' ACCOUNT LOCK';
END;`;

/** What the admin would type for the same thing (shown in the plan and in RESTORE.md). */
export const dropUserText = (name: string): string => `DROP USER "${name}" CASCADE;`;

export function sqlInvalidObjects(list: string): string {
  return (
    "SELECT OWNER, OBJECT_TYPE, OBJECT_NAME FROM DBA_OBJECTS WHERE STATUS = 'INVALID' " +
    `AND OWNER IN (${list}) ORDER BY OWNER, OBJECT_TYPE, OBJECT_NAME`
  );
}

export function sqlObjectTotals(list: string): string {
  return `SELECT OWNER, COUNT(*) AS OBJECTS FROM DBA_OBJECTS WHERE OWNER IN (${list}) GROUP BY OWNER`;
}

/** Tables and their real row counts (COUNT(*), not optimizer statistics) of one schema. */
export const PLSQL_ROW_TOTALS = `DECLARE
  n NUMBER;
  t NUMBER := 0;
  r NUMBER := 0;
  skipped NUMBER := 0;
BEGIN
  FOR x IN (SELECT OWNER, TABLE_NAME FROM DBA_TABLES WHERE OWNER = :owner
            AND NESTED = 'NO' AND TEMPORARY = 'N' AND SECONDARY = 'N' AND DROPPED = 'NO') LOOP
    BEGIN
      EXECUTE IMMEDIATE 'SELECT COUNT(*) FROM ' || DBMS_ASSERT.ENQUOTE_NAME(x.OWNER, FALSE) || '.' ||
        DBMS_ASSERT.ENQUOTE_NAME(x.TABLE_NAME, FALSE) INTO n;
      t := t + 1;
      r := r + n;
    EXCEPTION WHEN OTHERS THEN
      skipped := skipped + 1;
    END;
  END LOOP;
  :tables := t;
  :row_total := r;
  :skipped := skipped;
END;`;

/**
 * Defines and starts the schema-mode import of the set's dump pieces as one round trip: one
 * ADD_FILE per piece, the log, the schema list, and (rehearsal) one REMAP_SCHEMA per schema. On a
 * setup failure Data Pump's own lines are added to the message and the half-made job is dropped.
 */
export function importJobBlock(
  dumpBinds: readonly string[],
  schemaBinds: readonly string[],
  remaps: readonly [string, string][],
): string {
  const files = dumpBinds
    .map(
      (b) =>
        `    DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :${b}, directory => :dir, filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_DUMP_FILE);`,
    )
    .join('\n');
  const literals = schemaBinds
    .map((b) => `DBMS_ASSERT.ENQUOTE_LITERAL(REPLACE(:${b}, '''', ''''''))`)
    .join(" || ',' || ");
  const remapLines = remaps
    .map(
      ([from, to]) =>
        `    DBMS_DATAPUMP.METADATA_REMAP(handle => h, name => 'REMAP_SCHEMA', old_value => :${from}, value => :${to});`,
    )
    .join('\n');
  return `DECLARE
  h NUMBER;
  schema_list VARCHAR2(32767);
BEGIN
  h := DBMS_DATAPUMP.OPEN(operation => 'IMPORT', job_mode => 'SCHEMA', job_name => :job_name);
  BEGIN
${files}
    DBMS_DATAPUMP.ADD_FILE(handle => h, filename => :log_file, directory => :dir,
                           filetype => DBMS_DATAPUMP.KU$_FILE_TYPE_LOG_FILE);
    schema_list := ${literals};
    DBMS_DATAPUMP.METADATA_FILTER(handle => h, name => 'SCHEMA_LIST', value => schema_list);
${remapLines ? `${remapLines}\n` : ''}    DBMS_DATAPUMP.START_JOB(handle => h);
  EXCEPTION WHEN OTHERS THEN
    DECLARE
      st VARCHAR2(30);
      sts ku$_Status;
      msg VARCHAR2(32767) := SQLERRM || CHR(10);
      i NUMBER;
    BEGIN
      BEGIN
        DBMS_DATAPUMP.GET_STATUS(h, DBMS_DATAPUMP.KU$_STATUS_JOB_ERROR, 0, st, sts);
        IF sts.error IS NOT NULL THEN
          i := sts.error.FIRST;
          WHILE i IS NOT NULL LOOP
            msg := SUBSTRB(msg || sts.error(i).LogText || CHR(10), 1, 30000);
            i := sts.error.NEXT(i);
          END LOOP;
        END IF;
      EXCEPTION WHEN OTHERS THEN NULL;
      END;
      BEGIN DBMS_DATAPUMP.STOP_JOB(h, 1, 0); EXCEPTION WHEN OTHERS THEN NULL; END;
      RAISE_APPLICATION_ERROR(-20000, SUBSTRB(msg, 1, 2000));
    END;
  END;
  :handle := h;
END;`;
}

/** Binds of the import block: dump pieces d0.., schemas s0.., remap pairs f0/t0... */
export function importBinds(o: {
  job: string;
  dir: string;
  log: string;
  dumps: string[];
  schemas: string[];
  remap?: Map<string, string>;
}): { sql: string; binds: Binds } {
  const binds: Binds = { job_name: o.job, dir: o.dir, log_file: o.log };
  o.dumps.forEach((d, i) => (binds[`d${i}`] = d));
  o.schemas.forEach((s, i) => (binds[`s${i}`] = s));
  const pairs: [string, string][] = [];
  [...(o.remap ?? new Map<string, string>())].forEach(([from, to], i) => {
    binds[`f${i}`] = from;
    binds[`t${i}`] = to;
    pairs.push([`f${i}`, `t${i}`]);
  });
  const sql = importJobBlock(
    o.dumps.map((_, i) => `d${i}`),
    o.schemas.map((_, i) => `s${i}`),
    pairs,
  );
  return { sql, binds };
}
