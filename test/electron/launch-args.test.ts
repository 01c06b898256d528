import { describe, expect, it } from 'vitest';
import { EXIT_CODES, exitCodeForStatus } from '../../src-main/contract/errors.js';
import type { RunStatus } from '../../src-main/contract/events.js';
import { exitCodeForStartError, parseLaunchArgs } from '../../src-main/electron/launch-args.js';

const exe = ['C:\\Program Files\\Octane Backup Manager\\Octane Backup Manager.exe'];

describe('how the executable was started', () => {
  it('opens the window without --run, ignoring Chromium and dev-server arguments', () => {
    expect(parseLaunchArgs(exe)).toEqual({ mode: 'window' });
    expect(parseLaunchArgs(['/usr/bin/electron', '.', '--no-sandbox', '--inspect=5858'])).toEqual({
      mode: 'window',
    });
  });

  it('runs headless with --run <profile>, as a scheduled backup by default', () => {
    expect(parseLaunchArgs([...exe, '--run', 'nightly'])).toEqual({
      mode: 'headless',
      profile: 'nightly',
      kind: 'scheduled',
    });
    expect(parseLaunchArgs([...exe, '--run=site A', '--kind=manual'])).toEqual({
      mode: 'headless',
      profile: 'site A',
      kind: 'manual',
    });
  });

  it('reads the command the scheduler writes (--run <profile> --kind scheduled)', () => {
    expect(parseLaunchArgs([...exe, '--run', 'nightly', '--kind', 'scheduled', '--no-sandbox'])).toEqual({
      mode: 'headless',
      profile: 'nightly',
      kind: 'scheduled',
    });
  });

  it('takes a label for a pre-upgrade dump and refuses one without', () => {
    expect(
      parseLaunchArgs([...exe, '--run', 'nightly', '--kind', 'pre-upgrade', '--label', 'before 25.1']),
    ).toEqual({
      mode: 'headless',
      profile: 'nightly',
      kind: 'pre-upgrade',
      label: 'before 25.1',
    });
    expect(parseLaunchArgs([...exe, '--run', 'nightly', '--kind', 'pre-upgrade'])).toMatchObject({
      mode: 'invalid',
      exitCode: 2,
    });
  });

  it('answers bad input with exit code 2 and plain words', () => {
    expect(parseLaunchArgs([...exe, '--run'])).toEqual({
      mode: 'invalid',
      exitCode: 2,
      message: '--run needs the name of a profile, e.g. --run nightly.',
    });
    expect(parseLaunchArgs([...exe, '--run', 'x', '--kind', 'weekly'])).toEqual({
      mode: 'invalid',
      exitCode: 2,
      message: '--kind must be one of manual, scheduled, pre-upgrade (got "weekly").',
    });
    expect(parseLaunchArgs([...exe, '--run', 'x', '--run', 'y'])).toMatchObject({
      mode: 'invalid',
      message: '--run is given twice.',
    });
    expect(parseLaunchArgs([...exe, '--kind', 'manual'])).toMatchObject({ mode: 'invalid', exitCode: 2 });
  });

  it('maps run statuses to the one set of exit codes the CLI uses too (0/1/130)', () => {
    const statuses: RunStatus[] = ['succeeded', 'succeeded-with-warnings', 'failed', 'cancelled'];
    expect(statuses.map(exitCodeForStatus)).toEqual([0, 0, 1, 130]);
  });

  it('maps a run that could not start: bad input is 2, anything else 1', () => {
    expect(exitCodeForStartError('PROFILE_NOT_FOUND')).toBe(EXIT_CODES.badInput);
    expect(exitCodeForStartError('CONFIG_INVALID')).toBe(EXIT_CODES.badInput);
    expect(exitCodeForStartError('VOLUME_NOT_CONNECTED')).toBe(EXIT_CODES.failed);
    expect(exitCodeForStartError('PROFILE_LOCKED')).toBe(EXIT_CODES.failed);
  });
});
