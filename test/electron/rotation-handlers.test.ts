// The app's side of drive rotation (issue 18), over the real handlers with a real exFAT image
// carrying a drive marker: rotation:status and the Overview say which drive is connected, which
// was never seen and which to plug next; drives:eject unmounts only a drive the computer lists.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../src-main/contract/ipc.js';
import type { Profile } from '../../src-main/contract/profile.js';
import { ensureVolumeMarker } from '../../src-main/engine/drives/volume-marker.js';
import { linuxMarkedDrives } from '../../src-main/engine/removable/marked-drives.js';
import { fsImage, isMounted, type Mounted } from '../support/mounts.js';
import { tempDir } from '../support/temp.js';
import { makeCore, waitForDone } from './core-fixture.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let m: Mounted | undefined;
beforeEach(async () => {
  tmp = await tempDir('obm-app-rotation-');
});
afterEach(async () => {
  await m?.cleanup();
  m = undefined;
  await tmp.cleanup();
});

describe('rotation in the app (real exFAT image as drive A)', () => {
  it('rotation:status and the Overview show each drive; drives:eject refuses what is not a listed drive', async () => {
    m = await fsImage('exfat', 64);
    const a = await ensureVolumeMarker({ root: m.path, removable: true, label: 'OFFSITE-A' });
    await mkdir(join(tmp.path, 'repo'));
    const { handlers } = makeCore({ dir: tmp.path, drives: () => linuxMarkedDrives() });
    const p: Profile = {
      profile: 'nightly',
      destination: join(tmp.path, 'fixed-disk'),
      repository: { path: join(tmp.path, 'repo') },
      rotation: {
        drives: [
          { id: a.id, name: 'Offsite A' },
          { id: '00000000-0000-4000-8000-00000000000b', name: 'Offsite B' },
        ],
        warnAfterDays: 7,
      },
    };
    await handlers['profiles:save']({ profile: p, secrets: {} });
    const status = await handlers['rotation:status']('nightly');
    expect(status?.drives.map((d) => [d.label, d.connected, d.root])).toEqual([
      ['Offsite A', true, m.path],
      ['Offsite B', false, undefined],
    ]);
    expect(status?.drives[1]?.warning).toMatch(/never been connected/);
    const [overview] = await handlers['overview:get']();
    expect(overview?.rotation?.drives.map((d) => d.connected)).toEqual([true, false]);
    await expect(handlers['drives:eject']('/etc')).rejects.toMatchObject({ code: 'NOT_A_DRIVE' });
    const r = await handlers['drives:eject'](m.path);
    expect(r.ejected).toBe(true);
    expect(isMounted(m.path)).toBe(false);
    m.remount();
  });

  it('Copy to drive: sets:export copies a History set to a listed drive; export:done carries the verified outcome', async () => {
    m = await fsImage('exfat', 64);
    await ensureVolumeMarker({ root: m.path, removable: true, label: 'OFFSITE-A' });
    await mkdir(join(tmp.path, 'repo'));
    const { handlers, emitted, notes } = makeCore({
      dir: tmp.path,
      drives: () => linuxMarkedDrives(),
      steps: { repository: { kind: 'ok' } },
    });
    const p: Profile = {
      profile: 'nightly',
      destination: join(tmp.path, 'fixed-disk'),
      repository: { path: join(tmp.path, 'repo') },
    };
    await handlers['profiles:save']({ profile: p, secrets: {} });
    const run = await handlers['runs:start']({ profile: 'nightly', kind: 'manual' });
    await waitForDone(emitted, run.jobId);
    const [set] = await handlers['sets:list']('nightly');
    if (!set) throw new Error('no set');
    await expect(
      handlers['sets:export']({ setPath: set.path, to: { kind: 'drive', root: '/etc' } }),
    ).rejects.toMatchObject({ code: 'NOT_A_DRIVE' });
    await expect(
      handlers['sets:export']({
        setPath: join(tmp.path, 'elsewhere', 'x'),
        to: { kind: 'drive', root: m.path },
      }),
    ).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    const job = await handlers['sets:export']({ setPath: set.path, to: { kind: 'drive', root: m.path } });
    expect(job).toMatchObject({
      profile: 'nightly',
      setName: set.setName,
      target: join(m.path, 'OctaneBackups'),
    });
    let done: EventMap['export:done'] | undefined;
    for (let i = 0; i < 500 && !done; i++) {
      done = emitted.find((e) => e.channel === 'export:done')?.payload as EventMap['export:done'] | undefined;
      if (!done) await new Promise((r) => setTimeout(r, 20));
    }
    expect(done?.result.ok && done.result.value.status).toBe('succeeded');
    expect(done?.result.ok && done.result.value.copyPath).toBe(
      join(m.path, 'OctaneBackups', 'nightly', set.setName),
    );
    const kinds = emitted
      .filter((e) => e.channel === 'export:event')
      .map((e) => (e.payload as EventMap['export:event']).event.type);
    expect(kinds[0]).toBe('export-started');
    expect(kinds.at(-1)).toBe('export-finished');
    expect(notes.at(-1)?.title).toBe('Copy verified');
    expect(await handlers['exports:active']()).toEqual([]);
  });
});
