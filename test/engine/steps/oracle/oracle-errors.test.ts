import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCN, FakeOracleServer, jobStatus, SQL } from '../../../support/oracle/healthy-server.js';
import { oraError } from '../../../support/oracle/oracle-stand-in.js';
import { runOracleBackup, TEST_PASSWORD } from '../../../support/oracle/run-oracle.js';
import { tempDir } from '../../../support/temp.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-oracle-');
});
afterEach(async () => tmp.cleanup());

// How Data Pump's setup errors reach the client: the step's block re-raises them as ORA-20000
// with Data Pump's own lines appended, followed by ORA-06512 line references.
const setupError = (...lines: string[]) => oraError(`ORA-20000: ${lines.join('\n')}\nORA-06512: at line 31`);

interface Case {
  name: string;
  script: (s: FakeOracleServer) => void;
  code: string;
  says: RegExp[];
  fix: RegExp;
}

const CASES: Case[] = [
  {
    name: 'ORA-01555 during the export: undo kept shorter than the export ran',
    script: (s) =>
      s.db.on(
        SQL.status,
        jobStatus('EXECUTING', 20),
        jobStatus('COMPLETED', 100, {
          errors: [
            'ORA-31693: Table data object "OCTANE_SITE"."RUN_HISTORY" failed to load/unload and is being skipped due to error:',
            'ORA-02354: error in exporting/importing data',
            'ORA-01555: snapshot too old: rollback segment number 9 with name "_SYSSMU9_1$" too small',
          ],
        }),
      ),
    code: 'ORACLE_UNDO_TOO_SMALL',
    says: [/undo_retention/, /15 min/, new RegExp(`SCN ${DEFAULT_SCN}`), /export ran \d+ s/],
    fix: /ALTER SYSTEM SET UNDO_RETENTION = \d+/,
  },
  {
    name: 'ORA-01466: DDL while the export ran',
    script: (s) =>
      s.db.on(
        SQL.status,
        jobStatus('COMPLETED', 100, {
          errors: [
            'ORA-31693: Table data object "SPACE_1001"."T" failed',
            'ORA-01466: unable to read data - table definition has changed',
          ],
        }),
      ),
    code: 'ORACLE_DDL_DURING_EXPORT',
    says: [/changed/, /ORA-01466/],
    fix: /no Octane upgrade/,
  },
  {
    name: 'ORA-01950: no quota for the job table',
    script: (s) =>
      s.db.on(SQL.setup, {
        error: oraError("ORA-31626: job does not exist\nORA-01950: no privileges on tablespace 'USERS'"),
      }),
    code: 'ORACLE_NO_QUOTA',
    says: [/job table/, /ORA-01950/],
    fix: /ALTER USER backup QUOTA/,
  },
  {
    name: 'ORA-31631: other schemas without DATAPUMP_EXP_FULL_DATABASE',
    script: (s) => s.db.on(SQL.setup, { error: setupError('ORA-31631: privileges are required') }),
    code: 'ORACLE_PRIVILEGES',
    says: [/OCTANE_SITE, SPACE_1001/, /DATAPUMP_EXP_FULL_DATABASE/],
    fix: /GRANT DATAPUMP_EXP_FULL_DATABASE TO backup/,
  },
  {
    name: 'ORA-39181: partial data because of fine-grained access control',
    script: (s) =>
      s.db.on(
        SQL.status,
        jobStatus('COMPLETED', 100, {
          errors: [
            'ORA-39181: Only partial table data may be exported due to fine grain access control on "SPACE_1001"."X"',
          ],
        }),
      ),
    code: 'ORACLE_PRIVILEGES',
    says: [/DATAPUMP_EXP_FULL_DATABASE/],
    fix: /GRANT DATAPUMP_EXP_FULL_DATABASE/,
  },
  {
    name: 'ORA-39002 / ORA-39070 / ORA-29283: the directory is not writable',
    script: (s) =>
      s.db.on(SQL.setup, {
        error: setupError(
          'ORA-39002: invalid operation',
          'ORA-39070: Unable to open the log file.',
          'ORA-29283: invalid file operation: cannot open file [29434]',
        ),
      }),
    code: 'ORACLE_DIRECTORY_NOT_WRITABLE',
    says: [/DATA_PUMP_DIR/, /operating-system account/],
    fix: /ALL_DIRECTORIES/,
  },
  {
    name: 'ORA-39087: the DIRECTORY does not exist',
    script: (s) =>
      s.db.on(SQL.setup, {
        error: setupError(
          'ORA-39002: invalid operation',
          'ORA-39087: directory name DATA_PUMP_DIR is invalid',
        ),
      }),
    code: 'ORACLE_DIRECTORY_MISSING',
    says: [/DATA_PUMP_DIR does not exist/],
    fix: /CREATE DIRECTORY DATA_PUMP_DIR/,
  },
  {
    name: "ORA-39001: invalid argument, with Oracle's detail",
    script: (s) =>
      s.db.on(SQL.setup, {
        error: setupError(
          'ORA-39001: invalid argument value',
          'ORA-39041: Filter "SCHEMA_LIST" either identifies all object types or no object types.',
        ),
      }),
    code: 'ORACLE_INVALID_ARGUMENT',
    says: [/ORA-39041/, /SCHEMA_LIST/],
    fix: /schema names/,
  },
  {
    name: 'ORA-39165: a schema does not exist',
    script: (s) => s.db.on(SQL.setup, { error: setupError('ORA-39165: Schema SPACE_1001 was not found.') }),
    code: 'ORACLE_SCHEMA_NOT_FOUND',
    says: [/does not know/],
    fix: /Discover schemas/,
  },
  {
    name: 'ORA-39095: the server ran out of dump space',
    script: (s) =>
      s.db.on(
        SQL.status,
        jobStatus('STOPPED', 60, {
          errors: ['ORA-39095: Dump file space has been exhausted: Unable to allocate 8192 bytes'],
        }),
      ),
    code: 'ORACLE_SERVER_DISK_FULL',
    says: [/ran out of space/],
    fix: /Free space/,
  },
  {
    name: 'the job stopped by someone else',
    script: (s) =>
      s.db.on(
        SQL.status,
        jobStatus('EXECUTING', 10),
        jobStatus('STOPPED', 10, { errors: ['Job "BACKUP"."OCTBKP" stopped by user request'] }),
      ),
    code: 'ORACLE_EXPORT_FAILED',
    says: [/STOPPED/, /stopped by user request/],
    fix: /Data Pump log/,
  },
  {
    name: 'ORA-12541: no listener',
    script: (s) => s.db.failConnect(oraError('ORA-12541: TNS:no listener')),
    code: 'ORACLE_UNREACHABLE',
    says: [/dbhost\.example:1521\/OCTANEPDB/],
    fix: /1521/,
  },
  {
    name: 'NJS-503: Thin mode cannot reach the host',
    script: (s) =>
      s.db.failConnect(
        oraError(
          'NJS-503: connection to host dbhost.example port 1521 could not be established. (CONNECTION_ID=x)\nconnect ECONNREFUSED 10.0.0.5:1521',
        ),
      ),
    code: 'ORACLE_UNREACHABLE',
    says: [/No Oracle listener/],
    fix: /firewall/,
  },
  {
    name: 'NJS-518: unknown service name',
    script: (s) =>
      s.db.failConnect(
        oraError(
          'NJS-518: cannot connect to Oracle Database. Service "OCTANEPDB" is not registered with the listener at host dbhost.example port 1521.',
        ),
      ),
    code: 'ORACLE_SERVICE_UNKNOWN',
    says: [/service name/],
    fix: /lsnrctl status/,
  },
  {
    name: 'NJS-116: password verifier too old for Thin mode',
    script: (s) =>
      s.db.failConnect(
        oraError('NJS-116: password verifier type 0x939 is not supported by node-oracledb in Thin mode'),
      ),
    code: 'ORACLE_THIN_VERIFIER',
    says: [/10G/],
    fix: /ALLOWED_LOGON_VERSION_SERVER/,
  },
  {
    name: 'ORA-01017: wrong password',
    script: (s) =>
      s.db.failConnect(oraError('ORA-01017: invalid credential or not authorized; logon denied')),
    code: 'ORACLE_LOGIN_FAILED',
    says: [/refused the login backup/],
    fix: /password/,
  },
];

