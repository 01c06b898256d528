import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src-main/contract/events.js';
import {
  applyRunDone,
  applyRunEvent,
  initialRun,
  isRunning,
  LOG_LINES_KEPT,
} from '../../../src-renderer/src/state/run-state.js';

const job = {
  jobId: 'j1',
  profile: 'nightly',
  kind: 'manual' as const,
  startedAt: '2026-01-01T00:00:00.000Z',
};
const base = { runId: 'r1', at: '2026-01-01T00:00:01.000Z' };
const started: RunEvent = {
  ...base,
  type: 'run-started',
  profile: 'nightly',
  kind: 'manual',
  setName: 'S',
  setPaths: ['/d/S'],
  steps: [
    { id: 'database', title: 'SQL Server database', weight: 1, enabled: true },
    { id: 'elasticsearch', title: 'elasticsearch', weight: 0, enabled: false },
    { id: 'repository', title: 'Repository folder', weight: 1, enabled: true },
  ],
};

describe('run view from the engine events', () => {
  it('follows the steps in order: started, progress with counters, finished', () => {
    let v = applyRunEvent(initialRun(job), started);
    expect(v.steps.map((s) => [s.id, s.title, s.enabled])).toEqual([
      ['database', 'SQL Server database', true],
      ['elasticsearch', 'Elasticsearch', false],
      ['repository', 'Repository folder', true],
    ]);
    v = applyRunEvent(v, { ...base, type: 'step-started', step: 'database', title: 'SQL Server database' });
    v = applyRunEvent(v, {
      ...base,
      at: '2026-01-01T00:00:05.000Z',
      type: 'step-progress',
      step: 'database',
      fraction: 0.4,
      overall: 0.2,
      counters: { bytesDone: 40, bytesTotal: 100, activity: 'BACKUP DATABASE [octane_site]' },
    });
    expect(v.steps[0]).toMatchObject({
      status: 'running',
      fraction: 0.4,
      lastActivityAt: '2026-01-01T00:00:05.000Z',
      counters: { activity: 'BACKUP DATABASE [octane_site]' },
    });
    expect(v.overall).toBe(0.2);
    v = applyRunEvent(v, { ...base, type: 'step-warning', step: 'database', code: 'W', message: 'careful' });
    v = applyRunEvent(v, {
      ...base,
      type: 'step-finished',
      step: 'database',
      status: 'succeeded-with-warnings',
      artifacts: 2,
      bytes: 100,
    });
    expect(v.steps[0]).toMatchObject({
      status: 'succeeded-with-warnings',
      fraction: 1,
      artifacts: 2,
      bytes: 100,
      warnings: [{ code: 'W', message: 'careful' }],
    });
    v = applyRunEvent(v, {
      ...base,
      type: 'step-finished',
      step: 'elasticsearch',
      status: 'skipped',
      artifacts: 0,
      bytes: 0,
    });
    expect(v.steps[1]?.status).toBe('skipped');
    expect(isRunning(v)).toBe(true);
  });

  it('never moves the overall bar backwards and keeps it where a cancelled run stopped', () => {
    let v = applyRunEvent(initialRun(job), started);
    v = applyRunEvent(v, {
      ...base,
      type: 'step-progress',
      step: 'repository',
      fraction: 0.5,
      overall: 0.7,
      counters: {},
    });
    v = applyRunEvent(v, {
      ...base,
      type: 'step-progress',
      step: 'repository',
      fraction: 0.5,
      overall: 0.6,
      counters: {},
    });
    expect(v.overall).toBe(0.7);
    v = applyRunEvent(v, {
      ...base,
      type: 'run-finished',
      status: 'cancelled',
      setName: 'S',
      setPaths: ['/d/S'],
      manifestPaths: [],
      skew: { toleranceSeconds: 900, clock: 'local' },
      warnings: 0,
    });
    expect(v.overall).toBe(0.7);
    expect(v.finished?.status).toBe('cancelled');
  });

  it(`keeps the last ${LOG_LINES_KEPT} log lines`, () => {
    let v = initialRun(job);
    for (let i = 0; i < LOG_LINES_KEPT + 20; i++)
      v = applyRunEvent(v, { ...base, type: 'log', level: 'info', message: `line ${i}` });
    expect(v.logs).toHaveLength(LOG_LINES_KEPT);
    expect(v.logs[0]?.message).toBe('line 20');
    expect(v.logs.at(-1)?.message).toBe(`line ${LOG_LINES_KEPT + 19}`);
  });

  it('ends when main sends the outcome', () => {
    const v = applyRunDone(initialRun(job), {
      jobId: 'j1',
      profile: 'nightly',
      result: { ok: false, error: { code: 'VOLUME_NOT_CONNECTED', message: 'm' } },
    });
    expect(isRunning(v)).toBe(false);
  });
});
