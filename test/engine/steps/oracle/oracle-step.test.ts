import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, type Manifest } from '../../../../src-main/contract/manifest.js';
import {
  DEFAULT_DB_TIME,
  DEFAULT_SCN,
  FakeOracleServer,
  jobStatus,
  SQL,
} from '../../../support/oracle/healthy-server.js';
import { bindText } from '../../../support/oracle/oracle-stand-in.js';
import { runOracleBackup, TEST_PASSWORD } from '../../../support/oracle/run-oracle.js';
import { tempDir } from '../../../support/temp.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-oracle-');
});
afterEach(async () => tmp.cleanup());

describe('Oracle step against the Oracle driver stand-in', () => {
  it('Oracle driver stand-in: takes the SCN first and exports every schema AS OF that same SCN', async () => {
    const server = new FakeOracleServer();
    const { result, db } = await runOracleBackup(server, join(tmp.path, 'dest'));

    expect(db.status).toBe('succeeded');
    expect(result.status).toBe('succeeded-with-warnings'); // only the database is configured: not a full backup
    const scnAt = server.db.indexOf(SQL.scn);
    const openAt = server.db.indexOf(SQL.setup);
    expect(scnAt).toBeGreaterThanOrEqual(0);
    expect(openAt).toBeGreaterThan(scnAt);

    const setup = server.db.callsTo(SQL.setup);
    expect(setup).toHaveLength(1);
    const call = setup[0];
    if (!call) throw new Error('no export call');
    // The SCN the step recorded is the very value bound to FLASHBACK_SCN (as text, so no digit is lost).
    expect(call.binds.scn).toBe(DEFAULT_SCN);
    expect(db.consistencyPoint?.scn).toBe(DEFAULT_SCN);
    expect(call.sql).toContain(
      "SET_PARAMETER(handle => h, name => 'FLASHBACK_SCN', value => TO_NUMBER(:scn))",
    );
    expect(call.sql).not.toContain(DEFAULT_SCN);
    expect(call.sql).toContain("DBMS_DATAPUMP.OPEN(operation => 'EXPORT', job_mode => 'SCHEMA'");
    expect(call.sql).toContain("METADATA_FILTER(handle => h, name => 'SCHEMA_LIST'");
    expect(call.sql).toContain('START_JOB');
    expect(call.binds.s0).toBe('OCTANE_SITE'); // config said octane_site: unquoted names are upper case in Oracle
    expect(call.binds.s1).toBe('SPACE_1001');
    expect(call.binds.dir).toBe('DATA_PUMP_DIR');
    expect(call.binds.file_size).toBeNull();
    expect(bindText(call, 'dump_file')).toMatch(/^octane-\d{8}-\d{6}-[0-9a-f]{6}\.dmp$/);
    expect(bindText(call, 'log_file')).toMatch(/-export\.log$/);
    expect(bindText(call, 'job_name').length).toBeLessThanOrEqual(30);

    // Consistency point and DB clock come from the server's own time with its offset.
    expect(db.consistencyPoint?.time).toBe(DEFAULT_DB_TIME);
    expect(result.manifest.dbClock?.serverUtcOffset).toBe('+02:00');
    expect(db.server).toMatchObject({ engine: 'oracle', version: '19.21.0.0.0', name: 'OCTANEDB' });
    expect(db.details).toMatchObject({
      schemas: ['OCTANE_SITE', 'SPACE_1001'],
      scn: DEFAULT_SCN,
      directory: 'DATA_PUMP_DIR',
      transfer: 'bfile',
    });

    // Polled to COMPLETED, then detached; one dedicated connection, closed at the end.
    expect(server.db.callsTo(SQL.status).map((c) => c.binds.handle)).toEqual([4242, 4242, 4242]);
    expect(server.db.callsTo(SQL.detach)).toHaveLength(1);
    expect(server.db.callsTo(SQL.stop)).toHaveLength(0);
    expect(server.db.logins).toEqual([
      { user: 'backup', password: TEST_PASSWORD, connectString: 'dbhost.example:1521/OCTANEPDB' },
    ]);
    expect(new Set(server.db.calls.map((c) => c.connection))).toEqual(new Set([1]));
    expect(server.db.closed).toBe(1);
  });

  it('Oracle driver stand-in: the dump read back as a BFILE in chunks lands in the set with the SHA-256 of its bytes', async () => {
    const server = new FakeOracleServer();
    const { db, setRoot } = await runOracleBackup(server, join(tmp.path, 'dest'));

    const [dumpName, dumpBytes] = server.dumpPieces()[0] ?? ['', Buffer.alloc(0)];
    const dumpRec = db.artifacts.find((a) => a.path === `database/${dumpName}`);
    expect(dumpRec).toMatchObject({ bytes: server.payload.length, sha256: sha256(server.payload) });
    expect(dumpBytes.equals(server.payload)).toBe(true);
    const onDisk = await readFile(join(setRoot, 'database', dumpName));
    expect(onDisk.equals(server.payload)).toBe(true);

    // The stand-in hands out at most 50,000 bytes per read: the copy must keep asking until done.
    const lob = server.lobs[0];
    expect(lob?.reads.length).toBeGreaterThan(4);
    expect(lob?.reads.every((r) => r.amount <= 64 * 1024)).toBe(true);
    expect(lob?.destroyed).toBe(true);

    const logRec = db.artifacts.find((a) => a.path.endsWith('-export.log'));
    expect(logRec?.sha256).toBe(sha256(Buffer.from(server.logText)));
    // The manifest on disk says the same as the result.
    const manifest = JSON.parse(await readFile(join(setRoot, MANIFEST_FILE), 'utf8')) as Manifest;
    const diskDb = manifest.components.find((c) => c.id === 'database');
    expect(diskDb?.artifacts.find((a) => a.path === `database/${dumpName}`)?.sha256).toBe(
      sha256(server.payload),
    );
    expect(diskDb?.consistencyPoint?.scn).toBe(DEFAULT_SCN);
    // Without deleteServerCopy the server keeps its dump.
    expect(server.files.has(dumpName)).toBe(true);
  });

  it('Oracle driver stand-in: the set carries restore.txt with the impdp commands for this dump', async () => {
    const server = new FakeOracleServer();
    const { db, setRoot } = await runOracleBackup(server, join(tmp.path, 'dest'));
    const [dumpName] = server.dumpPieces()[0] ?? [''];
    expect(db.artifacts.map((a) => a.path)).toContain('database/restore.txt');
    const text = await readFile(join(setRoot, 'database', 'restore.txt'), 'utf8');
    expect(text).toContain(`SCN ${DEFAULT_SCN}`);
    expect(text).toContain(`DIRECTORY=DATA_PUMP_DIR DUMPFILE=${dumpName} LOGFILE=restore-check.log`);
    expect(text).toContain(
      'REMAP_SCHEMA=OCTANE_SITE:OCTANE_SITE_CHECK REMAP_SCHEMA=SPACE_1001:SPACE_1001_CHECK',
    );
    expect(text).toContain('SCHEMAS=OCTANE_SITE,SPACE_1001');
  });

  it('Oracle driver stand-in: records the exact PL/SQL with its binds, never the password', async () => {
    const server = new FakeOracleServer();
    const { result, db, runLog } = await runOracleBackup(server, join(tmp.path, 'dest'));
    const exportStmt = db.statements.find((s) => s.includes('DBMS_DATAPUMP.OPEN'));
    expect(exportStmt).toContain(`:scn = '${DEFAULT_SCN}'`);
    expect(exportStmt).toContain(":s0 = 'OCTANE_SITE'");
    expect(db.statements.some((s) => s.includes('GET_SYSTEM_CHANGE_NUMBER'))).toBe(true);
    expect(db.statements.some((s) => s.includes('DBMS_DATAPUMP.GET_STATUS(:handle'))).toBe(true);
    const everything = JSON.stringify(result.manifest) + runLog;
    expect(everything).not.toContain(TEST_PASSWORD);
    expect(runLog).toContain(`SCN ${DEFAULT_SCN}`);
  });

  it('Oracle driver stand-in: job progress 0 → 37 → 100 % becomes step progress with an ETA', async () => {
    const server = new FakeOracleServer();
    // Polls further apart than the runner's 100 ms throttle, so every status reaches the events.
    const { events } = await runOracleBackup(server, join(tmp.path, 'dest'), { pollIntervalMs: 120 });
    const progress = events.flatMap((e) => (e.type === 'step-progress' && e.step === 'database' ? [e] : []));
    const at37 = progress.find((e) => e.counters.message?.includes('37 %'));
    expect(at37?.fraction).toBeCloseTo(0.185, 5); // export is the first half of the step
    expect(at37?.counters.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(at37?.counters.message).toContain('EXECUTING');
    const fractions = progress.map((e) => e.fraction);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('Oracle driver stand-in: fileSize splits the dump into %U pieces, each hashed, together the whole dump', async () => {
    const server = new FakeOracleServer({ pieceBytes: 100_000 });
    const { db, setRoot } = await runOracleBackup(server, join(tmp.path, 'dest'), {
      cfg: { fileSize: '100K' },
    });
    expect(db.status).toBe('succeeded');
    const call = server.db.callsTo(SQL.setup)[0];
    if (!call) throw new Error('no export call');
    expect(bindText(call, 'dump_file')).toMatch(/-%U\.dmp$/);
    expect(call.binds.file_size).toBe('100K');

    const pieces = server.dumpPieces();
    expect(pieces.map(([n]) => n.slice(-7))).toEqual(['-01.dmp', '-02.dmp', '-03.dmp']);
    for (const [name, data] of pieces) {
      expect(db.artifacts.find((a) => a.path === `database/${name}`)).toMatchObject({
        bytes: data.length,
        sha256: sha256(data),
      });
    }
    const joined = Buffer.concat(
      await Promise.all(pieces.map(([n]) => readFile(join(setRoot, 'database', n)))),
    );
    expect(joined.equals(server.payload)).toBe(true);
    expect(db.artifacts.find((a) => a.path.endsWith('-02.dmp'))?.description).toContain('piece 2 of 3');
  });

  it('Oracle driver stand-in: copyFrom copies from the shared folder and deleteServerCopy removes the verified server files', async () => {
    const share = join(tmp.path, 'dpdump-share');
    await mkdir(share);
    const server = new FakeOracleServer({ mirrorDir: share });
    const { db, setRoot } = await runOracleBackup(server, join(tmp.path, 'dest'), {
      cfg: { copyFrom: share, deleteServerCopy: true },
    });
    expect(db.status).toBe('succeeded');
    expect(server.db.callsTo(SQL.bfile)).toHaveLength(0);
    expect(db.details).toMatchObject({ transfer: 'copyFrom', serverCopyDeleted: true });
    const dumpRec = db.artifacts.find((a) => a.path.endsWith('.dmp'));
    expect(dumpRec?.sha256).toBe(sha256(server.payload));
    expect((await readFile(join(setRoot, dumpRec?.path ?? ''))).equals(server.payload)).toBe(true);
    // Both server files removed through UTL_FILE.FREMOVE, after the copy.
    const removes = server.db.callsTo(SQL.remove);
    expect(removes).toHaveLength(2);
    expect(server.db.indexOf(SQL.remove)).toBeGreaterThan(server.db.indexOf(SQL.list));
    expect(server.files.size).toBe(0);
    expect(await readdir(share)).toEqual([]);
  });

  it('Oracle driver stand-in: a copyFrom that does not show the DIRECTORY falls back to the BFILE read with a warning', async () => {
    const elsewhere = join(tmp.path, 'not-the-share');
    await mkdir(elsewhere);
    const server = new FakeOracleServer();
    const { db } = await runOracleBackup(server, join(tmp.path, 'dest'), { cfg: { copyFrom: elsewhere } });
    expect(db.status).toBe('succeeded-with-warnings');
    expect(db.warnings.map((w) => w.code)).toContain('ORACLE_COPYFROM_UNUSABLE');
    expect(server.db.callsTo(SQL.bfile)).toHaveLength(2);
    expect(db.artifacts.find((a) => a.path.endsWith('.dmp'))?.sha256).toBe(sha256(server.payload));
  });

  it('Oracle driver stand-in: a quoted schema name keeps its case, a custom DIRECTORY is used everywhere', async () => {
    const server = new FakeOracleServer({ directory: 'OCTANE_DP' });
    const { db } = await runOracleBackup(server, join(tmp.path, 'dest'), {
      cfg: { schemas: ['"Mixed_Case"'], directory: 'octane_dp' },
    });
    expect(db.status).toBe('succeeded');
    expect(server.db.callsTo(SQL.setup)[0]?.binds).toMatchObject({ s0: 'Mixed_Case', dir: 'OCTANE_DP' });
    expect(server.db.callsTo(SQL.bfile).every((c) => c.binds.dir === 'OCTANE_DP')).toBe(true);
  });

  it('Oracle driver stand-in: Data Pump progress lines go to the run log', async () => {
    const server = new FakeOracleServer();
    server.db.on(
      SQL.status,
      jobStatus('EXECUTING', 50, { wip: ['Processing object type SCHEMA_EXPORT/TABLE/TABLE_DATA'] }),
      jobStatus('COMPLETED', 100),
    );
    const { runLog } = await runOracleBackup(server, join(tmp.path, 'dest'));
    expect(runLog).toContain('Data Pump: Processing object type SCHEMA_EXPORT/TABLE/TABLE_DATA');
  });
});
