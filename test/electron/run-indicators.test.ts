import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/contract/events.js';
import { RunIndicators } from '../../src-main/electron/run-indicators.js';

const at = '2026-01-01T00:00:00.000Z';
const started = (profile: string): RunEvent =>
  ({
    type: 'run-started',
    at,
    profile,
    kind: 'manual',
    setName: 's',
    setPaths: [],
    steps: [],
  }) as unknown as RunEvent;
const progress = (overall: number): RunEvent =>
  ({
    type: 'step-progress',
    at,
    step: 'repository',
    fraction: overall,
    overall,
    counters: {},
  }) as unknown as RunEvent;

describe('taskbar progress and notification-area icon while backups run', () => {
  it('shows no progress and no icon when nothing runs', () => {
    expect(new RunIndicators().current()).toEqual({ progress: -1 });
  });

  it('follows the overall progress of a run, names it, and clears when it ends', () => {
    const r = new RunIndicators();
    expect(r.event({ jobId: 'a', event: started('nightly') })).toEqual({
      progress: 0,
      tooltip: 'Octane Backup Manager: backing up “nightly” (0 %)',
    });
    expect(r.event({ jobId: 'a', event: progress(0.42) }).progress).toBeCloseTo(0.42);
    expect(r.current().tooltip).toBe('Octane Backup Manager: backing up “nightly” (42 %)');
    expect(r.done({ jobId: 'a', profile: 'nightly', result: { ok: true, value: {} } } as never)).toEqual({
      progress: -1,
    });
  });

  it('averages two runs and ignores progress of a job it never saw start', () => {
    const r = new RunIndicators();
    r.event({ jobId: 'a', event: started('nightly') });
    r.event({ jobId: 'b', event: started('weekly') });
    r.event({ jobId: 'a', event: progress(1) });
    r.event({ jobId: 'zzz', event: progress(0.9) });
    expect(r.current()).toEqual({
      progress: 0.5,
      tooltip: 'Octane Backup Manager: backing up “nightly”, “weekly” (50 %)',
    });
  });
});
