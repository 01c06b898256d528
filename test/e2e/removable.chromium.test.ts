// Removable media in REAL Chromium (issue 18): the built renderer with the real main-side handlers
// and engine; the drive is a real exFAT image (exfat-fuse) carrying the tool's marker, listed by the
// mount table. Proved: the profile form's Drive rotation section (at 1024×700) adds the drive by its
// marker, marks and adds an unmarked one (a folder standing in for a drive), adds an offsite drive
// by id, and Save stores profile.rotation through the real handlers and validation; "Copy to
// drive…" in History copies a set to the drive and shows it verified; the Overview shows the
// rotation's drives (one connected, one never seen). Screenshots for docs.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/contract/profile.js';
import { listSets } from '../../src-main/engine/backup-set/list-sets.js';
import type { DriveInfo } from '../../src-main/contract/ui.js';
import { ensureVolumeMarker, readVolumeMarker } from '../../src-main/engine/drives/volume-marker.js';
import { linuxMarkedDrives } from '../../src-main/engine/removable/marked-drives.js';
import { runBackup } from '../../src-main/engine/run-backup.js';
import { fsImage, isMounted, type Mounted } from '../support/mounts.js';
import { tempDir } from '../support/temp.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { smallTree } from './support/trees.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let drive: Mounted;
let markerId: string;
/** A folder listed as a removable drive without a marker (stand-in): "Mark and add" gives it one. */
let spare: string;
const OFFSITE_B = '00000000-0000-4000-8000-00000000000b';

/** The marked mounts, plus the spare folder as a drive (with its marker once it has one). */
async function listDrives(): Promise<DriveInfo[]> {
  const marker = await readVolumeMarker(spare);
  const d: DriveInfo = {
    root: spare,
    label: 'SPARE',
    removable: true,
    sizeBytes: 2 ** 30,
    freeBytes: 2 ** 29,
  };
  if (marker) d.marker = marker;
  return [...(await linuxMarkedDrives()), d];
}

beforeAll(async () => {
  tmp = await tempDir('obm-e2e-removable-');
  drive = await fsImage('exfat', 64);
  markerId = (await ensureVolumeMarker({ root: drive.path, removable: true, label: 'OFFSITE-A' })).id;
  const repo = join(tmp.path, 'octane', 'repo');
  await smallTree(repo);
  await mkdir(join(tmp.path, 'fixed-disk'));
  spare = join(tmp.path, 'spare-drive');
  await mkdir(spare);
  app = await startAppHarness({ dir: tmp.path, listDrives });
  // No rotation yet: the first test configures it in the form.
  const profile: Profile = {
    profile: 'nightly',
    destination: join(tmp.path, 'fixed-disk'),
    repository: { path: repo, format: 'zip' },
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
  it('Profiles at 1024×700: the Drive rotation section adds drives by marker and by id; Save stores the rotation and the Overview lists it', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1024, height: 700 });
    await app.tab('Profiles');
    await page.getByRole('button', { name: /^nightly/ }).click();
    await page.getByRole('heading', { name: 'Profile “nightly”' }).waitFor();
    const section = page.getByTestId('section-rotation');
    await section.scrollIntoViewIfNeeded();
    await section.getByRole('button', { name: `Add to the rotation: ${drive.path}` }).click();
    await section.getByRole('button', { name: `In the rotation: ${drive.path}` }).waitFor();
    // The spare drive has no marker: the real drives:bind writes one at its root, then it is added.
    await section.getByRole('button', { name: 'Mark and add: SPARE' }).click();
    await section.getByRole('button', { name: 'In the rotation: SPARE' }).waitFor();
    const spareId = (await readVolumeMarker(spare))?.id;
    expect(spareId).toMatch(/^[0-9a-f-]{36}$/);
    await section.getByRole('textbox', { name: /Add an offsite drive by its id/ }).fill(OFFSITE_B);
    await section.getByRole('button', { name: 'Add by id' }).click();
    const rows = section.getByTestId('rotation-config-drive');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain(`${markerId}connected at ${drive.path}`);
    expect(await rows.nth(2).textContent()).toContain(`${OFFSITE_B}not connected`);
    await section
      .getByRole('textbox', { name: `Drive name, drive 1 (id ${markerId.slice(0, 8)})` })
      .fill('Offsite A');
    await section.getByRole('textbox', { name: 'Drive name, drive 3 (id 00000000)' }).fill('Offsite B');
    await section
      .getByRole('button', { name: `Remove drive 2 (id ${spareId?.slice(0, 8) ?? ''}) from the rotation` })
      .click();
    await expect.poll(() => rows.count()).toBe(2);
    await section.locator('input[name="rotation.keepLast"]').fill('4');
    await section.locator('input[name="rotation.warnAfterDays"]').fill('7');
    await section.locator('input[name="rotation.minIntervalHours"]').fill('24');
    // Every control of the section inside the 1024 px window.
    for (const control of await section.locator('button, input').all()) {
      const box = await control.boundingBox();
      if (box) expect(box.x + box.width).toBeLessThanOrEqual(1024.5);
    }
    // The section's top just below the sticky action bar, for the screenshot.
    const top = await section.evaluate((el: unknown) => (el as { offsetTop: number }).offsetTop);
    await page
      .locator('main')
      .evaluate(
        (el: unknown, y: number) => (el as { scrollTo(x: number, y: number): void }).scrollTo(0, y),
        top - 110,
      );
    await app.shot('profile-rotation-1024x700.png');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.', { exact: false }).first().waitFor();
    const stored = (await app.handlers['profiles:list']()).find((r) => r.profile.profile === 'nightly');
    expect(stored?.profile.rotation).toEqual({
      drives: [
        { id: markerId, name: 'Offsite A' },
        { id: OFFSITE_B, name: 'Offsite B' },
      ],
      keepLast: 4,
      warnAfterDays: 7,
      minIntervalHours: 24,
    });

    await app.tab('Overview');
    const panel = page.getByTestId('overview-rotation');
    await panel.waitFor();
    const listed = panel.getByTestId('rotation-drive');
    expect(await listed.nth(0).textContent()).toMatch(new RegExp(`^Offsite A: connected at ${drive.path}`));
    expect(await listed.nth(1).textContent()).toMatch(/^Offsite B: never connected/);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

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
