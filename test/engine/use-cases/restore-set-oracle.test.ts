// The whole-set restore use-case with an Oracle database, through the Oracle driver stand-in (a
// scripted connection answering the PL/SQL the real code sends): the set exported by the real
// runner, then restored in place — verified first, the dump uploaded, the schemas dropped, one
// Data Pump import job — and an import whose log holds ORA errors failing the restore plainly.
import { afterEach, describe, expect, it } from 'vitest';
import type { RestoreEvent } from '../../../src-main/contract/restore-run.js';
import type { OracleConfig, Profile } from '../../../src-main/contract/profile.js';
import { restoreSet } from '../../../src-main/engine/use-cases/restore-set.js';
import { SQL } from '../../support/oracle/healthy-server.js';
import { jobStatus, RESTORE_SQL } from '../../support/oracle/restoring-server.js';
import { TEST_PASSWORD } from '../../support/oracle/run-oracle.js';
import { exported, type Exported } from '../steps/oracle/restore/rig.js';

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
const signal = (): AbortSignal => new AbortController().signal;
/** The profile as the CLI reads it: the password from the environment variable it names. */
function target(x: Exported): { profile: Profile; env: NodeJS.ProcessEnv } {
  const p = x.profile();
  const { password: _p, ...database } = p.database as OracleConfig;
  return { profile: { ...p, database }, env: { OCTANE_TEST_ORACLE_PASSWORD: TEST_PASSWORD } };
}

describe('restoreSet with Oracle (Oracle driver stand-in)', () => {
  it('Oracle stand-in: verifies the set, uploads the dump, drops the schemas and imports them in one job, and writes the report with the measured time', async () => {
    const x = await setup();
    x.server.db.on(SQL.status, jobStatus('EXECUTING', 40), jobStatus('COMPLETED', 100));
    const events: RestoreEvent[] = [];
    const out = await restoreSet(
      {
        setPath: x.setRoot,
        ...target(x),
        signal: signal(),
        only: ['database'],
        octaneStopped: true,
        onEvent: (e) => events.push(e),
      },
      { factories: { oracle: () => x.primitive } },
    );
    expect(out.started, JSON.stringify(out.started ? '' : [out.readiness?.problems, out.error])).toBe(true);
    if (!out.started) return;
    expect(out.preparation.verify.verdict).toBe('intact-partial');
    const db = out.report.stages.find((s) => s.id === 'database');
    expect(db?.status, JSON.stringify(db?.error)).toBe('succeeded');
    expect(db?.durationMs).toBeGreaterThan(0);
    expect(x.server.imports).toHaveLength(1);
    expect(x.server.imports[0]?.schemas).toEqual(['OCTANE_SITE', 'SPACE_1001']);
    expect([...x.server.users].sort()).toEqual(['OCTANE_SITE', 'SPACE_1001']);
    const calls = x.server.db.calls.map((c) => c.sql);
    const lastDrop = calls.findLastIndex((s) => RESTORE_SQL.dropUser.test(s));
    expect(lastDrop).toBeGreaterThan(calls.findIndex((s) => RESTORE_SQL.upload.test(s)));
    expect(calls.findIndex((s) => RESTORE_SQL.importOpen.test(s))).toBeGreaterThan(lastDrop);
    // What the restore staged in the DIRECTORY is gone again.
    expect(x.server.files.size).toBe(0);
    expect(events.some((e) => e.type === 'stage-progress' && e.stage === 'database')).toBe(true);
    expect(out.report.reportPath).toMatch(/restore-reports\/.*\.json$/);
  });

  it('Oracle stand-in: an import that completes with ORA errors in its log fails the restore, naming the errors and the schemas dropped', async () => {
    const x = await setup({
      importLog: [
        'ORA-39083: Object type OBJECT_GRANT failed to create with error:',
        'ORA-01917: user or role "OCTANE_REPORTS" does not exist',
      ],
    });
    const out = await restoreSet(
      { setPath: x.setRoot, ...target(x), signal: signal(), only: ['database'], octaneStopped: true },
      { factories: { oracle: () => x.primitive } },
    );
    expect(out.started, JSON.stringify(out.started ? '' : [out.readiness?.problems, out.error])).toBe(true);
    if (!out.started) return;
    expect(out.report.status).toBe('failed');
    const db = out.report.stages.find((s) => s.id === 'database');
    expect(db?.status).toBe('failed');
    expect(db?.error?.code).toBe('ORACLE_IMPORT_FAILED');
    expect(db?.error?.message).toContain('ORA-39083');
    expect(db?.error?.message).toContain('Dropped before the failure: OCTANE_SITE, SPACE_1001');
    expect(out.report.nextSteps[0]).toMatch(/^Keep Octane stopped: the database is not restored/);
  });
});
