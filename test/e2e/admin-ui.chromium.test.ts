// The window as an administrator meets it (issue 16), in REAL Chromium against the real main-side
// handlers and engine: edits never vanish, the smallest window shows every control, errors wrap,
// placeholders show real Windows paths, the keyboard alone gets around, and axe-core finds nothing.
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tempDir } from '../support/temp.js';
import { writeSet } from '../engine/retention/set-tree.js';
import { startAppHarness, type AppHarness } from './support/app-harness.js';
import { axeViolations } from './support/axe.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppHarness;
let repo: string;

beforeAll(async () => {
  tmp = await tempDir('obm-admin-ui-');
  repo = join(tmp.path, 'octane', 'repo');
  await mkdir(repo, { recursive: true });
  app = await startAppHarness({ dir: tmp.path });
  for (const name of ['alpha', 'beta'])
    await app.handlers['profiles:save']({
      profile: { profile: name, destination: join(tmp.path, `backups-${name}`), repository: { path: repo } },
    });
  await app.page.reload();
});

afterAll(async () => {
  await app?.close();
  await tmp?.cleanup();
});

interface Box {
  what: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes of the visible controls (inputs, buttons, comboboxes, switches, checkboxes) in main. */
async function controlBoxes(page: Page): Promise<Box[]> {
  return page.locator('main').evaluate((main: unknown) => {
    const root = main as {
      querySelectorAll(s: string): ArrayLike<{
        getBoundingClientRect(): { x: number; y: number; width: number; height: number };
        getAttribute(n: string): string | null;
        textContent: string | null;
        tagName: string;
      }>;
    };
    const out: { what: string; x: number; y: number; width: number; height: number }[] = [];
    for (const el of Array.from(
      root.querySelectorAll('input, button, select, textarea, [role="combobox"]'),
    )) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const what = `${el.tagName} ${el.getAttribute('name') ?? el.getAttribute('aria-label') ?? el.textContent ?? ''}`;
      out.push({ what: what.trim(), x: r.x, y: r.y, width: r.width, height: r.height });
    }
    return out;
  });
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height;

/** Controls that overlap one another, and controls that stick out of the window to the right. */
async function layoutFaults(page: Page, width: number): Promise<string[]> {
  const boxes = await controlBoxes(page);
  const faults: string[] = [];
  for (const b of boxes) if (b.x + b.width > width + 0.5) faults.push(`${b.what} ends at x=${b.x + b.width}`);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i] as Box;
      const b = boxes[j] as Box;
      // A Fluent checkbox/radio/switch input sits inside its own label's box: not an overlap.
      const contained =
        (a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height) ||
        (b.x >= a.x && b.y >= a.y && b.x + b.width <= a.x + a.width && b.y + b.height <= a.y + a.height);
      if (!contained && overlaps(a, b)) faults.push(`${a.what} overlaps ${b.what}`);
    }
  return faults;
}

const CONTROL_ROLES = new Set([
  'button',
  'textbox',
  'combobox',
  'switch',
  'checkbox',
  'radio',
  'tab',
  'link',
  'spinbutton',
  'menuitem',
]);

