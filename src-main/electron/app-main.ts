// Electron lifecycle: window mode (single instance) or headless `--run <profile>` (no window,
// no single-instance lock, so a scheduled run works while the app is open; the engine's
// per-profile lock keeps two runs of one profile apart).
import { app, BrowserWindow, dialog, screen, session, Tray } from 'electron';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXIT_CODES } from '../contract/errors.js';
import { TOOL_VERSION } from '../engine/version.js';
import { createApiHandlers } from './api-handlers.js';
import { AppCore, type AppCoreDeps } from './app-core.js';
import { createElectronStore } from './electron-store-adapter.js';
import { runHeadless } from './headless-run.js';
import { runCommand } from '../engine/os/run-command.js';
import { scheduleInfoFor } from './schedule-info.js';
import { appScheduledCommand } from '../engine/schedule/scheduled-command.js';
import { commandLineText } from '../engine/use-cases/schedule.js';
import { bindIpcHandlers, createEmitter } from './ipc-main.js';
import { parseLaunchArgs } from './launch-args.js';
import { electronDialogs, electronNotifier, electronShell, safeStorageCipher } from './native.js';
import { isTrustedRendererUrl, type TrustedRenderer } from './sender-check.js';
import { CONTENT_SECURITY_POLICY, mainWindowOptions } from './window-options.js';
import { RunIndicators, type RunIndicator } from './run-indicators.js';
import { loadWindowState, saveWindowState } from './window-state.js';
import type { EmitEvent } from '../contract/ipc.js';
import type { RunDoneMessage, RunEventMessage } from '../contract/ui.js';

export interface AppPaths {
  /** Folder of the built main bundle (out/main). */
  mainDir: string;
}

/** The command a scheduled task of this app runs, quoted by the one Windows rule. */
function headlessCommand(profile: string): string {
  // The portable build runs from a temp copy; the scheduled task must call the .exe the user has.
  const exe = process.env.PORTABLE_EXECUTABLE_FILE ?? process.execPath;
  const c = appScheduledCommand(exe, profile, process.platform);
  if (!app.isPackaged) c.args.unshift(app.getAppPath());
  return commandLineText(c, process.platform);
}

function makeCore(
  getWindow: () => BrowserWindow | undefined,
  overrides: Partial<AppCoreDeps> = {},
  onEmit?: EmitEvent,
): AppCore {
  const send = createEmitter(() => getWindow()?.webContents);
  return new AppCore({
    store: createElectronStore(),
    cipher: safeStorageCipher,
    notifier: electronNotifier,
    dialogs: electronDialogs,
    shell: electronShell,
    emit: (channel, payload) => {
      send(channel, payload);
      onEmit?.(channel, payload);
    },
    schedule: (profile) => scheduleInfoFor(profile, { platform: process.platform, runner: runCommand }),
    info: {
      version: TOOL_VERSION,
      platform: process.platform,
      headlessLogFile: headlessLogFile(),
      headlessCommand,
      logFolder: dirname(headlessLogFile()),
    },
    ...overrides,
  });
}

export function headlessLogFile(): string {
  return join(app.getPath('userData'), 'logs', 'headless-runs.log');
}

export function startApp(argv: readonly string[], paths: AppPaths): void {
  const mode = parseLaunchArgs(argv);
  if (mode.mode === 'invalid') {
    process.stderr.write(`${mode.message}\n`);
    app.exit(mode.exitCode);
    return;
  }
  if (mode.mode === 'headless') {
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
    void app.whenReady().then(async () => {
      let code: number;
      try {
        code = await runHeadless(mode, {
          core: makeCore(() => undefined),
          logFile: headlessLogFile(),
          signal: controller.signal,
          print: (line) => process.stdout.write(`${line}\n`),
        });
      } catch (err) {
        process.stderr.write(`Unexpected error: ${(err as Error).message}\n`);
        code = EXIT_CODES.failed;
      }
      app.exit(code);
    });
    return;
  }
  startWindowMode(paths);
}

