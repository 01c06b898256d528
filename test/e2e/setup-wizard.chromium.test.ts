// The first-run wizard end to end in REAL Chromium against the real main-side handlers and engine:
// each step's Test is the engine's own preflight, and the profile it saves runs a real backup.
// Stand-ins only for the OS pieces (folder dialog, cipher); no database server runs, so the
// database step proves a refused connection is reported with its fix.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tempDir } from '../support/temp.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { axeViolations } from './support/axe.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let repo: string;
let dest: string;

beforeAll(async () => {
  tmp = await tempDir('obm-wizard-');
  repo = join(tmp.path, 'octane', 'repo');
  dest = join(tmp.path, 'usb', 'OctaneBackups');
  await mkdir(join(repo, 'attachments'), { recursive: true });
  await writeFile(join(repo, 'attachments', 'a.txt'), 'attachment one\n');
  await mkdir(dest, { recursive: true });
  app = await startAppHarness({ dir: tmp.path });
  await app.page.setViewportSize({ width: 1024, height: 700 });
});

afterAll(async () => {
  await app?.close();
  await tmp?.cleanup();
});

const focusedText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = (
      globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }
    ).document.activeElement;
    return el?.textContent?.trim() ?? '';
  });

const next = (page: Page) => page.getByRole('button', { name: /^Next:/ }).click();

describe('the first-run wizard (real engine preflight, stand-in OS dialogs)', () => {
  it('walks from an empty Overview through every store, testing each, to a saved profile and its first backup', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Set up step by step' }).click();
    await page.getByRole('heading', { name: 'Step 1 of 8: Name' }).waitFor();
    await page.fill('input[name="profile"]', 'nightly');
    // The tolerated data loss has one place, the schedule step: here it is only said.
    expect(await page.locator('input[name="schedule.targetIntervalHours"]').count()).toBe(0);
    await page
      .getByTestId('general-rpo')
      .getByText(/^No schedule/)
      .waitFor();
    await app.shot('wizard-1-name-1024x700.png');

    await next(page);
    // Focus moves to the new step's heading: a screen reader says where the admin is.
    await expect.poll(() => focusedText(page)).toBe('Step 2 of 8: Backup drive');
    await page.fill('input[name="destination"]', dest);
    await page.getByRole('button', { name: 'Test backup drive' }).click();
    const panel = page.getByTestId('preflight');
    // Passed checks are folded under "N checks passed": present, not shown.
    await panel.getByText(`${dest} exists.`).waitFor({ state: 'attached' });
    await panel.getByText(/^Ready/).waitFor({ timeout: 30_000 });

    await next(page);
    await expect.poll(() => focusedText(page)).toBe('Step 3 of 8: Database');
    // Nothing listens on port 1: the engine's real connection check fails and says what to do.
    await page.fill('input[name="database.server"]', '127.0.0.1');
    await page.fill('input[name="database.port"]', '1');
    await page.getByRole('textbox', { name: /Add a database by name/ }).fill('octane_site');
    await page.keyboard.press('Enter');
    await page.fill('input[name="database.serverBackupDir"]', 'D:\\SQLBackups');
    await page.getByRole('button', { name: 'Test database' }).click();
    await panel.getByText(/problems? to fix/).waitFor({ timeout: 60_000 });
    const failed = panel.locator('[data-testid="preflight-check"][data-status="failed"]').first();
    await failed.getByText('Fix:').waitFor();
    await app.shot('wizard-3-database-refused-1024x700.png');
    // This installation backs up without the database here: the store is switched off.
    await page.getByRole('switch', { name: 'Include Database' }).click();

    await next(page);
    await expect.poll(() => focusedText(page)).toBe('Step 4 of 8: Elasticsearch');
    await page.getByRole('switch', { name: 'Include Elasticsearch' }).click();

    await next(page);
    await expect.poll(() => focusedText(page)).toBe('Step 5 of 8: Repository folder');
    app.dialogAnswers.push(repo);
    await page.getByRole('button', { name: "Browse for Octane's repository folder" }).click();
    await expect.poll(() => page.inputValue('input[name="repository.path"]')).toBe(repo);
    await page.getByRole('button', { name: 'Test repository folder' }).click();
    await panel.getByText(/^Ready/).waitFor({ timeout: 30_000 });
    expect(await panel.locator('[data-testid="preflight-check"][data-status="failed"]').count()).toBe(0);

    await next(page);
    await expect.poll(() => focusedText(page)).toBe('Step 6 of 8: Schedule');
    await page.getByText(/the newest 7 are kept \(change it later under Retention\)/).waitFor();
    await page.getByRole('radio', { name: '24 h' }).check();
    expect(await page.inputValue('input[name="schedule.targetIntervalHours"]')).toBe('24');
    // The engine's own proposal (main's proposeSchedule), with the next five runs.
    const proposal = page.getByTestId('schedule-preview');
    await proposal.getByText(/^Proposed: every 24 h at \d\d:\d\d/).waitFor();
    expect(await proposal.getByRole('list', { name: 'Next five runs' }).getByRole('listitem').count()).toBe(
      5,
    );
    await app.shot('wizard-6-schedule-1024x700.png');
    expect(await axeViolations(page)).toEqual([]);

    await next(page);
    await expect.poll(() => focusedText(page)).toBe('Step 7 of 8: Alerts (optional)');
    // Optional: the Event Log is on by default, e-mail stays empty and nothing blocks the next step.
    expect(await page.getByRole('switch', { name: /Event Log/ }).isChecked()).toBe(true);
    await app.shot('wizard-7-alerts-1024x700.png');
    expect(await axeViolations(page)).toEqual([]);

    await next(page);
    await expect.poll(() => focusedText(page)).toBe('Step 8 of 8: Check everything and save');
    await page.getByRole('button', { name: 'Run every check' }).click();
    // Database and Elasticsearch are left out: the verdict says to read the warnings, problems first.
    await panel.getByText(/^Ready to back up, but read \d+ warnings? first/).waitFor({ timeout: 60_000 });
    const groups = await panel.locator('section h3').allTextContents();
    expect(groups.slice(0, 2).sort()).toEqual(['Database', 'Elasticsearch indices']);
    await app.shot('wizard-8-check-1024x700.png');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Saved “nightly”').waitFor();
    // The schedule runs only once its task exists: the task is offered right after the save.
    const task = page.getByTestId('scheduled-task');
    await task.getByText('Scheduled task', { exact: true }).waitFor();
    expect(await task.textContent()).toContain('nightly');
    await app.shot('wizard-8-saved-task-1024x700.png');
    const stored = await app.handlers['profiles:list']();
    expect(stored.map((r) => r.profile.profile)).toEqual(['nightly']);
    expect(stored[0]?.profile.destination).toBe(dest);
    expect(stored[0]?.profile.repository?.path).toBe(repo);
    expect(stored[0]?.profile.schedule).toEqual({ targetIntervalHours: 24 });
    // The retention proposed for a new profile, said in the schedule step.
    expect(stored[0]?.profile.retention).toEqual({ keepLast: 7, pruneAfterRun: true });
    expect(stored[0]?.profile.database).toBeUndefined();

    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByRole('tab', { name: 'Run', selected: true }).waitFor();
  });

  it('raised no page errors and no Content-Security-Policy violations', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
