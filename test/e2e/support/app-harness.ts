// Real Chromium showing the built renderer, its API bridged to an AppCore built like Electron's:
// real handlers and engine; stand-ins only for the OS parts (DPAPI cipher, folder dialog,
// shell.openPath, notifications, and the drive list when a test gives one).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ApiHandlers } from '../../../src-main/contract/ipc.js';
import type { DriveInfo } from '../../../src-main/contract/ui.js';
import { createApiHandlers } from '../../../src-main/electron/api-handlers.js';
import { AppCore } from '../../../src-main/electron/app-core.js';
import { MemoryStore } from '../../../src-main/electron/key-value-store.js';
import { standInCipher } from '../../electron/stand-in-cipher.js';
import { installBridge } from './bridge.js';
import { serveFolder } from './static-server.js';

export const ROOT = join(import.meta.dirname, '../../..');
export const RENDERER = join(ROOT, 'out/renderer');
// Test runs never change tracked files: screenshots go to test-results/ unless the docs refresh
// script (`npm run screenshots`) points them at docs/screenshots on purpose.
export const SHOTS = process.env.OCTBM_SCREENSHOTS_DIR ?? join(ROOT, 'test-results/screenshots');
export const CHROMIUM = '/usr/bin/chromium';

export interface AppHarness {
  page: Page;
  core: AppCore;
  handlers: ApiHandlers;
  store: MemoryStore;
  notes: string[];
  opened: string[];
  /** Files shown in their folder (shell.showItemInFolder). */
  shown: string[];
  /** Answers for the next folder dialogs, in order (none left: the dialog is cancelled). */
  dialogAnswers: string[];
  /** Page errors and console errors (a CSP violation is one). */
  pageErrors: string[];
  shot(name: string): Promise<void>;
  tab(name: string): Promise<void>;
  scrollMainToTop(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the renderer when out/renderer is missing (npm test builds it before vitest). */
function ensureBuilt(): void {
  if (existsSync(join(RENDERER, 'index.html'))) return;
  const r = spawnSync('npx', ['--no-install', 'electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('electron-vite build failed');
}

export async function startAppHarness(opts: {
  dir: string;
  listDrives?: () => Promise<DriveInfo[]>;
}): Promise<AppHarness> {
  ensureBuilt();
  await mkdir(SHOTS, { recursive: true });
  const store = new MemoryStore();
  const notes: string[] = [];
  const opened: string[] = [];
  const shown: string[] = [];
  const dialogAnswers: string[] = [];
  const pageErrors: string[] = [];
  const server = await serveFolder(RENDERER);
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  // The core needs the bridge's emit, the bridge needs the core's handlers: resolved lazily.
  const ref: { handlers?: ApiHandlers } = {};
  const bridge = await installBridge(page, () => ref.handlers as ApiHandlers);
  const core = new AppCore({
    store,
    cipher: standInCipher(),
    notifier: { notify: (title, body) => notes.push(`${title}: ${body}`) },
    dialogs: {
      pickFolder: () => Promise.resolve(dialogAnswers.shift() ?? null),
      pickFile: () => Promise.resolve(dialogAnswers.shift() ?? null),
    },
    shell: {
      openPath: (p) => {
        opened.push(p);
        return Promise.resolve('');
      },
      showItemInFolder: (p) => void shown.push(p),
    },
    emit: bridge.emit,
    listDrives: opts.listDrives ?? (() => Promise.resolve([])),
    info: {
      version: '0.1.0',
      platform: 'win32',
      headlessLogFile: join(opts.dir, 'headless.log'),
      logFolder: join(opts.dir, 'logs'),
      headlessCommand: (p) => `"Octane Backup Manager.exe" --run "${p}"`,
    },
  });
  const handlers = createApiHandlers(core);
  ref.handlers = handlers;
  await page.goto(server.url);
  return {
    page,
    core,
    handlers,
    store,
    notes,
    opened,
    shown,
    dialogAnswers,
    pageErrors,
    shot: async (name) => {
      // No hover highlight on whatever was clicked last; let the tab indicator finish its slide.
      await page.mouse.move(1, 1);
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(SHOTS, name) });
    },
    tab: async (name) => {
      await page.getByRole('tab', { name }).click();
    },
    scrollMainToTop: async () => {
      // Typed without DOM types: these files are compiled for Node.
      await page
        .locator('main')
        .evaluate((el: unknown) => (el as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    },
    close: async () => {
      await core.stopAll();
      await browser.close();
      await server.close();
    },
  };
}
