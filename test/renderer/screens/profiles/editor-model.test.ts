import { describe, expect, it } from 'vitest';
import {
  draftProfile,
  draftVolumes,
  editorFromRecord,
  newEditorState,
  problemText,
  setIn,
} from '../../../../src-renderer/src/screens/profiles/editor-model.js';

describe('profile form model', () => {
  it('sends only the included sections, without empty values, with the retention proposed for a new profile', () => {
    let s = newEditorState();
    s = {
      ...s,
      profile: setIn(setIn(s.profile, 'profile', 'nightly'), 'repository.path', '/repo'),
      enabled: { database: false, elasticsearch: false, repository: true },
    };
    s = { ...s, profile: setIn(s.profile, 'destination', '/dest') };
    expect(draftProfile(s)).toEqual({
      profile: 'nightly',
      destination: '/dest',
      skewToleranceSeconds: 900,
      repository: { path: '/repo', format: 'tar.gz', compression: 'fast' },
      retention: { keepLast: 7, pruneAfterRun: true },
    });
  });

  it('drops a rotation emptied in the form, keeps one with an option but no drive (so validation names the drives)', () => {
    const s = newEditorState();
    const emptied = setIn(setIn(s.profile, 'rotation.drives', []), 'rotation.keepLast', undefined);
    expect(emptied.rotation).toEqual({ drives: [] });
    expect(draftProfile({ ...s, profile: emptied }).rotation).toBeUndefined();
    const blankName = setIn(s.profile, 'rotation.drives', [{ id: 'aaaa', name: '' }]);
    expect(draftProfile({ ...s, profile: blankName }).rotation).toEqual({ drives: [{ id: 'aaaa' }] });
    const optionOnly = setIn(s.profile, 'rotation.warnAfterDays', 7);
    expect(draftProfile({ ...s, profile: optionOnly }).rotation).toEqual({ warnAfterDays: 7 });
  });

  it('keeps required keys present (even empty) so validation can name them', () => {
    const p = draftProfile(newEditorState());
    expect(p.profile).toBe('');
    expect(p.destination).toBe('');
    expect(p.database).toEqual({ engine: 'sqlserver' });
  });

  it('drops per-component destinations unless that option is on, and bindings of unused slots', () => {
    let s = newEditorState();
    s = {
      ...s,
      profile: setIn(s.profile, 'destinations.database', '/db'),
      volumes: { default: null, database: { volumeId: 'v', relativePath: '', lastRoot: '/db' } },
    };
    expect(draftProfile(s).destinations).toBeUndefined();
    expect(draftVolumes(s)).toEqual({ default: null, database: null });
    s = { ...s, perComponent: true };
    expect(draftProfile(s).destinations).toEqual({ database: '/db' });
    expect(draftVolumes(s).database).toEqual({ volumeId: 'v', relativePath: '', lastRoot: '/db' });
  });

  it('opens a stored profile with its sections switched on or off', () => {
    const s = editorFromRecord({
      profile: { profile: 'p', destination: '/d', repository: { path: '/r' } },
      secrets: {
        databasePassword: false,
        elasticsearchPassword: true,
        elasticsearchApiKey: false,
        smtpPassword: false,
        sealKey: false,
      },
      volumes: {},
      updatedAt: '',
    });
    expect(s.enabled).toEqual({ database: false, elasticsearch: false, repository: true });
    // No retention proposed for a stored profile: without rules it keeps meaning "keep every set".
    expect(draftProfile(s)).toEqual({ profile: 'p', destination: '/d', repository: { path: '/r' } });
    expect(setIn({ a: { b: 1, c: 2 } }, 'a.b', undefined)).toEqual({ a: { c: 2 } });
  });
});

describe('problems listed apart from the fields', () => {
  it('name the setting by its schema label and its key', () => {
    expect(
      problemText({
        key: 'repository.allowEmpty',
        message: 'must be true or false.',
        label: 'The repository folder may be empty',
      }),
    ).toBe('The repository folder may be empty (repository.allowEmpty): must be true or false.');
    expect(
      problemText({ key: '(root)', message: 'configure at least one of database.', label: 'Profile' }),
    ).toBe('Profile: configure at least one of database.');
    // An unknown key is its own label; a refusal from elsewhere may carry no label.
    expect(problemText({ key: 'colour', message: 'is not a known setting.', label: 'colour' })).toBe(
      'colour: is not a known setting.',
    );
    expect(problemText({ key: 'profile', message: 'is already used by another profile.' })).toBe(
      'profile: is already used by another profile.',
    );
  });
});