describe('Oracle failures in plain words (Oracle driver stand-in)', () => {
  it.each(CASES)('Oracle driver stand-in: $name → $code', async (c) => {
    const server = new FakeOracleServer();
    c.script(server);
    const { result, db, runLog } = await runOracleBackup(server, join(tmp.path, 'dest'));
    expect(result.status).toBe('failed');
    expect(result.manifest.complete).toBe(false);
    expect(db.status).toBe('failed');
    expect(db.error?.code).toBe(c.code);
    for (const re of c.says) expect(db.error?.message).toMatch(re);
    expect(db.error?.fix).toMatch(c.fix);
    // Never the password, not even in the failure path.
    expect(JSON.stringify(result.manifest) + runLog).not.toContain(TEST_PASSWORD);
    // Whatever the job left in the DIRECTORY is gone, and the connection is closed.
    expect([...server.files.keys()].filter((n) => n.endsWith('.dmp'))).toEqual([]);
    expect(server.db.closed).toBe(server.db.opened);
  });

  it('Oracle driver stand-in: an ORA-01555 failure reads undo_retention and keeps the Data Pump log in the set', async () => {
    const server = new FakeOracleServer();
    CASES[0]?.script(server);
    const { db } = await runOracleBackup(server, join(tmp.path, 'dest'));
    expect(server.db.callsTo(SQL.undo)).toHaveLength(1);
    expect(db.artifacts.map((a) => a.path)).toEqual([
      expect.stringMatching(/^database\/octane-.*-export\.log$/),
    ]);
    expect(server.db.callsTo(SQL.remove).length).toBe(2);
  });

  it('Oracle driver stand-in: a connection lost while polling tries to stop the job and says what happened', async () => {
    const server = new FakeOracleServer();
    server.db.on(SQL.status, jobStatus('EXECUTING', 5), {
      error: oraError('NJS-500: connection to Oracle Database was closed or broken'),
    });
    server.db.on(SQL.stop, {
      error: oraError('NJS-500: connection to Oracle Database was closed or broken'),
    });
    const { db } = await runOracleBackup(server, join(tmp.path, 'dest'));
    expect(db.error?.code).toBe('ORACLE_CONNECTION_LOST');
    expect(db.error?.fix).toMatch(/DBA_DATAPUMP_JOBS/);
    expect(server.db.callsTo(SQL.stop)).toHaveLength(1);
  });

  it('Oracle driver stand-in: without DBMS_FLASHBACK the SCN comes from V$DATABASE; without both the run stops before any export', async () => {
    const denied = oraError(
      "ORA-06550: line 1, column 7:\nPLS-00201: identifier 'DBMS_FLASHBACK' must be declared",
    );
    const server = new FakeOracleServer();
    server.db
      .on(SQL.scn, { error: denied })
      .on(SQL.scnVDatabase, { rows: [{ SCN: '123456', DB_TIME: '2024-05-06T08:00:00.000+00:00' }] });
    const ok = await runOracleBackup(server, join(tmp.path, 'a'));
    expect(ok.db.status).toBe('succeeded');
    expect(server.db.callsTo(SQL.setup)[0]?.binds.scn).toBe('123456');
    expect(ok.db.consistencyPoint?.scn).toBe('123456');

    const none = new FakeOracleServer();
    none.db
      .on(SQL.scn, { error: denied })
      .on(SQL.scnVDatabase, { error: oraError('ORA-00942: table or view does not exist') });
    const failed = await runOracleBackup(none, join(tmp.path, 'b'));
    expect(failed.db.error?.code).toBe('ORACLE_NO_SCN_ACCESS');
    expect(failed.db.error?.fix).toMatch(/GRANT EXECUTE ON DBMS_FLASHBACK/);
    expect(none.db.callsTo(SQL.setup)).toHaveLength(0);
  });
});
