// profile.rotation (issue 18): drives by their marker id, a folder below each drive's root, and the
// settings of the copy after each run / on connection. Each refusal says what is wrong in plain words.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  validateProfile,
  type ConfigProblem,
} from '../../src-main/engine/config/validate-profile.js';

const base = {
  profile: 'nightly',
  destination: 'D:\\OctaneBackups',
  repository: { path: 'C:\\octane\\repo' },
};
const A = '1b0c7a52-3f7e-4d8e-9a51-0d7c1b2e4f60';
const B = '8d2f1e00-5a6b-4c3d-8e9f-0a1b2c3d4e5f';

function problems(input: unknown): [string, string][] {
  try {
    validateProfile(input, { platform: 'win32' });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p: ConfigProblem) => [p.key, p.message]);
    throw err;
  }
}

describe('profile.rotation', () => {
  it('accepts two named drives with every setting', () => {
    const rotation = {
      drives: [{ id: A, name: 'Offsite A' }, { id: B }],
      folder: 'Backups/Octane',
      keepLast: 3,
      warnAfterDays: 8,
      exportAfterRun: true,
      whenConnected: 'export',
      minIntervalHours: 12,
      eject: true,
    };
    expect(problems({ ...base, rotation })).toEqual([]);
    expect(validateProfile({ ...base, rotation }, { platform: 'win32' }).rotation).toEqual(rotation);
  });

  it('refuses the same drive named twice (ids compare without case)', () => {
    expect(problems({ ...base, rotation: { drives: [{ id: A }, { id: A.toUpperCase() }] } })).toEqual([
      ['rotation.drives', 'names the same drive twice.'],
    ]);
  });

  it('refuses an empty list of drives, a folder that leaves the drive, and an unknown action', () => {
    const got = problems({
      ...base,
      rotation: { drives: [], folder: '../elsewhere', whenConnected: 'restore' },
    });
    expect(got.map(([k]) => k).sort()).toEqual([
      'rotation.drives',
      'rotation.folder',
      'rotation.whenConnected',
    ]);
    expect(Object.fromEntries(got)['rotation.drives']).toMatch(/non-empty list/);
    expect(Object.fromEntries(got)['rotation.folder']).toMatch(/folder below the drive root/);
  });

  it('refuses an absolute folder and a drive without an id', () => {
    const got = Object.fromEntries(
      problems({ ...base, rotation: { drives: [{ name: 'x' }], folder: 'E:\\x' } }),
    );
    expect(Object.keys(got).sort()).toEqual(['rotation.drives', 'rotation.folder']);
  });
});
