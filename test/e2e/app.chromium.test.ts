// End-to-end in REAL Chromium (Debian's /usr/bin/chromium via playwright-core): the built renderer,
// served over HTTP with the app's CSP, given the preload's API object backed by the real main-side
// handlers and the real engine. Only the OS pieces are stand-ins: the secret cipher (DPAPI), the
// folder dialog, shell.openPath, notifications and the drive list (one temp folder plays a USB drive).
import { mkdir, readdir, statfs } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriveInfo } from '../../src-main/contract/ui.js';
import { readManifest } from '../../src-main/engine/backup-set/manifest-io.js';
import { readVolumeMarker, VOLUME_MARKER_FILE } from '../../src-main/engine/drives/volume-marker.js';
import { tempDir } from '../support/temp.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { largeTree, smallTree } from './support/trees.js';

const ES_PASSWORD = 'S3cret-e2e!pw';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let usbRoot: string;
let smallRepo: string;
let largeRepo: string;

beforeAll(async () => {
  tmp = await tempDir('obm-e2e-');
  usbRoot = join(tmp.path, 'media', 'BACKUP1');
  smallRepo = join(tmp.path, 'octane', 'repo');
  largeRepo = join(tmp.path, 'octane', 'repo-large');
  await mkdir(usbRoot, { recursive: true });
  await smallTree(smallRepo);
  // Large enough (384 MiB of text at "Best") that the Cancel dialog's steps always land while the
  // archive is still being written, even on a loaded 2-core machine: 24 MiB finished first there.
  await largeTree(largeRepo, 48, 8 * 1024 * 1024);
  app = await startAppHarness({
    dir: tmp.path,
    // One temp folder plays the USB drive; its marker file is real.
    listDrives: async () => {
      const s = await statfs(usbRoot);
      const usb: DriveInfo = {
        root: usbRoot,
        label: 'BACKUP1',
        fileSystem: 'exFAT',
        removable: true,
        sizeBytes: s.blocks * s.bsize,
        freeBytes: s.bavail * s.bsize,
      };
      const marker = await readVolumeMarker(usbRoot);
      if (marker) usb.marker = marker;
      return [usb];
    },
  });
});

afterAll(async () => {
  await app?.close();
  await tmp?.cleanup();
});

const focusedText = (): Promise<string | null | undefined> =>
  app.page.evaluate(
    () =>
      (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } })
        .document.activeElement?.textContent,
  );

