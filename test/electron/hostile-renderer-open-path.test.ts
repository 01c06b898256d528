// shell:open-path called the way a compromised renderer would: shell.openPath runs programs
// (.exe, .bat, .lnk), and the renderer can save a profile with any destination. Only backup set
// folders may be opened; a file inside a set is only shown in its folder; links are refused.
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/contract/profile.js';
import { toResult } from '../../src-main/electron/envelope.js';
import { tempDir } from '../support/temp.js';
import { makeCore } from './core-fixture.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-open-');
});
afterEach(async () => tmp.cleanup());

const SET = '20250310T120000Z-manual-0a1b2c3d';

async function setup() {
  const t = makeCore({ dir: tmp.path });
  // The renderer saves a profile whose destination is a folder of programs.
  const programs = join(tmp.path, 'programs');
  await mkdir(join(programs, 'nightly', SET, 'database'), { recursive: true });
  await writeFile(join(programs, 'evil.sh'), '#!/bin/sh\necho owned\n');
  await chmod(join(programs, 'evil.sh'), 0o755);
  await writeFile(join(programs, 'nightly', SET, 'run.log'), 'log\n');
  // Anyone who can write to the drive can plant these inside a set.
  await writeFile(join(programs, 'nightly', SET, 'database', 'restore.bat'), '@echo owned\r\n');
  await symlink('/usr/bin', join(programs, 'nightly', SET, 'linked'));
  await symlink(
    join(programs, 'nightly', SET),
    join(programs, 'nightly', '20250310T130000Z-manual-ffffffff'),
  );
  // The repository beside the destination, never around it (a destination inside it is refused).
  await mkdir(join(tmp.path, 'repo'));
  const profile: Profile = {
    profile: 'nightly',
    destination: programs,
    repository: { path: join(tmp.path, 'repo') },
  };
  await t.handlers['profiles:save']({ profile });
  return { ...t, programs, set: join(programs, 'nightly', SET) };
}

describe('shell:open-path opens backup set folders only (hostile renderer)', () => {
  it('opens a set folder with openPath', async () => {
    const t = await setup();
    await t.handlers['shell:open-path'](t.set);
    await t.handlers['shell:open-path'](join(t.set, 'database'));
    expect(t.opened).toEqual([t.set, join(t.set, 'database')]);
    expect(t.shown).toEqual([]);
  });

  it('never opens a file: a file inside a set is shown in its folder instead', async () => {
    const t = await setup();
    await t.handlers['shell:open-path'](join(t.set, 'run.log'));
    await t.handlers['shell:open-path'](join(t.set, 'database', 'restore.bat'));
    expect(t.shown).toEqual([join(t.set, 'run.log'), join(t.set, 'database', 'restore.bat')]);
    expect(t.opened).toEqual([]);
  });

  it.each([
    ['a program in the destination', (p: string) => join(p, 'evil.sh'), 'PATH_NOT_ALLOWED'],
    ['the destination itself', (p: string) => p, 'PATH_NOT_ALLOWED'],
    ['the profile folder', (p: string) => join(p, 'nightly'), 'PATH_NOT_ALLOWED'],
    [
      'a path that climbs out of a set',
      (p: string) => join(p, 'nightly', SET) + '/../../evil.sh',
      'PATH_NOT_ALLOWED',
    ],
    ['a system folder', () => '/usr/bin', 'PATH_NOT_ALLOWED'],
    ['a link inside a set', (p: string) => join(p, 'nightly', SET, 'linked'), 'PATH_IS_LINK'],
    [
      'a program through a link inside a set',
      (p: string) => join(p, 'nightly', SET, 'linked', 'sh'),
      'PATH_IS_LINK',
    ],
    [
      'a set folder that is a link',
      (p: string) => join(p, 'nightly', '20250310T130000Z-manual-ffffffff'),
      'PATH_IS_LINK',
    ],
  ])('refuses %s without calling the shell', async (_what, pathOf, code) => {
    const t = await setup();
    const r = await toResult(() => t.handlers['shell:open-path'](pathOf(t.programs)));
    expect(r).toMatchObject({ ok: false, error: { code } });
    expect(t.opened).toEqual([]);
    expect(t.shown).toEqual([]);
  });

  it('refuses what is not a path at all', async () => {
    const t = await setup();
    for (const bad of ['', 42, null, { path: t.set }])
      expect(await toResult(() => t.handlers['shell:open-path'](bad as unknown as string))).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    expect(t.opened).toEqual([]);
  });
});
