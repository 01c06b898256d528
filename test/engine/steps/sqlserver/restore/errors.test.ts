// SQL Server restore failures against the TDS stand-in: each named, explained with its fix, and
// saying what state it leaves; nothing is restored from a file that is not the set's.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExpectedError, isAbortError } from '../../../../../src-main/engine/errors.js';
import { createSqlServerRestore } from '../../../../../src-main/engine/steps/sqlserver/restore/index.js';
import { tempDir } from '../../../../support/temp.js';
import { lookContext, restoreContext } from '../../restore/context.js';
import { backedUp, filesIn, MiB, type BackedUp } from './restore-rig.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});
async function setup(...a: Parameters<typeof backedUp>): Promise<BackedUp> {
  const b = await backedUp(...a);
  cleanups.push(() => b.close());
  return b;
}
const inPlace = { kind: 'in-place' } as const;

async function runFails(b: BackedUp, target: Parameters<typeof restoreContext>[2], profile = b.profile()) {
  const { ctx, rec } = await restoreContext(profile, b.setRoot, target);
  const e = await createSqlServerRestore()
    .run(ctx, {})
    .then(
      () => undefined,
      (x: unknown) => x,
    );
  expect(e).toBeInstanceOf(ExpectedError);
  return { e: e as ExpectedError, rec, ctx };
}

