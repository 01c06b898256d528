// Oracle restore against the driver stand-in, from a set the real runner exported.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExpectedError } from '../../../../../src-main/engine/errors.js';
import { isAbortError } from '../../../../../src-main/engine/errors.js';
import { SQL } from '../../../../support/oracle/healthy-server.js';
import { bindText, oraError } from '../../../../support/oracle/oracle-stand-in.js';
import { jobStatus, RESTORE_SQL } from '../../../../support/oracle/restoring-server.js';
import { tempDir } from '../../../../support/temp.js';
import { lookContext, monotonic, restoreContext } from '../../restore/context.js';
import { exported, type Exported } from './rig.js';

let open: Exported[] = [];
afterEach(async () => {
  for (const e of open) await e.close();
  open = [];
});
async function setup(...a: Parameters<typeof exported>): Promise<Exported> {
  const e = await exported(...a);
  open.push(e);
  return e;
}
const inPlace = { kind: 'in-place' } as const;
const LIVE = ['OCTANE_SITE', 'SPACE_1001'];

async function fails(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe('Oracle restore (stand-in)', () => {
  it('stand-in: in place: the dump goes up in BLOB chunks and is read back, the schemas are dropped, one import job recreates them, progress from GET_STATUS, staged files removed', async () => {
    const x = await setup({ facts: { OCTANE_SITE: { objects: 812, tables: 300, rows: 10_000 } } });
    x.server.db.on(
      SQL.status,
      jobStatus('EXECUTING', 12),
      jobStatus('EXECUTING', 64),
      jobStatus('COMPLETED', 100),
    );
    const from = x.server.db.calls.length;
    const { ctx, rec } = await restoreContext(x.profile(), x.setRoot, inPlace);
    const result = await x.primitive.run(ctx, {});
    const calls = x.server.db.calls.slice(from);
    const at = (re: RegExp): number => calls.findIndex((c) => re.test(c.sql));
    const uploads = calls.filter((c) => RESTORE_SQL.upload.test(c.sql));
    // 250 000 bytes in 64 KiB chunks: 4 round trips, the first creates the file, the rest append.
    expect(uploads.map((c) => c.binds.append)).toEqual([0, 1, 1, 1]);
    const dump = uploads[0] ? bindText(uploads[0], 'file_name') : '';
    expect(x.server.uploads.filter((u) => u.file === dump).reduce((a, u) => a + u.bytes, 0)).toBe(250_000);
    // Read back before anything is dropped; dropped before the import.
    expect(at(SQL.bfile)).toBeGreaterThan(at(RESTORE_SQL.upload));
    const drops = calls.filter((c) => RESTORE_SQL.dropUser.test(c.sql)).map((c) => c.binds.username);
    expect(drops).toEqual(LIVE);
    expect(at(RESTORE_SQL.dropUser)).toBeGreaterThan(at(SQL.bfile));
    expect(at(RESTORE_SQL.importOpen)).toBeGreaterThan(
      calls.findLastIndex((c) => RESTORE_SQL.dropUser.test(c.sql)),
    );
    const imp = x.server.imports[0];
    expect(imp?.schemas).toEqual(LIVE);
    expect(imp?.remap).toEqual([]);
    expect(imp?.dumps).toEqual([dump]);
    expect([...x.server.users].sort()).toEqual(LIVE);
    expect(result.schemas.map((s) => [s.target, s.objects])).toEqual([
      ['OCTANE_SITE', 812],
      ['SPACE_1001', 0],
    ]);
    expect(result.importLog).toContain('successfully completed');
    // Journaled before created; removed at the end.
    expect(rec.journal.map((j) => j.kind)).toEqual(['oracle-file', 'oracle-file']);
    expect(x.server.files.size).toBe(0);
    expect(rec.progress.some((p) => p.message === 'Data Pump import: 64 % (EXECUTING)')).toBe(true);
    expect(monotonic(rec)).toBe(true);
  });

  it('stand-in: plan shows the upload, DROP USER of each schema and the import job in run order, and changes nothing', async () => {
    const x = await setup();
    const from = x.server.db.calls.length;
    const plan = await x.primitive.plan(await lookContext(x.profile(), x.setRoot, inPlace), {});
    expect(plan.actions.map((a) => [a.kind, a.changes])).toEqual([
      ['plsql', true],
      ['plsql', true],
      ['plsql', true],
      ['plsql', true],
      ['check', false],
      ['plsql', false],
      ['plsql', false],
      ['remove', true],
      ['remove', true],
    ]);
    expect(plan.actions[1]?.title).toContain('DROP USER "OCTANE_SITE" CASCADE;');
    expect(plan.actions[3]?.text).toContain("DBMS_DATAPUMP.OPEN(operation => 'IMPORT', job_mode => 'SCHEMA'");
    expect(plan.actions[3]?.text).toContain(":s0 = 'OCTANE_SITE', :s1 = 'SPACE_1001'");
    expect(plan.notes[0]).toContain('is lost');
    const sent = x.server.db.calls.slice(from).map((c) => c.sql);
    for (const re of [RESTORE_SQL.upload, RESTORE_SQL.dropUser, RESTORE_SQL.importOpen, SQL.remove])
      expect(sent.some((s) => re.test(s))).toBe(false);
  });

  it('stand-in: rehearsal: REMAP_SCHEMA into RH_<set id>_<schema>, locked at once, invalid objects and ORA-39082 reported not failed, totals counted, scratch users dropped, live users untouched', async () => {
    const x = await setup({
      facts: {
        OCTANE_SITE: {
          objects: 812,
          tables: 300,
          rows: 10_000,
          invalid: [
            ['VIEW', 'V_ITEMS'],
            ['TRIGGER', 'T_AUDIT'],
          ],
        },
        SPACE_1001: { objects: 1630, tables: 600, rows: 250_000 },
      },
      importLog: ['ORA-39082: Object type VIEW:"RH_X"."V_ITEMS" created with compilation warnings'],
    });
    const id = x.manifest.setId.toUpperCase();
    const scratch = [`RH_${id}_OCTANE_SITE`, `RH_${id}_SPACE_1001`];
    const { ctx, rec } = await restoreContext(x.profile(), x.setRoot, x.scratch);
    const result = await x.primitive.run(ctx, {});
    expect(x.server.imports[0]?.remap).toEqual([
      ['OCTANE_SITE', scratch[0]],
      ['SPACE_1001', scratch[1]],
    ]);
    expect(rec.journal.filter((j) => j.kind === 'oracle-schema').map((j) => j.name)).toEqual(scratch);
    expect(result.schemas).toEqual([
      {
        schema: 'OCTANE_SITE',
        target: scratch[0],
        objects: 812,
        tables: 300,
        rows: 10_000,
        invalid: [
          { type: 'VIEW', name: 'V_ITEMS' },
          { type: 'TRIGGER', name: 'T_AUDIT' },
        ],
      },
      { schema: 'SPACE_1001', target: scratch[1], objects: 1630, tables: 600, rows: 250_000, invalid: [] },
    ]);
    expect(result.warnings).toEqual([
      'ORA-39082: Object type VIEW:"RH_X"."V_ITEMS" created with compilation warnings',
    ]);
    expect(rec.warnings.map((w) => w.code)).toEqual(['ORACLE_COMPILE_WARNING', 'ORACLE_INVALID_OBJECTS']);
    const locks = x.server.db.calls.filter((c) => RESTORE_SQL.lock.test(c.sql)).map((c) => c.binds.username);
    expect(locks).toEqual(scratch);
    expect([...x.server.users].sort()).toEqual(LIVE);
    expect(
      x.server.db.calls.filter((c) => RESTORE_SQL.dropUser.test(c.sql)).map((c) => c.binds.username),
    ).toEqual(scratch);
    expect(x.server.files.size).toBe(0);
  });

  it('stand-in: an import that completes with ORA errors in its log fails and says the schemas were dropped', async () => {
    const x = await setup({
      importLog: [
        'ORA-39083: Object type OBJECT_GRANT failed to create with error:',
        'ORA-01917: user or role "OCTANE_REPORTS" does not exist',
      ],
    });
    const { ctx } = await restoreContext(x.profile(), x.setRoot, inPlace);
    const e = (await fails(x.primitive.run(ctx, {}))) as ExpectedError;
    expect(e.code).toBe('ORACLE_IMPORT_FAILED');
    expect(e.message).toContain('ORA-39083: Object type OBJECT_GRANT failed to create');
    expect(e.message).toContain('Dropped before the failure: OCTANE_SITE, SPACE_1001');
    expect(e.details?.oracle).toContain('ORA-01917: user or role "OCTANE_REPORTS" does not exist');
    expect(x.server.files.size).toBe(0);
  });

  it('stand-in: an import that still finds a schema (ORA-31684) is a failure, as on backup', async () => {
    const x = await setup({ importLog: [] });
    // A rehearsal whose scratch user appears between the check and the import.
    const id = x.manifest.setId.toUpperCase();
    const { ctx } = await restoreContext(x.profile(), x.setRoot, x.scratch, {
      onJournal: (o) => {
        if (o.name === `RH_${id}_SPACE_1001`) x.server.users.add(o.name);
      },
    });
    const e = (await fails(x.primitive.run(ctx, {}))) as ExpectedError;
    expect(e.code).toBe('ORACLE_IMPORT_FAILED');
    expect(e.message).toContain(`ORA-31684: Object type USER:"RH_${id}_SPACE_1001" already exists`);
  });

  it('stand-in: once the import is done, a refused report query (DBA_OBJECTS) is a warning, not a failed restore', async () => {
    const x = await setup();
    x.server.db.on(RESTORE_SQL.invalid, { error: oraError('ORA-00942: table or view does not exist') });
    const { ctx, rec } = await restoreContext(x.profile(), x.setRoot, inPlace);
    const r = await x.primitive.run(ctx, {});
    expect(r.schemas.map((s) => s.invalid)).toEqual([[], []]);
    expect(rec.warnings).toEqual([
      {
        code: 'ORACLE_REPORT_INCOMPLETE',
        message: 'Listing invalid objects failed: ORA-00942: table or view does not exist',
      },
    ]);
    expect([...x.server.users].sort()).toEqual(LIVE);
  });

  it('stand-in: without DATAPUMP_IMP_FULL_DATABASE the check fails with the GRANT and the run uploads nothing', async () => {
    const x = await setup({ roles: ['DATAPUMP_EXP_FULL_DATABASE'] });
    const checks = await x.primitive.check(await lookContext(x.profile(), x.setRoot, inPlace), {});
    const r = checks.find((c) => c.id === 'oracle.restore.rights');
    expect(r?.status).toBe('failed');
    expect(r?.fix).toBe(
      'As a DBA: GRANT DATAPUMP_IMP_FULL_DATABASE TO BACKUP; (a default role of the login).',
    );
    const { ctx } = await restoreContext(x.profile(), x.setRoot, inPlace);
    const e = (await fails(x.primitive.run(ctx, {}))) as ExpectedError;
    expect(e.code).toBe('ORACLE_RESTORE_PRECONDITION');
    expect(x.server.uploads).toEqual([]);
  });

  it('stand-in: sessions connected to a schema fail the in-place check (Octane must be stopped) and nothing is dropped', async () => {
    const x = await setup({ sessions: { SPACE_1001: 3 } });
    const checks = await x.primitive.check(await lookContext(x.profile(), x.setRoot, inPlace), {});
    const c = checks.find((y) => y.id === 'oracle.restore.schema.SPACE_1001');
    expect(c?.status).toBe('failed');
    expect(c?.message).toContain('3 session(s) are connected as SPACE_1001');
    const { ctx } = await restoreContext(x.profile(), x.setRoot, inPlace);
    await fails(x.primitive.run(ctx, {}));
    expect([...x.server.users].sort()).toEqual(LIVE);
  });

  it("stand-in: a piece already in the DIRECTORY is used when it reads back with the set's SHA-256, and left there", async () => {
    const x = await setup({}, true);
    const before = [...x.server.files.keys()].sort();
    const { ctx, rec } = await restoreContext(x.profile(), x.setRoot, inPlace);
    const r = await x.primitive.run(ctx, {});
    expect(r.staged.map((s) => s.how)).toEqual(['reuse']);
    expect(x.server.uploads).toEqual([]);
    expect(rec.journal.map((j) => j.kind)).toEqual(['oracle-file']);
    expect([...x.server.files.keys()].sort()).toEqual(before);
  });

  it('stand-in: a piece the server stores wrongly fails the read-back; it is removed and no schema is dropped', async () => {
    const x = await setup();
    x.server.db.on(RESTORE_SQL.upload, (c) => {
      const name = bindText(c, 'file_name');
      const blob = (c.binds.data as { blob: Buffer }).blob;
      const prev = c.binds.append === 1 ? (x.server.files.get(name) ?? Buffer.alloc(0)) : Buffer.alloc(0);
      const bad = Buffer.from(blob);
      bad.writeUInt8(bad.readUInt8(0) ^ 1, 0);
      x.server.put(name, Buffer.concat([prev, bad]));
      return {};
    });
    const { ctx } = await restoreContext(x.profile(), x.setRoot, inPlace);
    const e = (await fails(x.primitive.run(ctx, {}))) as ExpectedError;
    expect(e.code).toBe('ORACLE_UPLOAD_MISMATCH');
    expect(e.message).toContain('The live schemas were not changed.');
    expect(x.server.files.size).toBe(0);
    expect([...x.server.users].sort()).toEqual(LIVE);
  });

  it("stand-in: with copyFrom the pieces are copied into the DIRECTORY's folder (hashed, read back) instead of uploaded", async () => {
    const mirror = await tempDir('obm-ora-dpdir-');
    open.push({ close: mirror.cleanup } as Exported);
    const x = await setup({ mirrorDir: mirror.path });
    await rm(join(mirror.path), { recursive: true, force: true });
    await mkdir(mirror.path);
    const { ctx } = await restoreContext(x.profile({ copyFrom: mirror.path }), x.setRoot, inPlace);
    const r = await x.primitive.run(ctx, {});
    expect(r.staged.map((s) => s.how)).toEqual(['copyFrom']);
    expect(x.server.uploads).toEqual([]);
    expect(x.server.imports[0]?.dumps).toEqual(r.staged.map((s) => s.name));
    expect(await readdir(mirror.path)).toEqual([]);
  });

  it("stand-in: a copyFrom that is not the DIRECTORY's folder is noticed; the piece goes up through the connection instead", async () => {
    const elsewhere = await tempDir('obm-ora-not-dpdir-');
    open.push({ close: elsewhere.cleanup } as Exported);
    const x = await setup();
    const { ctx, rec } = await restoreContext(x.profile({ copyFrom: elsewhere.path }), x.setRoot, inPlace);
    const r = await x.primitive.run(ctx, {});
    expect(r.staged.map((s) => s.how)).toEqual(['upload']);
    expect(rec.warnings.map((w) => w.code)).toEqual(['ORACLE_COPYFROM_UNUSABLE']);
    expect(rec.warnings[0]?.message).toContain('does not show it');
    expect(await readdir(elsewhere.path)).toEqual([]);
  });

  it('stand-in: cancel during the import stops the job and drops the scratch schemas', async () => {
    const x = await setup();
    const ac = new AbortController();
    x.server.db.on(SQL.status, () => {
      ac.abort();
      return jobStatus('EXECUTING', 40);
    });
    const { ctx } = await restoreContext(x.profile(), x.setRoot, x.scratch, { signal: ac.signal });
    const e = await fails(x.primitive.run(ctx, {}));
    expect(isAbortError(e)).toBe(true);
    expect(x.server.db.callsTo(SQL.stop).length).toBe(1);
    expect([...x.server.users].sort()).toEqual(LIVE);
    expect(x.server.files.size).toBe(0);
  });

  it('stand-in: cleanup removes exactly the scratch schemas and files a journal lists; a look-alike survives, a live schema is refused', async () => {
    const x = await setup();
    const id = x.manifest.setId.toUpperCase();
    x.server.users.add(`RH_${id}_OCTANE_SITE`).add('RH_0BADC0DE_OCTANE_SITE');
    x.server.put('restore-abc123-x.dmp', Buffer.from('x'));
    const r = await x.primitive.cleanup(await lookContext(x.profile(), x.setRoot, x.scratch), [
      { component: 'database', kind: 'oracle-schema', name: `RH_${id}_OCTANE_SITE` },
      { component: 'database', kind: 'oracle-schema', name: `RH_${id}_SPACE_1001` },
      { component: 'database', kind: 'oracle-schema', name: 'OCTANE_SITE' },
      { component: 'database', kind: 'oracle-file', name: 'restore-abc123-x.dmp' },
    ]);
    expect(r.removed.map((o) => o.name)).toEqual([`RH_${id}_OCTANE_SITE`, 'restore-abc123-x.dmp']);
    expect(r.absent.map((o) => o.name)).toEqual([`RH_${id}_SPACE_1001`]);
    expect(r.failed.map((f) => f.message)).toEqual([
      'OCTANE_SITE is not a rehearsal schema name; it was not touched.',
    ]);
    expect([...x.server.users].sort()).toEqual([...LIVE, 'RH_0BADC0DE_OCTANE_SITE'].sort());
  });
});
