// SQL Server restore over the live databases, against the TDS stand-in, from a set the real runner wrote.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
const inPlace = { kind: 'in-place' } as const;

describe('SQL Server restore in place (TDS stand-in)', () => {
  it('TDS stand-in: stages each .bak (re-hashed), checks HEADERONLY/FILELISTONLY, then SINGLE_USER, RESTORE WITH REPLACE, CHECKSUM, STATS = 1, MULTI_USER: the live databases hold the backup again', async () => {
    const b = await setup({
      databases: [
        { name: 'octane_site', usedBytes: 40 * MiB, content: 'site v1', sessions: 2, tables: 12, rows: 3400 },
        { name: 'octane_sp_1001', usedBytes: 120 * MiB, content: 'space v1', tables: 80, rows: 91000 },
      ],
      restoreScripts: { octane_sp_1001: { percents: [5, 50, 100], recoveryMs: 300 } },
    });
    // After the backup users changed both databases; one session is still connected.
    for (const d of b.r.fake.databases) d.content = `${d.name} changed after the set`;
    const { ctx, rec } = await restoreContext(b.profile(), b.setRoot, inPlace);
    const from = b.r.fake.statements().length;
    const result = await createSqlServerRestore().run(ctx, {});
    expect(result.databases.map((d) => [d.target, d.status])).toEqual([
      ['octane_site', 'restored'],
      ['octane_sp_1001', 'restored'],
    ]);
    expect(b.r.fake.databases.map((d) => [d.name, d.content, d.userAccess, d.state])).toEqual([
      ['octane_site', 'site v1', 'MULTI_USER', 'ONLINE'],
      ['octane_sp_1001', 'space v1', 'MULTI_USER', 'ONLINE'],
    ]);
    // Every file of the set staged and inspected before the first live database was touched.
    const sent = b.r.fake
      .statements()
      .slice(from)
      .filter((s) => /^(RESTORE|ALTER)/.test(s));
    const kinds = sent.map((s) => s.split(/ FROM | SET |\[/)[0]?.trim());
    expect(kinds).toEqual([
      'RESTORE HEADERONLY',
      'RESTORE FILELISTONLY',
      'RESTORE HEADERONLY',
      'RESTORE FILELISTONLY',
      'ALTER DATABASE',
      'RESTORE DATABASE',
      'ALTER DATABASE',
      'ALTER DATABASE',
      'RESTORE DATABASE',
      'ALTER DATABASE',
    ]);
    expect(sent[4]).toBe('ALTER DATABASE [octane_site] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;');
    const bakName = `octane_site_${b.manifest.setName}.bak`;
    expect(sent[5]).toBe(
      `RESTORE DATABASE [octane_site] FROM DISK = N'${join(b.r.serverDir, bakName)}' WITH FILE = 1, REPLACE, CHECKSUM, RECOVERY, STATS = 1;`,
    );
    expect(sent[6]).toBe('ALTER DATABASE [octane_site] SET MULTI_USER;');
    // The staged copies were journaled before they existed, and removed at the end.
    expect(rec.journal.map((j) => [j.kind, j.name])).toEqual([
      ['sqlserver-file', join(b.r.serverDir, bakName)],
      ['sqlserver-file', join(b.r.serverDir, `octane_sp_1001_${b.manifest.setName}.bak`)],
    ]);
    expect(await filesIn(b.r.serverDir)).toEqual([]);
    // Progress per percent, then recovery as its own phase, ending at 1.
    const sp = rec.progress.filter((p) => p.message?.includes('octane_sp_1001 (2 of 2)'));
    expect(sp.map((p) => p.message)).toContain('Restoring octane_sp_1001 (2 of 2): 50 %');
    expect(
      rec.progress.some((p) => p.message?.startsWith('Recovering octane_sp_1001 (rolling the log')),
    ).toBe(true);
    expect(monotonic(rec), JSON.stringify(rec.progress.map((p) => [p.fraction.toFixed(4), p.message]))).toBe(
      true,
    );
    expect(result.databases[1]?.recoverySeconds).toBeGreaterThanOrEqual(0.25);
  });

  it('TDS stand-in: plan prints the copies and statements in run order and changes nothing', async () => {
    const b = await setup({
      databases: [{ name: 'octane_site', usedBytes: 10 * MiB, content: 'v1', sessions: 3 }],
    });
    const before = b.r.fake.statements().length;
    const plan = await createSqlServerRestore().plan(await lookContext(b.profile(), b.setRoot, inPlace), {});
    expect(plan.target).toBe('in-place');
    expect(plan.actions.map((a) => [a.kind, a.changes])).toEqual([
      ['copy', true],
      ['sql', false],
      ['sql', false],
      ['check', false],
      ['sql', true],
      ['sql', true],
      ['sql', true],
      ['remove', true],
    ]);
    expect(plan.actions[4]?.text).toBe(
      'ALTER DATABASE [octane_site] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;',
    );
    expect(plan.actions[5]?.text).toMatch(
      /^RESTORE DATABASE \[octane_site\] FROM DISK = N'.*' WITH FILE = 1, REPLACE, CHECKSUM, RECOVERY, STATS = 1;$/,
    );
    expect(plan.notes.join('\n')).toContain('3 other session(s) are connected now');
    expect(plan.notes.join('\n')).toContain('is lost');
    // Only read-only questions reached the server; nothing was staged.
    const asked = b.r.fake.statements().slice(before);
    expect(asked.every((s) => s.startsWith('SET NOCOUNT ON; SELECT'))).toBe(true);
    expect(await filesIn(b.r.serverDir)).toEqual([]);
    expect(b.r.fake.databases[0]?.userAccess ?? 'MULTI_USER').toBe('MULTI_USER');
  });

  it("TDS stand-in: a .bak of the same name already in the server folder is used only when its SHA-256 is the set's; another file there is left alone", async () => {
    const b = await setup(
      { databases: [{ name: 'octane_site', usedBytes: MiB, content: 'v1' }] },
      { keepServerCopies: true },
    );
    const bak = `octane_site_${b.manifest.setName}.bak`;
    const first = await restoreContext(b.profile(), b.setRoot, inPlace);
    await createSqlServerRestore().run(first.ctx, {});
    expect(first.rec.journal).toEqual([]);
    expect(first.rec.statements.some((s) => s.includes('already holds the set'))).toBe(true);
    expect(await filesIn(b.r.serverDir)).toEqual([bak]);

    // Someone overwrote it with something else of the same size: it is neither used nor removed.
    const theirs = Buffer.alloc((await readFile(join(b.r.serverDir, bak))).length, 7);
    await writeFile(join(b.r.serverDir, bak), theirs);
    const second = await restoreContext(b.profile(), b.setRoot, inPlace);
    await createSqlServerRestore().run(second.ctx, {});
    const staged = second.rec.journal[0]?.name ?? '';
    expect(staged).toMatch(/octane_site_.*\.restore-[0-9a-f]{6}\.bak$/);
    const restore = b.r.fake.restores.at(-1);
    expect(restore?.serverFile).toBe(staged);
    expect(await filesIn(b.r.serverDir)).toEqual([bak]);
    expect((await readFile(join(b.r.serverDir, bak))).equals(theirs)).toBe(true);
  });

  it('TDS stand-in: DBCC CHECKDB after an in-place restore when asked', async () => {
    const b = await setup({ databases: [{ name: 'octane_site', usedBytes: MiB }] });
    const { ctx } = await restoreContext(b.profile(), b.setRoot, inPlace);
    const result = await createSqlServerRestore().run(ctx, { checkDb: 'physical-only' });
    expect(result.databases[0]?.checkDb).toBe('passed');
    expect(b.r.fake.statements()).toContain(
      'DBCC CHECKDB ([octane_site]) WITH NO_INFOMSGS, ALL_ERRORMSGS, PHYSICAL_ONLY;',
    );
    expect(existsSync(join(b.r.serverDir, `octane_site_${b.manifest.setName}.bak`))).toBe(false);
  });
});
