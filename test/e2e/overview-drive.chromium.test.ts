// The Overview's words for a profile whose backup drive is unplugged, and for one without a
// schedule, in REAL Chromium against the real main-side handlers and engine. A folder carrying a
// real volume marker stands in for the USB drive; "unplugging" it takes it out of the drive list.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriveInfo } from '../../src-main/contract/ui.js';
import { ensureVolumeMarker } from '../../src-main/engine/drives/volume-marker.js';
import { hoursAgo, writeSet } from '../engine/retention/set-tree.js';
import { tempDir } from '../support/temp.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { axeViolations } from './support/axe.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let drives: DriveInfo[] = [];
let goodSet = '';

beforeAll(async () => {
  tmp = await tempDir('obm-overview-drive-');
  const usb = join(tmp.path, 'E');
  const repo = join(tmp.path, 'octane', 'repo');
  const share = join(tmp.path, 'share');
  await mkdir(usb, { recursive: true });
  await mkdir(repo, { recursive: true });
  await mkdir(share, { recursive: true });
  const marker = await ensureVolumeMarker({ root: usb, label: 'BACKUP1', removable: true });
  drives = [{ root: usb, removable: true, marker }];
  app = await startAppHarness({ dir: tmp.path, listDrives: () => Promise.resolve(drives) });
  const binding = await app.handlers['drives:bind'](join(usb, 'OctaneBackups'));
  await app.handlers['profiles:save']({
    profile: {
      profile: 'nightly',
      destination: join(usb, 'OctaneBackups'),
      repository: { path: repo },
      schedule: { targetIntervalHours: 24 },
    },
    volumes: { default: binding },
  });
  // A complete set one minute old on the drive, as a run just before it was unplugged leaves it.
  goodSet = (
    await writeSet(join(usb, 'OctaneBackups'), 'nightly', { startedAt: new Date(Date.now() - 60_000) })
  ).name;
  // A profile run by hand only, whose good set is three days old.
  await app.handlers['profiles:save']({
    profile: { profile: 'by-hand', destination: share, repository: { path: repo } },
  });
  await writeSet(share, 'by-hand', { startedAt: hoursAgo(new Date(), 72) });
});

afterAll(async () => {
  await app?.close();
  await tmp?.cleanup();
});

const card = (profile: string) =>
  app.page.locator(`[data-testid="overview-card"][data-profile="${profile}"]`);

describe('Overview wording (real engine, a marked folder stands in for the USB drive)', () => {
  it('shows the drive-backed profile up to date while its drive is connected', async () => {
    await app.page.reload();
    await card('nightly').waitFor();
    expect(await card('nightly').getByTestId('overview-state').textContent()).toBe('Up to date');
    expect(await card('nightly').getAttribute('data-overdue')).toBe('false');
  });

  for (const size of [
    { width: 1366, height: 768 },
    { width: 1024, height: 700 },
  ])
    it(`with the drive unplugged names the drive and shows the one-minute-old backup as last seen, at ${size.width}×${size.height}`, async () => {
      drives = [];
      await app.page.setViewportSize(size);
      await app.page.reload();
      const c = card('nightly');
      const alert = c.getByTestId('overview-alert');
      await alert.getByText('Drive BACKUP1 not connected', { exact: true }).waitFor();
      expect(await alert.textContent()).toContain('Connect "BACKUP1"');
      expect(await c.getByTestId('overview-state').textContent()).toBe('Drive not connected');
      // Nothing overdue, and the summary does not call either profile's backup "recent".
      expect(await app.page.getByTestId('overview-summary').textContent()).toBe(
        'No profile needs attention (1 with its drive not connected; 1 without a schedule, so not judged for age).',
      );
      expect(await c.getAttribute('data-overdue')).toBe('false');
      // Never the words of a missing backup while a good one exists.
      expect(await c.getByText('Backup overdue').count()).toBe(0);
      expect(await c.getByText('none yet').count()).toBe(0);
      expect(await c.getByText(/Full Octane backup/).count()).toBe(1);
      const age = (await c.getByTestId('overview-age').textContent()) ?? '';
      expect(age).toMatch(
        /^(less than 1 min|\d+ min) old \(target 24 h\) \(as last seen \d{4}-\d\d-\d\d \d\d:\d\d\)$/,
      );
      // Where that set is: on the drive, under its name.
      expect(await c.getByText(new RegExp(`OctaneBackups.nightly.${goodSet}$`)).count()).toBe(1);
      const box = await alert.boundingBox();
      expect(box && box.x + box.width <= size.width).toBe(true);
      await c.scrollIntoViewIfNeeded();
      await app.shot(`overview-drive-unplugged-${size.width}x${size.height}.png`);
      expect(await axeViolations(app.page)).toEqual([]);
    });

  it('judges no freshness for a profile without a schedule: "No schedule", never "Up to date" or "Overdue"', async () => {
    const c = card('by-hand');
    await c.waitFor();
    expect(await c.getByTestId('overview-state').textContent()).toBe('No schedule');
    expect(await c.getAttribute('data-overdue')).toBe('false');
    expect(await c.getByTestId('overview-alert').count()).toBe(0);
    expect(await c.getByTestId('overview-age').textContent()).toBe(
      '3.0 days old (no schedule, so no target)',
    );
  });

  it('raised no page errors and no Content-Security-Policy violations', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