function startWindowMode(paths: AppPaths): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let win: BrowserWindow | undefined;
  const trusted: TrustedRenderer = {
    indexFileUrl: pathToFileURL(join(paths.mainDir, '../renderer/index.html')).href,
  };
  const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  if (devUrl) trusted.devUrl = devUrl;
  const isTrusted = (url: string | undefined): boolean => isTrustedRendererUrl(url, trusted);
  // The taskbar button's progress bar and a notification-area icon while backups run.
  const indicators = new RunIndicators();
  let tray: Tray | undefined;
  const iconPath = join(paths.mainDir, '../../assets/icon.png');
  const show = (i: RunIndicator): void => {
    win?.setProgressBar(i.progress);
    if (i.tooltip === undefined) {
      tray?.destroy();
      tray = undefined;
      return;
    }
    if (!tray) {
      tray = new Tray(iconPath);
      tray.on('click', () => {
        win?.show();
        win?.focus();
      });
    }
    tray.setToolTip(i.tooltip);
  };
  const core = makeCore(
    () => win,
    {},
    (channel, payload) => {
      if (channel === 'run:event') show(indicators.event(payload as RunEventMessage));
      if (channel === 'run:done') show(indicators.done(payload as RunDoneMessage));
    },
  );

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  let quitting = false;
  app.on('before-quit', (e) => {
    // Cancel running backups and a restore and let them clean up (partial files, markers, staged
    // copies) before exiting.
    if (quitting || (core.runs.list().length === 0 && !core.restores.busy)) return;
    e.preventDefault();
    quitting = true;
    void core.stopAll().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    // The packaged app gets the CSP as a header too; the dev server (HMR) relies on its meta tag.
    if (!devUrl)
      session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
        cb({
          responseHeaders: {
            ...details.responseHeaders,
            'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
          },
        }),
      );
    bindIpcHandlers(
      createApiHandlers(core, {
        platform: process.platform,
        runner: runCommand,
        // The portable build runs from a temp copy; the task must start the .exe the user has.
        exePath: process.env.PORTABLE_EXECUTABLE_FILE ?? process.execPath,
        exeArgs: app.isPackaged ? [] : [app.getAppPath()],
      }),
      isTrusted,
    );
    const options = mainWindowOptions(join(paths.mainDir, '../preload/index.cjs'), iconPath);
    // Where the admin left the window, when a screen still shows that place.
    const windowStore = createElectronStore('window-state');
    const min = { width: options.minWidth ?? 960, height: options.minHeight ?? 640 };
    const place = loadWindowState(
      windowStore,
      screen.getAllDisplays().map((d) => d.workArea),
      min,
    );
    if (place) Object.assign(options, { x: place.x, y: place.y, width: place.width, height: place.height });
    win = new BrowserWindow(options);
    const current = win;
    if (place?.maximized) current.maximize();
    current.on('close', () => saveWindowState(windowStore, current.getNormalBounds(), current.isMaximized()));
    const wc = win.webContents;
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-navigate', (e, url) => {
      if (!isTrusted(url)) e.preventDefault();
    });
    wc.on('will-attach-webview', (e) => e.preventDefault());
    // The renderer holds the close while a profile has unsaved edits (beforeunload): ask, Stay first.
    wc.on('will-prevent-unload', (e) => {
      const choice = dialog.showMessageBoxSync(win as BrowserWindow, {
        type: 'warning',
        buttons: ['Stay', 'Close without saving'],
        defaultId: 0,
        cancelId: 0,
        title: 'Unsaved changes',
        message: 'A profile has unsaved changes.',
        detail: 'Closing discards them, passwords typed but not saved included.',
      });
      if (choice === 1) e.preventDefault();
    });
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => {
      win = undefined;
      tray?.destroy();
      tray = undefined;
    });
    if (devUrl) void win.loadURL(devUrl);
    else void win.loadFile(join(paths.mainDir, '../renderer/index.html'));
  });
}
