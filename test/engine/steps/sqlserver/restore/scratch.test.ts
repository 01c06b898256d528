// SQL Server rehearsal (scratch target) against the TDS stand-in: scratch names, MOVE of every
// file, CHECKDB, totals, DROP — and cleanup of exactly what a journal lists.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExpectedError } from '../../../../../src-main/engine/errors.js';
import { isAbortError } from '../../../../../src-main/engine/errors.js';
import { createSqlServerRestore } from '../../../../../src-main/engine/steps/sqlserver/restore/index.js';
import { lookContext, monotonic, restoreContext } from '../../restore/context.js';
import { backedUp, filesIn, MiB, type BackedUp } from './restore-rig.js';

let open: BackedUp[] = [];
afterEach(async () => {
  for (const b of open) await b.close();
  open = [];
});
async function setup(...a: Parameters<typeof backedUp>): Promise<BackedUp> {
  const b = await backedUp(...a);
  open.push(b);
  return b;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe('SQL Server rehearsal (TDS stand-in)', () => {
  it('TDS stand-in: each database is restored as <db>__rehearsal_<set id> with every file moved into the rehearsal folder, checked, counted and dropped; the live database is untouched', async () => {
    const b = await setup({
      databases: [
        {
          name: 'octane_site',
          usedBytes: 8 * MiB,
          content: 'site v1',
          tables: 14,
          rows: 5120,
          files: [
            {
              logicalName: 'octane_site',
              physicalName: 'D:\\Data\\octane_site.mdf',
              type: 'D',
              sizeBytes: 8 * MiB,
            },
            {
              logicalName: 'octane_site_2',
              physicalName: 'D:\\Data\\octane_site_2.ndf',
              type: 'D',
              sizeBytes: MiB,
            },
            {
              logicalName: 'octane_site_log',
              physicalName: 'L:\\Log\\octane_site_log.ldf',
              type: 'L',
              sizeBytes: 2 * MiB,
            },
          ],
        },
      ],
    });
    const live = b.r.fake.databases[0];
    if (live) live.content = 'site changed after the set';
    const id = b.manifest.setId;
    const scratchName = `octane_site__rehearsal_${id}`;
    const seen: string[] = [];
    const { ctx, rec } = await restoreContext(b.profile(), b.setRoot, b.scratch, {
      // The journal must hold the scratch database before the server is asked to create it.
      onJournal: (o) => {
        if (o.kind === 'sqlserver-database') seen.push(...b.r.fake.databases.map((d) => d.name));
      },
    });
    const result = await createSqlServerRestore().run(ctx, { checkDb: 'physical-only' });
    expect(rec.journal.map((j) => [j.kind, j.name])).toContainEqual(['sqlserver-database', scratchName]);
    expect(seen).toEqual(['octane_site']);
    expect(result.databases).toEqual([
      expect.objectContaining({
        source: 'octane_site',
        target: scratchName,
        status: 'restored',
        checkDb: 'passed',
        tables: 14,
        rows: 5120,
      }),
    ]);
    const restore = b.r.fake.restores.at(-1);
    expect(restore?.statement).toBe(
      `RESTORE DATABASE [${scratchName}] FROM DISK = N'${restore?.serverFile}' WITH FILE = 1, CHECKSUM, ` +
        `MOVE N'octane_site' TO N'S:\\Rehearsal\\${scratchName}_1.mdf', ` +
        `MOVE N'octane_site_2' TO N'S:\\Rehearsal\\${scratchName}_2.ndf', ` +
        `MOVE N'octane_site_log' TO N'S:\\Rehearsal\\${scratchName}_3.ldf', RECOVERY, STATS = 1;`,
    );
    expect(restore?.statement).not.toContain('REPLACE');
    expect(b.r.fake.statements()).toContain(
      `DBCC CHECKDB ([${scratchName}]) WITH NO_INFOMSGS, ALL_ERRORMSGS, PHYSICAL_ONLY;`,
    );
    expect(b.r.fake.statements()).toContain(`DROP DATABASE [${scratchName}];`);
    // Nothing left, nothing live touched.
    expect(b.r.fake.databases.map((d) => [d.name, d.content])).toEqual([
      ['octane_site', 'site changed after the set'],
    ]);
    expect(await filesIn(b.r.serverDir)).toEqual([]);
    expect(monotonic(rec)).toBe(true);
  });

  it('TDS stand-in: plan and checks of a rehearsal: scratch names, rehearsal folder, free space against the recorded file sizes', async () => {
    const b = await setup({
      databases: [{ name: 'octane_site', usedBytes: 300 * MiB }],
      volumes: [
        { mountPoint: 'D:\\', availableBytes: 10 * 1024 * MiB },
        { mountPoint: 'S:\\', availableBytes: 200 * MiB },
      ],
    });
    const look = await lookContext(b.profile(), b.setRoot, b.scratch);
    const plan = await createSqlServerRestore().plan(look, {});
    expect(plan.target).toBe('scratch');
    const texts = plan.actions.map((a) => a.text ?? '');
    expect(
      texts.some((t) =>
        t.startsWith(
          `DBCC CHECKDB ([octane_site__rehearsal_${b.manifest.setId}]) WITH NO_INFOMSGS, ALL_ERRORMSGS;`,
        ),
      ),
    ).toBe(true);
    expect(texts.at(-2)).toBe(`DROP DATABASE [octane_site__rehearsal_${b.manifest.setId}];`);
    const checks = await createSqlServerRestore().check(look, {});
    const space = checks.find((c) => c.id === 'sqlserver.restore.space.S:\\');
    expect(space?.status).toBe('failed');
    // 300 MiB data + 75 MiB log, both into S:\Rehearsal.
    expect(space?.message).toBe('The restored files need 375 MiB on S:\\; only 200 MiB are free.');
    expect(checks.find((c) => c.id === 'sqlserver.restore.scratch-folder')?.status).toBe('ok');
    // The run refuses before it copies or creates anything.
    const { ctx, rec } = await restoreContext(b.profile(), b.setRoot, b.scratch);
    const e = await failure(createSqlServerRestore().run(ctx, {}));
    expect((e as ExpectedError).code).toBe('SQLSERVER_RESTORE_PRECONDITION');
    expect(e.message).toContain('Nothing was restored.');
    expect(rec.journal).toEqual([]);
    expect(b.r.fake.restores).toEqual([]);
  });

  it('TDS stand-in: a database already named like the scratch database fails the check and is never touched', async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const lookalike = `octane_site__rehearsal_${b.manifest.setId}`;
    b.r.fake.databases.push({ name: lookalike, usedBytes: MiB, content: 'somebody else' });
    const checks = await createSqlServerRestore().check(
      await lookContext(b.profile(), b.setRoot, b.scratch),
      {},
    );
    const c = checks.find((x) => x.id === `sqlserver.restore.target.${lookalike}`);
    expect(c?.status).toBe('failed');
    expect(c?.message).toContain('never touches a database it did not create');
    const { ctx } = await restoreContext(b.profile(), b.setRoot, b.scratch);
    await failure(createSqlServerRestore().run(ctx, {}));
    expect(b.r.fake.databases.find((d) => d.name === lookalike)?.content).toBe('somebody else');
  });

  it('TDS stand-in: CHECKDB finding corruption fails the rehearsal in plain words and the scratch database is still dropped', async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const name = `octane_site__rehearsal_${b.manifest.setId}`;
    b.r.fake.script({
      checkDbErrors: {
        [name.toLowerCase()]: [
          {
            number: 8928,
            message:
              'Object ID 2105058535, index ID 0, partition ID 72057594038779904: Page (1:94299) could not be processed.',
          },
          {
            number: 8989,
            message: `CHECKDB found 0 allocation errors and 1 consistency errors in database '${name}'.`,
          },
        ],
      },
    });
    const { ctx } = await restoreContext(b.profile(), b.setRoot, b.scratch);
    const e = (await failure(createSqlServerRestore().run(ctx, {}))) as ExpectedError;
    expect(e.code).toBe('SQLSERVER_CHECKDB_FAILED');
    expect(e.message).toContain('CHECKDB found 0 allocation errors and 1 consistency errors');
    expect(e.fix).toContain('take a new backup');
    expect(b.r.fake.databases.map((d) => d.name)).toEqual(['octane_site']);
  });

  it('TDS stand-in: cancel during the restore stops it on the server, drops the half-restored scratch database and says so', async () => {
    const ac = new AbortController();
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const name = `octane_site__rehearsal_${b.manifest.setId}`;
    b.r.fake.script({
      restoreScripts: { [name.toLowerCase()]: { hangAfterPercent: 30, onHang: () => ac.abort() } },
    });
    const { ctx } = await restoreContext(b.profile(), b.setRoot, b.scratch, { signal: ac.signal });
    const e = await failure(createSqlServerRestore().run(ctx, {}));
    expect(isAbortError(e)).toBe(true);
    expect(e.message).toContain(`Failed: ${name}`);
    expect(b.r.fake.tds.attentions).toBeGreaterThan(0);
    expect(b.r.fake.databases.map((d) => d.name)).toEqual(['octane_site']);
    expect(await filesIn(b.r.serverDir)).toEqual([]);
  });

  it('TDS stand-in: cleanup drops exactly the rehearsal databases a journal lists; a look-alike it does not list survives, a live name is refused', async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const listed = `octane_site__rehearsal_${b.manifest.setId}`;
    const lookalike = 'octane_site__rehearsal_0badc0de';
    b.r.fake.databases.push(
      { name: listed, usedBytes: MiB, state: 'RESTORING' },
      { name: lookalike, usedBytes: MiB },
    );
    const look = await lookContext(b.profile(), b.setRoot, b.scratch);
    const gone = `octane_sp_9__rehearsal_${b.manifest.setId}`;
    const r = await createSqlServerRestore().cleanup(look, [
      { component: 'database', kind: 'sqlserver-database', name: listed },
      { component: 'database', kind: 'sqlserver-database', name: gone },
      { component: 'database', kind: 'sqlserver-database', name: 'octane_site' },
    ]);
    expect(r.removed.map((o) => o.name)).toEqual([listed]);
    expect(r.absent.map((o) => o.name)).toEqual([gone]);
    expect(r.failed.map((f) => f.message)).toEqual([
      'octane_site is not a rehearsal database name; it was not touched.',
    ]);
    expect(b.r.fake.databases.map((d) => d.name)).toEqual(['octane_site', lookalike]);
  });
});
