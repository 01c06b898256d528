// Removable media in REAL Chromium (issue 18): the built renderer with the real main-side handlers
// and engine; the drive is a real exFAT image (exfat-fuse) carrying the tool's marker, listed by the
// mount table. Proved: "Copy to drive…" in History copies a set to the drive and shows it verified;
// the Overview shows the rotation's drives (one connected, one never seen). Screenshots for docs.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/contract/profile.js';
import { listSets } from '../../src-main/engine/backup-set/list-sets.js';
import { ensureVolumeMarker } from '../../src-main/engine/drives/volume-marker.js';
import { linuxMarkedDrives } from '../../src-main/engine/removable/marked-drives.js';
import { runBackup } from '../../src-main/engine/run-backup.js';
import { fsImage, isMounted, type Mounted } from '../support/mounts.js';
import { tempDir } from '../support/temp.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { smallTree } from './support/trees.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let drive: Mounted;

beforeAll(async () => {
  tmp = await tempDir('obm-e2e-removable-');
  drive = await fsImage('exfat', 64);
  const marker = await ensureVolumeMarker({ root: drive.path, removable: true, label: 'OFFSITE-A' });
  const repo = join(tmp.path, 'octane', 'repo');
  await smallTree(repo);
  await mkdir(join(tmp.path, 'fixed-disk'));
  app = await startAppHarness({ dir: tmp.path, listDrives: () => linuxMarkedDrives() });
  const profile: Profile = {
    profile: 'nightly',
    destination: join(tmp.path, 'fixed-disk'),
    repository: { path: repo, format: 'zip' },
    rotation: {
      drives: [
        { id: marker.id, name: 'Offsite A' },
        { id: '00000000-0000-4000-8000-00000000000b', name: 'Offsite B' },
      ],
      warnAfterDays: 7,
    },
  };
  await app.handlers['profiles:save']({ profile, secrets: {} });
  const r = await runBackup(profile);
  expect(r.status).toBe('succeeded-with-warnings');
  await app.page.reload();
}, 300_000);

afterAll(async () => {
  await app?.close();
  await drive?.cleanup();
  await tmp?.cleanup();
});

describe('removable media in the app (real Chromium, real exFAT image)', () => {
  it('History: Copy to drive… copies the set to the drive and shows it verified', async () => {
    const { page } = app;
    await app.tab('History');
    await page.getByTestId('set-row').first().click();
    const details = page.getByTestId('set-details');
    await details.getByRole('button', { name: 'Copy to drive…' }).click();
    await details.getByRole('combobox', { name: 'Drive' }).waitFor();
    await details.getByRole('button', { name: 'Copy', exact: true }).click();
    const outcome = details.getByTestId('copy-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.textContent()).toMatch(
      /Copy verified.*OctaneBackups.*every file re-read and intact\..*was unmounted: it can be unplugged now\./,
    );
    await app.scrollMainToTop();
    await app.shot('history-copy-to-drive.png');
    expect(isMounted(drive.path)).toBe(false);
    // Plugged in again: the copy on it is a good set.
    await drive.waitReleased();
    drive.remount();
    const onDrive = await listSets(join(drive.path, 'OctaneBackups'));
    expect(onDrive.map((s) => s.status)).toEqual(['succeeded-with-warnings']);
    drive.detachLazy();
    await drive.waitReleased();
  });

  it('Overview: Offsite A (ejected) last seen with its copy; Offsite B never connected', async () => {
    const { page } = app;
    await app.tab('Overview');
    const rotation = page.getByTestId('overview-rotation');
    await rotation.waitFor();
    const rows = rotation.getByTestId('rotation-drive');
    expect(await rows.nth(0).textContent()).toMatch(
      /^Offsite A: not connected, last seen .*; newest copy \d{8}T\d{6}Z-manual-/,
    );
    expect(await rows.nth(1).textContent()).toMatch(/^Offsite B: never connected.*has never been connected/);
    await app.shot('overview-rotation.png');
    expect(app.pageErrors).toEqual([]);
  });
});