describe('SQL Server restore failures (TDS stand-in)', () => {
  it('TDS stand-in: 3101 database in use: a session that reconnects after SINGLE_USER; the database is set back to MULTI_USER and left as it was', async () => {
    const b = await setup({
      databases: [{ name: 'octane_site', usedBytes: MiB, content: 'v1', sessions: 4, reconnects: true }],
    });
    const live = b.r.fake.databases[0];
    if (live) live.content = 'v2';
    const { e } = await runFails(b, inPlace);
    expect(e.code).toBe('SQLSERVER_DATABASE_IN_USE');
    expect(e.message).toContain('Exclusive access could not be obtained because the database is in use.');
    expect(e.message).toContain('Failed: octane_site (online as it was, MULTI_USER).');
    expect(e.fix).toContain('Stop Octane on every node');
    expect(live?.userAccess).toBe('MULTI_USER');
    expect(live?.content).toBe('v2');
  });

  it('TDS stand-in: 3154 another database holds the scratch name: it is neither dropped nor left in the journal', async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const name = `octane_site__rehearsal_${b.manifest.setId}`;
    b.r.fake.script({
      restoreScripts: {
        [name.toLowerCase()]: {
          fail: [
            {
              number: 3154,
              message: `The backup set holds a backup of a database other than the existing '${name}' database.`,
            },
            { number: 3013, message: 'RESTORE DATABASE is terminating abnormally.' },
          ],
        },
      },
    });
    const forgotten: string[] = [];
    const { ctx } = await restoreContext(b.profile(), b.setRoot, b.scratch);
    ctx.unjournal = (o) => forgotten.push(o.name);
    const e = (await createSqlServerRestore()
      .run(ctx, {})
      .then(
        () => undefined,
        (x: unknown) => x,
      )) as ExpectedError;
    expect(e.code).toBe('SQLSERVER_RESTORE_OTHER_DATABASE');
    expect(e.message).toContain('it was not touched');
    expect(forgotten).toEqual([name]);
    expect(b.r.fake.statements()).not.toContain(`DROP DATABASE [${name}];`);
  });

  it('TDS stand-in: 3159 tail of the log not backed up: the fix says how to keep it', async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    b.r.fake.script({
      restoreScripts: {
        octane_site: {
          fail: [
            {
              number: 3159,
              message:
                'The tail of the log for the database "octane_site" has not been backed up. Use BACKUP LOG WITH NORECOVERY to backup the log if it contains work you do not want to lose. Use the WITH REPLACE or WITH STOPAT clause of the RESTORE statement to just overwrite the contents of the log.',
            },
            { number: 3013, message: 'RESTORE DATABASE is terminating abnormally.' },
          ],
        },
      },
    });
    const { e } = await runFails(b, inPlace);
    expect(e.code).toBe('SQLSERVER_TAIL_LOG_NOT_BACKED_UP');
    expect(e.fix).toContain("BACKUP LOG [octane_site] TO DISK = N'<file>' WITH NORECOVERY;");
    expect(b.r.fake.databases[0]?.userAccess).toBe('MULTI_USER');
  });

  it('TDS stand-in: 3201 SQL Server cannot open the staged file: copyFrom is not the folder the server reads; the stray copy is removed', async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const elsewhere = await tempDir('obm-not-the-share-');
    cleanups.push(elsewhere.cleanup);
    const { e } = await runFails(b, inPlace, b.profile({ copyFrom: elsewhere.path }));
    expect(e.code).toBe('SQLSERVER_BACKUP_FILE_UNREADABLE');
    expect(e.message).toContain('operating system error 2');
    expect(e.message).toContain('Nothing was restored.');
    expect(e.fix).toContain('copyFrom must be the same folder as serverBackupDir');
    expect(await filesIn(elsewhere.path)).toEqual([]);
    expect(b.r.fake.restores).toEqual([]);
  });

  it('TDS stand-in: 5133 the rehearsal folder does not exist on the server (not checkable before SQL Server 2017)', async () => {
    const b = await setup({
      databases: [{ name: 'octane_site', usedBytes: MiB }],
      noFileExistsDmv: true,
      serverFolders: ['D:\\Data', 'L:\\Log'],
    });
    const checks = await createSqlServerRestore().check(
      await lookContext(b.profile(), b.setRoot, b.scratch),
      {},
    );
    expect(checks.find((c) => c.id === 'sqlserver.restore.scratch-folder')?.status).toBe('warning');
    const { e } = await runFails(b, b.scratch);
    expect(e.code).toBe('SQLSERVER_RESTORE_FOLDER_MISSING');
    expect(e.message).toContain('S:\\Rehearsal\\octane_site__rehearsal_');
    expect(e.message).toContain('operating system error 3');
    expect(e.fix).toContain('database.rehearsalDir');
    expect(b.r.fake.databases.map((d) => d.name)).toEqual(['octane_site']);
  });

  it('TDS stand-in: a login without dbcreator or sysadmin fails the rights check with the fix, and the run refuses before anything changes', async () => {
    const b = await setup({
      databases: [{ name: 'octane_site', usedBytes: MiB, content: 'v1' }],
      isDbcreator: false,
    });
    const checks = await createSqlServerRestore().check(
      await lookContext(b.profile(), b.setRoot, inPlace),
      {},
    );
    const rights = checks.find((c) => c.id === 'sqlserver.restore.rights');
    expect(rights?.status).toBe('failed');
    expect(rights?.message).toContain('db_owner in the database is not enough');
    expect(rights?.fix).toBe('Ask the DBA: ALTER SERVER ROLE [dbcreator] ADD MEMBER [octane_backup];');
    const { e, rec } = await runFails(b, inPlace);
    expect(e.code).toBe('SQLSERVER_RESTORE_PRECONDITION');
    expect(rec.journal).toEqual([]);
    expect(b.r.fake.statements().some((s) => s.startsWith('ALTER DATABASE'))).toBe(false);
  });

  it('TDS stand-in: a file whose BackupSetGUID is not the one the set recorded is refused before any database is touched', async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const manifestPath = join(b.setRoot, 'manifest.json');
    const m = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      components: { id: string; details: { databases: { history: { backupSetUuid: string } }[] } }[];
    };
    const db = m.components.find((c) => c.id === 'database');
    const h = db?.details.databases[0]?.history;
    if (h) h.backupSetUuid = '11111111-2222-3333-4444-555555555555';
    await writeFile(manifestPath, JSON.stringify(m));
    const { e } = await runFails(b, inPlace);
    expect(e.code).toBe('SQLSERVER_RESTORE_WRONG_FILE');
    expect(e.message).toContain('the set recorded 11111111-2222-3333-4444-555555555555');
    expect(
      b.r.fake.statements().some((s) => s.startsWith('ALTER DATABASE') || s.startsWith('RESTORE DATABASE')),
    ).toBe(false);
    expect(await filesIn(b.r.serverDir)).toEqual([]);
  });

  it("TDS stand-in: a flipped byte in the set's .bak is caught while staging; no copy is left where the server reads", async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const bak = join(b.setRoot, 'database', `octane_site_${b.manifest.setName}.bak`);
    const bytes = await readFile(bak);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
    await writeFile(bak, bytes);
    const { e } = await runFails(b, inPlace);
    expect(e.code).toBe('RESTORE_SET_FILE_ALTERED');
    expect(e.message).toContain('does not match its manifest');
    expect(await filesIn(b.r.serverDir)).toEqual([]);
    expect(b.r.fake.restores).toEqual([]);
  });

  it('TDS stand-in: cancel during an in-place restore stops it on the server and says the database is left RESTORING', async () => {
    const ac = new AbortController();
    const b = await setup({
      databases: [{ name: 'octane_site', usedBytes: MiB }],
      restoreScripts: { octane_site: { hangAfterPercent: 40, onHang: () => ac.abort() } },
    });
    const { ctx } = await restoreContext(b.profile(), b.setRoot, inPlace, { signal: ac.signal });
    const e = (await createSqlServerRestore()
      .run(ctx, {})
      .then(
        () => undefined,
        (x: unknown) => x,
      )) as Error & { details?: { databases: { status: string }[] } };
    expect(isAbortError(e)).toBe(true);
    expect(e.message).toContain(
      'Failed: octane_site (left RESTORING: unusable until a restore of it finishes).',
    );
    expect(e.details?.databases.map((d) => d.status)).toEqual(['failed']);
    expect(b.r.fake.databases[0]?.state).toBe('RESTORING');
    expect(await filesIn(b.r.serverDir)).toEqual([]);
  });
});