describe('the desktop app in real Chromium against the real engine', () => {
  it('starts on an empty Overview that leads to creating a profile', async () => {
    await app.page.getByText('No profile yet').waitFor();
    await app.shot('first-start.png');
    await app.page.getByRole('button', { name: 'Create a profile' }).click();
    await app.page.getByRole('heading', { name: 'New profile' }).waitFor();
  });

  it('configures a repository profile with inline validation, an encrypted password, a backup drive and a preflight', async () => {
    await app.page.fill('input[name="profile"]', 'nightly');
    // Inline validation uses the CLI's rules (validateProfile in main), shown next to the field.
    await app.page.fill('input[name="skewToleranceSeconds"]', '-5');
    await app.page.getByText('must be a number of at least 0').waitFor();
    await app.page.fill('input[name="skewToleranceSeconds"]', '600');
    await app.page.getByText('must be a number of at least 0').waitFor({ state: 'detached' });

    // A password typed for Elasticsearch, then the section switched off: the secret is still stored, encrypted.
    const es = app.page.getByTestId('section-elasticsearch');
    await es.getByRole('radio', { name: 'User and password' }).check();
    await app.page.fill('input[name="elasticsearch.username"]', 'elastic');
    await app.page.fill('input[name="elasticsearch.password"]', ES_PASSWORD);
    await app.page.getByRole('switch', { name: 'Include Elasticsearch' }).click();
    await app.page.getByRole('switch', { name: 'Include Database' }).click();

    app.dialogAnswers.push(smallRepo);
    await app.page.getByRole('button', { name: "Browse for Octane's repository folder" }).click();
    await expect.poll(() => app.page.inputValue('input[name="repository.path"]')).toBe(smallRepo);
    await expect
      .poll(() => app.page.getByTestId('repository-size').textContent())
      .toMatch(/in 5 files and \d+ folders/);

    await app.page
      .locator(`tr[data-root="${usbRoot}"]`)
      .getByRole('button', { name: 'Use this drive' })
      .click();
    await expect
      .poll(() => app.page.inputValue('input[name="destination"]'))
      .toBe(join(usbRoot, 'OctaneBackups'));
    await app.page.getByText('On backup drive “BACKUP1”').waitFor();
    expect((await readVolumeMarker(usbRoot))?.label).toBe('BACKUP1');

    await app.page.getByRole('button', { name: 'Save', exact: true }).click();
    await app.page.getByText('Saved. Passwords are stored encrypted').waitFor();
    expect(app.store.dump()).not.toContain(ES_PASSWORD);
    expect(app.store.dump()).toContain('nightly');
    const listed = await app.handlers['profiles:list']();
    expect(JSON.stringify(listed)).not.toContain(ES_PASSWORD);
    expect(listed[0]?.secrets.elasticsearchPassword).toBe(true);
    expect(listed[0]?.volumes.default?.label).toBe('BACKUP1');

    await app.page.getByRole('button', { name: 'Preflight' }).click();
    await app.page
      .getByTestId('preflight')
      .getByText(/check\(s\) failed|Ready/)
      .waitFor();
    const checks = app.page.getByTestId('preflight-check');
    expect(await checks.count()).toBeGreaterThanOrEqual(3);
    await expect
      .poll(() => app.page.locator('[data-testid="preflight-check"][data-status="warning"]').count())
      .toBeGreaterThanOrEqual(2);
    await app.page.getByText('The profile does not configure the database').first().waitFor();
    await app.scrollMainToTop();
    await app.shot('profile-repository-only.png');
    await app.page.getByTestId('section-destinations').scrollIntoViewIfNeeded();
    await app.shot('profile-backup-drive.png');
  });

  it('runs the backup from the Run screen and shows progress reaching the summary with each artifact and its hash', async () => {
    await app.tab('Run');
    await app.page.getByRole('button', { name: 'Back up now' }).click();
    const summary = app.page.getByTestId('run-summary');
    await summary.waitFor({ timeout: 60_000 });
    await expect
      .poll(() => app.page.getByTestId('step-repository').getAttribute('data-status'))
      .toBe('succeeded');
    // When the run ends, its outcome takes the focus (and the view): the summary's heading.
    await expect.poll(focusedText).toMatch(/^Summary/);
    await app.page
      .getByTestId('run-announcement')
      .getByText(/^Backup finished: /)
      .waitFor({ state: 'attached' });
    await summary.locator('[data-status="succeeded-with-warnings"]').first().waitFor();
    await app.page.getByText('Overall 100 %').waitFor();
    // Elasticsearch and database are not configured: the summary says it is not a full backup.
    await summary
      .getByText(/NOT a full Octane backup/)
      .first()
      .waitFor();

    const setName = (await app.page.getByTestId('summary-set').textContent()) ?? '';
    const setPath = join(usbRoot, 'OctaneBackups', 'nightly', setName);
    const manifest = await readManifest(setPath);
    const artifacts = manifest.components.flatMap((c) => c.artifacts);
    expect(artifacts.map((a) => a.path).sort()).toEqual([
      'repository/repository.files.jsonl',
      'repository/repository.tar.gz',
    ]);
    // The outcome first; the files and their hashes are folded until asked for.
    const files = summary.getByTestId('summary-files');
    expect(await files.getAttribute('open')).toBeNull();
    expect(await summary.getByText(artifacts[0]?.sha256 ?? '', { exact: true }).isVisible()).toBe(false);
    await files.getByText('Files (2)', { exact: true }).click();
    for (const a of artifacts) await summary.getByText(a.sha256, { exact: true }).waitFor();
    expect(await app.page.getByTestId('summary-skew').textContent()).toContain('tolerated');
    expect(app.notes.some((n) => n.startsWith('Backup of nightly succeeded with warnings'))).toBe(true);
    await app.page
      .getByTestId('log-tail')
      .getByText(/Archived 5 files/)
      .waitFor();
    await summary.scrollIntoViewIfNeeded();
    await app.shot('run-summary-repository-only.png');
  });

  it('cancels a second, larger run mid-way after confirmation and leaves no unfinished files', async () => {
    await app.tab('Profiles');
    await app.page.fill('input[name="repository.path"]', largeRepo);
    await app.page.getByRole('combobox', { name: 'Compression' }).click();
    await app.page.getByRole('option', { name: 'Best (slower)' }).click();
    await app.page.getByRole('button', { name: 'Save', exact: true }).click();
    await app.page.getByText('Saved. Passwords are stored encrypted').waitFor();

    await app.tab('Run');
    await app.page.getByRole('button', { name: 'Back up now' }).click();
    const step = app.page.getByTestId('step-repository');
    // Bytes are moving (past the file count): the cancel lands in the middle of the archive.
    await expect
      .poll(async () => Number(await step.getAttribute('data-fraction')), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await step.getByTestId('eta').waitFor();
    await step.getByTestId('last-activity').waitFor();
    await app.shot('run-progress-cancel.png');
    await app.page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await app.page.getByRole('alertdialog').getByText('Cancel the backup of “nightly”?').waitFor();
    // The safe button has the focus; Esc closes the dialog and gives the focus back to Cancel.
    await expect.poll(focusedText).toBe('Keep running');
    await app.page.keyboard.press('Escape');
    await app.page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await expect.poll(focusedText).toBe('Cancel');
    await app.page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await app.page.getByRole('button', { name: 'Cancel the backup' }).click();
    const summary = app.page.getByTestId('run-summary');
    await summary.locator('[data-status="cancelled"]').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => step.getAttribute('data-status')).toBe('cancelled');

    const setName = (await app.page.getByTestId('summary-set').textContent()) ?? '';
    const setPath = join(usbRoot, 'OctaneBackups', 'nightly', setName);
    const manifest = await readManifest(setPath);
    expect(manifest.status).toBe('cancelled');
    expect(manifest.components.find((c) => c.id === 'repository')?.status).toBe('cancelled');
    expect(manifest.complete).toBe(false);
    const left = await readdir(join(setPath, 'repository')).catch(() => [] as string[]);
    expect(left.filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('lists both sets in History and verifies the good one artifact by artifact', async () => {
    await app.tab('History');
    const rows = app.page.getByTestId('set-row');
    await expect.poll(() => rows.count()).toBe(2);
    await app.page.locator('[data-testid="set-row"]').locator('[data-status="cancelled"]').waitFor();
    const good = app.page.locator('[data-testid="set-row"]', {
      has: app.page.locator('[data-status="succeeded-with-warnings"]'),
    });
    await good.click();
    const details = app.page.getByTestId('set-details');
    await details.getByRole('button', { name: 'Verify' }).click();
    const result = details.getByTestId('verify-result');
    await result.waitFor();
    // Every artifact is intact; the set is still not a complete Octane backup (no database, no Elasticsearch).
    expect(await result.getAttribute('data-intact')).toBe('true');
    expect(await result.getAttribute('data-ok')).toBe('false');
    await result.getByText('Intact, but not a complete backup').waitFor();
    // The answer took the focus (the Verify button was disabled while it ran).
    await expect
      .poll(() =>
        app.page.evaluate(() =>
          (
            globalThis as unknown as {
              document: { activeElement: { getAttribute(n: string): string | null } | null };
            }
          ).document.activeElement?.getAttribute('data-testid'),
        ),
      )
      .toBe('verify-result');
    const checks = details.getByTestId('verify-check');
    expect(await checks.count()).toBe(2);
    expect(await details.locator('[data-testid="verify-check"][data-status="ok"]').count()).toBe(2);
    await details.getByRole('button', { name: 'Open folder' }).click();
    await expect.poll(() => app.opened.length).toBe(1);
    expect(app.opened[0]).toContain(join(usbRoot, 'OctaneBackups', 'nightly'));
    await app.shot('history-repository-only.png');
  });

  it('shows on the Overview that a repository-only set is not a good Octane backup, and a profile never backed up', async () => {
    // A second profile, saved through the same handler the form uses, whose share has never seen a backup.
    const empty = join(tmp.path, 'archive-share');
    await app.handlers['profiles:save']({
      profile: {
        profile: 'weekly-archive',
        destination: empty,
        repository: { path: smallRepo },
        schedule: { targetIntervalHours: 168 },
      },
    });
    await app.page.reload();
    await app.page.getByTestId('overview-card').first().waitFor();
    const nightly = app.page.locator('[data-testid="overview-card"][data-profile="nightly"]');
    expect(await nightly.getAttribute('data-overdue')).toBe('true');
    await nightly.getByText(/There is no complete backup at all/).waitFor();
    // The newest set is the cancelled one; the card says what it is.
    await nightly.getByText('NOT a usable backup: the run was cancelled.').waitFor();
    expect(await nightly.getByTestId('overview-next').textContent()).toBe('not scheduled');
    const weekly = app.page.locator('[data-testid="overview-card"][data-profile="weekly-archive"]');
    expect(await weekly.getAttribute('data-overdue')).toBe('true');
    // Its share was never written to: said, not taken for "no sets".
    await weekly
      .getByText(/Cannot check the backups: The destination .*archive-share does not exist/)
      .waitFor();
    await weekly.getByText(/target: one every 7\.0 days/).waitFor();
    await app.page.getByText('2 of 2 profile(s) need attention.').waitFor();
    await app.shot('overview-alerts.png');
  });

  it('raised no page errors and no Content-Security-Policy violations', () => {
    expect(app.pageErrors).toEqual([]);
    expect(existsSync(join(usbRoot, VOLUME_MARKER_FILE))).toBe(true);
  });
});
