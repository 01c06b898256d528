// A stand-in for the `electron` module (the real one would try to download a binary): records
// what the glue asks of it. Used through vi.mock('electron', () => electronMock()).
import { vi } from 'vitest';

export type Handler = (event: unknown, ...args: unknown[]) => unknown;

export function electronMock() {
  const handlers = new Map<string, Handler>();
  const state = {
    singleInstance: true,
    encryptionAvailable: true,
    backend: 'gnome_libsecret' as string,
    notificationsSupported: true,
    dialogResult: { canceled: false, filePaths: ['/picked'] } as { canceled: boolean; filePaths: string[] },
    userData: '/tmp/obm-userdata-not-set',
  };
  const shown: { title: string; body: string }[] = [];
  const appListeners = new Map<string, (...a: unknown[]) => void>();
  const exposed: Record<string, unknown> = {};
  const windows: { options: unknown; loaded?: string; webContents: { handlers: Map<string, unknown> } }[] =
    [];
  const app = {
    requestSingleInstanceLock: vi.fn(() => state.singleInstance),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
    on: vi.fn((name: string, l: (...a: unknown[]) => void) => appListeners.set(name, l)),
    getPath: vi.fn(() => state.userData),
    getAppPath: vi.fn(() => '/app'),
    isPackaged: true,
  };
  class BrowserWindow {
    static getFocusedWindow = vi.fn(() => null);
    webContents = {
      handlers: new Map<string, unknown>(),
      setWindowOpenHandler: vi.fn((h: unknown) => this.webContents.handlers.set('open', h)),
      on: vi.fn((n: string, h: unknown) => this.webContents.handlers.set(n, h)),
      send: vi.fn(),
      isDestroyed: () => false,
    };
    constructor(readonly options: unknown) {
      windows.push(this);
    }
    once = vi.fn();
    on = vi.fn();
    show = vi.fn();
    loadFile = vi.fn((f: string) => {
      (this as unknown as { loaded: string }).loaded = f;
      return Promise.resolve();
    });
    loadURL = vi.fn(() => Promise.resolve());
    maximize = vi.fn();
    isMaximized = vi.fn(() => false);
    getNormalBounds = vi.fn(() => ({ x: 10, y: 20, width: 1280, height: 860 }));
    setProgressBar = vi.fn();
  }
  const trays: { tooltip?: string; destroyed: boolean }[] = [];
  class Tray {
    readonly record: { tooltip?: string; destroyed: boolean } = { destroyed: false };
    constructor(readonly icon: string) {
      trays.push(this.record);
    }
    on = vi.fn();
    setToolTip = vi.fn((t: string) => (this.record.tooltip = t));
    destroy = vi.fn(() => (this.record.destroyed = true));
  }
  class Notification {
    static isSupported = (): boolean => state.notificationsSupported;
    constructor(private readonly o: { title: string; body: string }) {}
    show(): void {
      shown.push(this.o);
    }
  }
  const mod = {
    app,
    BrowserWindow,
    Notification,
    Tray,
    screen: { getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }]) },
    ipcMain: {
      handle: vi.fn((c: string, h: Handler) => handlers.set(c, h)),
      removeHandler: vi.fn((c: string) => handlers.delete(c)),
    },
    ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
    contextBridge: { exposeInMainWorld: vi.fn((k: string, v: unknown) => (exposed[k] = v)) },
    safeStorage: {
      isAsyncEncryptionAvailable: vi.fn(() => Promise.resolve(state.encryptionAvailable)),
      getSelectedStorageBackend: vi.fn(() => state.backend),
      encryptStringAsync: vi.fn((s: string) => Promise.resolve(Buffer.from(`enc:${s}`))),
      decryptStringAsync: vi.fn((b: Buffer) =>
        Promise.resolve({ result: b.toString().replace(/^enc:/, ''), shouldReEncrypt: false }),
      ),
    },
    dialog: { showOpenDialog: vi.fn(() => Promise.resolve(state.dialogResult)) },
    shell: { openPath: vi.fn(() => Promise.resolve('')), showItemInFolder: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        webRequest: { onHeadersReceived: vi.fn() },
      },
    },
  };
  return { ...mod, default: mod, __test: { handlers, state, shown, appListeners, exposed, windows, trays } };
}

export type ElectronMock = ReturnType<typeof electronMock>;
