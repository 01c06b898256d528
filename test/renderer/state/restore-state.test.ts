import { describe, expect, it } from 'vitest';
import type { RestoreEvent, RestoreReport } from '../../../src-main/contract/restore-run.js';
import {
  applyRestoreDone,
  applyRestoreEvent,
  cancelText,
  initialRestore,
  RESTORE_LOG_LINES_KEPT,
  type RestoreView,
} from '../../../src-renderer/src/state/restore-state.js';

const AT = '2026-03-02T08:00:00.000Z';
const ev = (e: Record<string, unknown>): RestoreEvent =>
  ({ restoreId: 'r', at: AT, ...e }) as unknown as RestoreEvent;
const apply = (v: RestoreView, ...es: Record<string, unknown>[]): RestoreView =>
  es.reduce((acc, e) => applyRestoreEvent(acc, ev(e)), v);

const started = {
  type: 'restore-started',
  profile: 'octane-prod',
  setName: 'S',
  setPath: '/b/S',
  stages: [
    { id: 'database', title: 'Database (SQL Server: octane_site)', selected: true },
    { id: 'elasticsearch', title: 'Elasticsearch indices', selected: false },
    { id: 'config', title: "Octane's config files", selected: false },
    { id: 'repository', title: 'Repository folder', selected: true },
  ],
};

describe('the restore as the wizard shows it', () => {
  it('follows the stages: chosen ones, progress (never going back overall), the measured time and state at the end', () => {
    const v = apply(
      initialRestore('j1'),
      started,
      { type: 'stage-started', stage: 'database', title: 'Database (SQL Server: octane_site)' },
      { type: 'stage-progress', stage: 'database', fraction: 0.5, overall: 0.4, counters: { bytesDone: 5 } },
      { type: 'stage-progress', stage: 'database', fraction: 0.6, overall: 0.3, counters: { bytesDone: 6 } },
      {
        type: 'stage-finished',
        stage: 'database',
        status: 'succeeded',
        durationMs: 1234,
        state: 'Restored.',
      },
    );
    expect(v.profile).toBe('octane-prod');
    expect(v.stages.map((s) => [s.id, s.selected, s.status])).toEqual([
      ['database', true, 'succeeded'],
      ['elasticsearch', false, 'pending'],
      ['config', false, 'pending'],
      ['repository', true, 'pending'],
    ]);
    expect(v.overall).toBe(0.4);
    expect(v.stages[0]).toMatchObject({
      fraction: 1,
      durationMs: 1234,
      state: 'Restored.',
      counters: { bytesDone: 6 },
    });
  });

  it(`keeps the last ${RESTORE_LOG_LINES_KEPT} log lines`, () => {
    let v = initialRestore('j1');
    for (let i = 0; i < RESTORE_LOG_LINES_KEPT + 5; i++)
      v = apply(v, { type: 'log', level: 'info', message: `line ${i}` });
    expect(v.logs).toHaveLength(RESTORE_LOG_LINES_KEPT);
    expect(v.logs[0]?.message).toBe('line 5');
    expect(v.logs.at(-1)?.message).toBe(`line ${RESTORE_LOG_LINES_KEPT + 4}`);
  });

  it('says what a cancel leaves: the running stage in its own words, the stages done, those not touched', () => {
    const v = apply(
      initialRestore('j1'),
      started,
      { type: 'stage-started', stage: 'database', title: 'Database' },
      { type: 'stage-finished', stage: 'database', status: 'succeeded', state: 'Restored.' },
      { type: 'stage-started', stage: 'repository', title: 'Repository folder' },
      {
        type: 'stage-progress',
        stage: 'repository',
        fraction: 0.2,
        overall: 0.7,
        counters: {},
        leaves:
          'The repository folder holds a partial restore; the previous one is kept at /r.before-restore-X.',
      },
    );
    expect(cancelText(v)).toBe(
      'The repository folder holds a partial restore; the previous one is kept at /r.before-restore-X. Already restored from the set and kept: the database. Keep Octane stopped until the restore has been run again to the end.',
    );
  });

  it('ends with the report, or with why the restore failed outside any stage', () => {
    const report = { status: 'succeeded', stages: [] } as unknown as RestoreReport;
    const ok = applyRestoreDone(initialRestore('j1'), {
      jobId: 'j1',
      profile: 'p',
      result: { ok: true, value: report },
    });
    expect(ok).toMatchObject({ done: true, report });
    const failed = applyRestoreDone(initialRestore('j1'), {
      jobId: 'j1',
      profile: 'p',
      result: { ok: false, error: { code: 'RESTORE_LOCKED', message: 'A backup runs.' } },
    });
    expect(failed).toMatchObject({ done: true, error: { code: 'RESTORE_LOCKED' } });
    expect(failed.report).toBeUndefined();
  });
});
