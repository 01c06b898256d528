import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OracleConfig } from '../../../../src-main/contract/profile.js';
import { runPreflight } from '../../../../src-main/engine/preflight/run-preflight.js';
import { createOracleStep } from '../../../../src-main/engine/steps/oracle/index.js';
import { defaultSteps } from '../../../../src-main/engine/steps/registry.js';
import { FakeOracleServer, SQL } from '../../../support/oracle/healthy-server.js';
import { oraError } from '../../../support/oracle/oracle-stand-in.js';
import { oracleProfile, TEST_PASSWORD } from '../../../support/oracle/run-oracle.js';
import { tempDir } from '../../../support/temp.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-oracle-');
});
afterEach(async () => tmp.cleanup());

async function preflight(server: FakeOracleServer, cfg: Partial<OracleConfig> = {}) {
  const steps = { ...defaultSteps(), database: () => createOracleStep({ connect: server.db.connect }) };
  const report = await runPreflight(oracleProfile(join(tmp.path, 'dest'), cfg), {
    steps,
    env: { OCTANE_TEST_ORACLE_PASSWORD: TEST_PASSWORD },
  });
  const db = report.checks.filter((c) => c.component === 'database');
  const byId = (id: string) => db.find((c) => c.id === `database:oracle-${id}`);
  return { report, db, byId };
}

describe('Oracle preflight (Oracle driver stand-in)', () => {
  it('Oracle driver stand-in: a healthy server passes every check and the write probe leaves nothing behind', async () => {
    const server = new FakeOracleServer();
    const { db, byId } = await preflight(server);
    expect(db.map((c) => [c.id.replace('database:oracle-', ''), c.status])).toEqual([
      ['connection', 'ok'],
      ['schemas', 'ok'],
      ['privileges', 'ok'],
      ['scn', 'ok'],
      ['quota', 'ok'],
      ['directory', 'ok'],
      ['size', 'ok'],
      ['undo', 'ok'],
    ]);
    expect(byId('connection')?.message).toContain('19.21.0.0.0');
    expect(byId('directory')?.message).toContain('/u01/app/oracle/dpdump');
    expect(byId('size')?.message).toContain('5.00 GiB');
    expect(server.db.callsTo(SQL.probe)).toHaveLength(1);
    expect(server.files.size).toBe(0);
    expect(server.db.closed).toBe(1);
  });

  it('Oracle driver stand-in: missing role, quota, directory and short undo each fail or warn with a fix', async () => {
    const server = new FakeOracleServer({ users: ['OCTANE_SITE'] });
    server.db
      .on(SQL.roles, { rows: [{ ROLE: 'CONNECT' }] })
      .on(SQL.privs, { rows: [{ PRIVILEGE: 'CREATE SESSION' }] })
      .on(SQL.quota, { rows: [{ TS: 'USERS', MAX_BYTES: null, USED: null }] })
      .on(SQL.directory, { rows: [] })
      .on(SQL.undo, { rows: [{ VALUE: '60' }] });
    const { report, byId } = await preflight(server);
    expect(report.ok).toBe(false);
    expect(byId('schemas')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('SPACE_1001') as unknown,
    });
    expect(byId('privileges')?.status).toBe('failed');
    expect(byId('privileges')?.fix).toContain('GRANT DATAPUMP_EXP_FULL_DATABASE TO BACKUP;');
    expect(byId('privileges')?.fix).toContain('GRANT CREATE TABLE TO BACKUP;');
    expect(byId('quota')).toMatchObject({
      status: 'failed',
      fix: 'As a DBA: ALTER USER BACKUP QUOTA 500M ON USERS;',
    });
    expect(byId('directory')?.status).toBe('failed');
    expect(byId('directory')?.fix).toContain('CREATE DIRECTORY DATA_PUMP_DIR');
    expect(byId('undo')?.status).toBe('warning');
    expect(byId('undo')?.message).toContain('ORA-01555');
    expect(byId('undo')?.fix).toMatch(/ALTER SYSTEM SET UNDO_RETENTION = \d+/);
  });

  it('Oracle driver stand-in: a DIRECTORY whose folder the database cannot write fails with the OS-level fix', async () => {
    const server = new FakeOracleServer();
    server.db.on(SQL.probe, {
      error: oraError(
        'ORA-29283: invalid file operation: cannot open file\nORA-06512: at "SYS.UTL_FILE", line 536',
      ),
    });
    const { byId } = await preflight(server);
    expect(byId('directory')?.status).toBe('failed');
    expect(byId('directory')?.message).toContain('/u01/app/oracle/dpdump');
    expect(byId('directory')?.fix).toContain('writable by the account Oracle runs as');
  });

  it('Oracle driver stand-in: the write probe proves whether copyFrom shows the same folder', async () => {
    const share = join(tmp.path, 'share');
    await mkdir(share);
    const same = await preflight(new FakeOracleServer({ mirrorDir: share }), { copyFrom: share });
    expect(same.byId('directory')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('shows the same folder') as unknown,
    });

    const other = join(tmp.path, 'other');
    await mkdir(other);
    const wrong = await preflight(new FakeOracleServer({ mirrorDir: share }), { copyFrom: other });
    expect(wrong.byId('directory')?.status).toBe('warning');
    expect(wrong.byId('directory')?.fix).toContain('copyFrom');
  });

  it('Oracle driver stand-in: fileSize that would need more than 99 pieces is flagged', async () => {
    const { byId } = await preflight(new FakeOracleServer(), { fileSize: '10M' });
    expect(byId('size')?.status).toBe('warning');
    expect(byId('size')?.fix).toContain('fileSize');
  });

  it('Oracle driver stand-in: when the login fails, the preflight says so once with the fix', async () => {
    const server = new FakeOracleServer();
    server.db.failConnect(oraError('ORA-28000: The account is locked.'));
    const { report, db } = await preflight(server);
    expect(report.ok).toBe(false);
    expect(db).toEqual([
      expect.objectContaining({
        id: 'database:oracle-connection',
        status: 'failed',
        fix: expect.stringContaining('ACCOUNT UNLOCK') as unknown,
      }),
    ]);
  });
});