/** Accessible names, as Chromium itself computes them (its accessibility tree), shared by two controls. */
async function sharedNames(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { ignored: boolean; role?: { value?: string }; name?: { value?: string } }[];
    };
    const seen = new Map<string, number>();
    for (const n of nodes) {
      const role = n.role?.value ?? '';
      if (n.ignored || !CONTROL_ROLES.has(role)) continue;
      const key = `${role} "${n.name?.value ?? ''}"`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${count} × ${key}`);
  } finally {
    await cdp.detach();
  }
}

const focusedText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = (
      globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }
    ).document.activeElement;
    return el?.textContent?.trim() ?? '';
  });

describe('unsaved edits never vanish (stand-in OS dialogs, real handlers)', () => {
  it('asks Save / Discard / Stay before opening another profile, with Stay focused, and keeps the edit on Stay', async () => {
    await app.page.setViewportSize({ width: 1366, height: 768 });
    await app.tab('Profiles');
    await app.page.getByRole('button', { name: 'alpha', exact: true }).click();
    await app.page.getByRole('heading', { name: 'Profile “alpha”' }).waitFor();
    await app.page.fill('input[name="repository.path"]', join(repo, 'edited'));
    await app.page.getByRole('status').getByText('Unsaved changes').waitFor();
    await app.page.getByRole('button', { name: /^beta/ }).click();
    const dialog = app.page.getByRole('alertdialog', { name: 'Unsaved changes to “alpha”' });
    await dialog.waitFor();
    await expect.poll(() => focusedText(app.page)).toBe('Stay');
    await app.shot('unsaved-changes-1366.png');
    await app.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await app.page.getByRole('heading', { name: 'Profile “alpha”' }).waitFor();
    expect(await app.page.inputValue('input[name="repository.path"]')).toBe(join(repo, 'edited'));
  });

  it('keeps the edit while the admin looks at another screen, and says so on the Profiles tab', async () => {
    await app.tab('History');
    await app.page.getByRole('tab', { name: 'Profiles, unsaved changes' }).waitFor();
    await app.tab('Profiles');
    await app.page.getByRole('heading', { name: 'Profile “alpha”' }).waitFor();
    expect(await app.page.inputValue('input[name="repository.path"]')).toBe(join(repo, 'edited'));
  });

  it('discards on request, and "Save and continue" stores the edit before moving on', async () => {
    await app.page.getByRole('button', { name: /^beta/ }).click();
    await app.page.getByRole('button', { name: 'Discard changes' }).click();
    await app.page.getByRole('heading', { name: 'Profile “beta”' }).waitFor();
    await app.page.getByRole('button', { name: 'alpha', exact: true }).click();
    await app.page.getByRole('heading', { name: 'Profile “alpha”' }).waitFor();
    expect(await app.page.inputValue('input[name="repository.path"]')).toBe(repo);

    await app.page.fill('input[name="repository.path"]', join(repo, 'saved'));
    await app.page.getByRole('button', { name: /^beta/ }).click();
    await app.page.getByRole('button', { name: 'Save and continue' }).click();
    await app.page.getByRole('heading', { name: 'Profile “beta”' }).waitFor();
    const stored = await app.handlers['profiles:list']();
    expect(stored.find((r) => r.profile.profile === 'alpha')?.profile.repository?.path).toBe(
      join(repo, 'saved'),
    );
    await app.page.getByRole('tab', { name: 'Profiles', exact: true }).waitFor();
  });
});

describe('the smallest window shows every control (element boxes, not only screenshots)', () => {
  for (const [width, height] of [
    [1024, 700],
    [1024, 768],
    [1366, 768],
  ] as const)
    it(`at ${width}×${height} no control of the profile form overlaps another or leaves the window`, async () => {
      await app.page.setViewportSize({ width, height });
      await app.tab('Profiles');
      await app.page.getByRole('button', { name: /^alpha/ }).click();
      await app.page.getByRole('heading', { name: 'Profile “alpha”' }).waitFor();
      // Every section switched on, so every field is measured.
      for (const store of ['Database', 'Elasticsearch'])
        if (!(await app.page.getByRole('switch', { name: `Include ${store}` }).isChecked()))
          await app.page.getByRole('switch', { name: `Include ${store}` }).click();
      await app.page.waitForTimeout(300);
      // Scrolled to the top: nothing passes under the sticky action bar while boxes are measured.
      await app.scrollMainToTop();
      expect(await layoutFaults(app.page, width)).toEqual([]);
      for (const name of ['Save', 'Preflight', 'Import from Octane installation…', 'Delete']) {
        const box = await app.page.getByRole('button', { name, exact: true }).boundingBox();
        expect(box && box.x + box.width <= width, `${name} inside the window`).toBe(true);
      }
      await app.scrollMainToTop();
      await app.shot(`profile-form-${width}x${height}.png`);
      // Leave without keeping the switched-on sections.
      await app.page.getByRole('button', { name: /^beta/ }).click();
      await app.page.getByRole('button', { name: 'Discard changes' }).click();
      await app.page.getByRole('heading', { name: 'Profile “beta”' }).waitFor();
    });
});

describe('messages an admin can act on', () => {
  it('shows Windows paths with single backslashes as placeholders, and names a typed doubled backslash at its field', async () => {
    await app.page.setViewportSize({ width: 1024, height: 700 });
    expect(await app.page.getAttribute('input[name="repository.path"]', 'placeholder')).toBe(
      'C:\\octane\\repo',
    );
    expect(await app.page.getAttribute('input[name="destination"]', 'placeholder')).toBe('E:\\OctaneBackups');
    if (!(await app.page.getByRole('switch', { name: 'Include Database' }).isChecked()))
      await app.page.getByRole('switch', { name: 'Include Database' }).click();
    expect(await app.page.getAttribute('input[name="database.serverBackupDir"]', 'placeholder')).toBe(
      'D:\\SQLBackups or \\\\fileserver\\sqlbackup',
    );
    await app.page.fill('input[name="database.serverBackupDir"]', 'D:\\\\SQLBackups');
    await app.page
      .getByText('has doubled backslashes: write one backslash between folders (D:\\SQLBackups)')
      .waitFor();
  });

  it('refuses a destination inside the repository in a summary that names the field by its label and moves focus to it', async () => {
    const deep = join(
      repo,
      'a-rather-long-folder-name-that-an-admin-might-choose',
      'OctaneBackups-on-this-server',
    );
    await app.page.fill('input[name="destination"]', deep);
    await app.page.getByRole('button', { name: 'Save', exact: true }).click();
    const summary = app.page.getByTestId('error-summary');
    await summary.getByText(/things? to fix before saving/).waitFor();
    expect(await summary.textContent()).toContain('is inside the repository folder');
    // The entry is the field's label, not its config key; it takes the admin to the field.
    await summary.getByRole('button', { name: 'Destination', exact: true }).click();
    const focusedName = await app.page.evaluate(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(n: string): string | null } | null };
          }
        ).document.activeElement?.getAttribute('name') ?? null,
    );
    expect(focusedName).toBe('destination');
    const box = await summary.boundingBox();
    expect(box && box.x + box.width <= 1024).toBe(true);
    await app.scrollMainToTop();
    await app.shot('error-summary-1024x700.png');
    await app.page.getByRole('button', { name: /^alpha/ }).click();
    await app.page.getByRole('button', { name: 'Discard changes' }).click();
    await app.page.getByRole('heading', { name: 'Profile “alpha”' }).waitFor();
  });

  it('wraps a long error with its fix inside a 1024 px window, with a copy button for the raw detail', async () => {
    // beta's destination folder was never created: History cannot list it and says what to do.
    await app.tab('History');
    await app.page.getByRole('combobox').click();
    await app.page.getByRole('option', { name: 'beta' }).click();
    const bar = app.page.locator('[data-code]').first();
    await bar.waitFor();
    expect(await bar.textContent()).toContain('Fix:');
    const box = await bar.boundingBox();
    expect(box && box.x + box.width <= 1024).toBe(true);
    const clipped = await bar.evaluate((el: unknown) => {
      const e = el as { scrollWidth: number; clientWidth: number };
      return e.scrollWidth > e.clientWidth + 1;
    });
    expect(clipped).toBe(false);
    await bar.getByRole('button', { name: /^Copy details: / }).waitFor();
    await app.shot('long-error-1024x700.png');
    await app.page.getByRole('combobox').click();
    await app.page.getByRole('option', { name: 'alpha' }).click();
  });
});

describe('honest states in History', () => {
  it('says what an interrupted run left and deletes that set after a confirmation whose default is Keep', async () => {
    await app.page.setViewportSize({ width: 1024, height: 700 });
    const dest = join(tmp.path, 'backups-alpha');
    // A run killed mid-way: no manifest, the in-progress marker and an unfinished archive left.
    const killed = await writeSet(dest, 'alpha', {
      startedAt: new Date(Date.now() - 3_600_000),
      noManifest: true,
      marker: true,
      components: ['repository'],
    });
    const folder = killed.paths[0] as string;
    await writeFile(join(folder, 'repository', 'repository.tar.gz.partial'), Buffer.alloc(5 * 1024 * 1024));
    await app.tab('History');
    await app.page.getByRole('button', { name: 'Refresh' }).click();
    // The row holds the set-name button and Restore <set>…: open the set by its exact name.
    await app.page
      .locator(`tr[data-set="${killed.name}"]`)
      .getByRole('button', { name: killed.name, exact: true })
      .click();
    const left = app.page.getByTestId('set-left');
    await expect
      .poll(() => left.textContent())
      .toMatch(/of which 1 unfinished \(\.partial\) file, 5\.00 MiB/);
    await app.page.getByRole('button', { name: 'Delete this set…' }).click();
    const dialog = app.page.getByRole('alertdialog', { name: `Delete ${killed.name}?` });
    await dialog.waitFor();
    await expect.poll(() => focusedText(app.page)).toBe('Keep');
    await app.shot('delete-interrupted-set-1024x700.png');
    await dialog.getByRole('button', { name: 'Delete this set' }).click();
    await app.page.locator(`tr[data-set="${killed.name}"]`).waitFor({ state: 'detached' });
    await expect(access(folder)).rejects.toThrow();
  });
});

describe('keyboard and screen readers', () => {
  it('moves between the screens with the keyboard alone', async () => {
    await app.page.getByRole('tab', { name: 'Profiles' }).focus();
    await app.page.keyboard.press('ArrowUp');
    await app.page.keyboard.press('Enter');
    await app.page.getByRole('tab', { name: 'Overview', selected: true }).waitFor();
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('Enter');
    await app.page.getByRole('tab', { name: 'Run', selected: true }).waitFor();
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('Enter');
    await app.page.getByRole('tab', { name: 'History', selected: true }).waitFor();
    // Tab leaves the tab list for "Open log folder", then for the screen's own controls.
    await app.page.keyboard.press('Tab');
    expect(await focusedText(app.page)).toBe('Open log folder');
    await app.page.keyboard.press('Tab');
    const inMain = await app.page.evaluate(() => {
      const d = (
        globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null } }
      ).document;
      return d.activeElement?.closest('main') != null;
    });
    expect(inMain).toBe(true);
  });

  it('gives every control a name of its own on the Overview and in the whole profile form', async () => {
    await app.page.setViewportSize({ width: 1024, height: 700 });
    await app.tab('Overview');
    await app.page.getByRole('button', { name: 'Back up now: beta' }).waitFor();
    expect(await sharedNames(app.page)).toEqual([]);
    await app.tab('Profiles');
    await app.page.getByRole('button', { name: /^alpha/ }).click();
    for (const store of ['Database', 'Elasticsearch'])
      if (!(await app.page.getByRole('switch', { name: `Include ${store}` }).isChecked()))
        await app.page.getByRole('switch', { name: `Include ${store}` }).click();
    expect(await sharedNames(app.page)).toEqual([]);
    await app.page.getByRole('button', { name: /^beta/ }).click();
    await app.page.getByRole('button', { name: 'Discard changes' }).click();
    await app.page.getByRole('heading', { name: 'Profile “beta”' }).waitFor();
  });

  for (const screen of ['Overview', 'Profiles', 'Run', 'History'])
    it(`axe-core finds no WCAG 2.1 A/AA violation on ${screen} at 1024×700`, async () => {
      await app.page.setViewportSize({ width: 1024, height: 700 });
      await app.tab(screen);
      await app.page.waitForTimeout(500);
      expect(await axeViolations(app.page)).toEqual([]);
    });

  it('raised no page errors and no Content-Security-Policy violations', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
