import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { INVOKE_CHANNELS } from '../../src-main/contract/ipc.js';
import { startApp } from '../../src-main/electron/app-main.js';
import { CONTENT_SECURITY_POLICY } from '../../src-main/electron/window-options.js';
import { tempDir } from '../support/temp.js';
import type { ElectronMock } from './electron-mock.js';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());
vi.mock('../../src-main/electron/electron-store-adapter.js', async () => {
  const { MemoryStore } = await import('../../src-main/electron/key-value-store.js');
  return { createElectronStore: () => new MemoryStore() };
});
const mock = electron as unknown as ElectronMock;
const exe = ['C:\\Apps\\Octane Backup Manager.exe'];

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-main-');
  vi.clearAllMocks();
  mock.__test.handlers.clear();
  mock.__test.windows.length = 0;
  Object.assign(mock.__test.state, { singleInstance: true, userData: tmp.path });
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('Electron lifecycle (electron mocked)', () => {
  it('window mode: single instance, every channel bound, a locked-down window loading the built renderer', async () => {
    startApp(exe, { mainDir: '/app/out/main' });
    expect(mock.app.requestSingleInstanceLock).toHaveBeenCalled();
    await vi.waitFor(() => expect(mock.__test.windows).toHaveLength(1));
    const win = mock.__test.windows[0] as (typeof mock.__test.windows)[number];
    expect(win.options).toMatchObject({
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        preload: '/app/out/preload/index.cjs',
      },
    });
    expect(win.loaded).toBe('/app/out/renderer/index.html');
    expect([...mock.__test.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const openHandler = win.webContents.handlers.get('open') as () => unknown;
    expect(openHandler()).toEqual({ action: 'deny' });
    const navigate = win.webContents.handlers.get('will-navigate') as (
      e: { preventDefault: () => void },
      url: string,
    ) => void;
    const blocked = { preventDefault: vi.fn() };
    navigate(blocked, 'https://evil.example/');
    expect(blocked.preventDefault).toHaveBeenCalled();
    const allowed = { preventDefault: vi.fn() };
    navigate(allowed, 'file:///app/out/renderer/index.html');
    expect(allowed.preventDefault).not.toHaveBeenCalled();
    const perm = vi.mocked(mock.session.defaultSession.setPermissionRequestHandler).mock
      .calls[0]?.[0] as unknown as (w: unknown, p: string, cb: (ok: boolean) => void) => void;
    const answer = vi.fn();
    perm(null, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    // Every response carries the CSP header.
    const onHeaders = vi.mocked(mock.session.defaultSession.webRequest.onHeadersReceived).mock
      .calls[0]?.[0] as unknown as (
      d: { responseHeaders: Record<string, string[]> },
      cb: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
    const headers = vi.fn();
    onHeaders({ responseHeaders: { 'X-Other': ['1'] } }, headers);
    expect(headers).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    // The IPC check accepts our page and refuses others.
    const info = await mock.__test.handlers.get('app:info')?.({
      senderFrame: { url: 'file:///app/out/renderer/index.html' },
    });
    expect(info).toMatchObject({
      ok: true,
      value: { version: expect.any(String) as unknown, secretsAvailable: true },
    });
    expect(
      await mock.__test.handlers.get('app:info')?.({ senderFrame: { url: 'file:///tmp/other.html' } }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a second instance hands over to the first and quits without a window', async () => {
    mock.__test.state.singleInstance = false;
    startApp(exe, { mainDir: '/app/out/main' });
    expect(mock.app.quit).toHaveBeenCalled();
    await Promise.resolve();
    expect(mock.__test.windows).toHaveLength(0);
  });

  it('headless mode opens no window, takes no single-instance lock, logs and exits with the CLI code', async () => {
    startApp([...exe, '--run', 'missing-profile'], { mainDir: '/app/out/main' });
    await vi.waitFor(() => expect(mock.app.exit).toHaveBeenCalledWith(2));
    expect(mock.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(mock.__test.windows).toHaveLength(0);
    expect(await readFile(join(tmp.path, 'logs', 'headless-runs.log'), 'utf8')).toContain(
      'profile="missing-profile" kind=scheduled status=not-started exit=2',
    );
  });

  it('bad arguments exit 2 at once', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    startApp([...exe, '--run', 'x', '--kind', 'hourly'], { mainDir: '/app/out/main' });
    expect(mock.app.exit).toHaveBeenCalledWith(2);
    expect(mock.app.whenReady).not.toHaveBeenCalled();
    expect(write).toHaveBeenCalledWith(expect.stringContaining('--kind must be one of'));
    write.mockRestore();
  });
});
