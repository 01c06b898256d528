// The native pieces the app core needs, from Electron: secret encryption (safeStorage: DPAPI on
// Windows), folder picker, opening folders, desktop notifications.
import { BrowserWindow, dialog, Notification, safeStorage, shell } from 'electron';
import type { Dialogs, ShellLike } from './app-core.js';
import type { Notifier } from './run-manager.js';
import type { Cipher } from './secret-vault.js';

export const safeStorageCipher: Cipher = {
  available: async () => {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    // On Linux without a keyring Electron falls back to a hard-coded key: that is not secure storage.
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  encrypt: (plain) => safeStorage.encryptStringAsync(plain),
  decrypt: async (encrypted) => {
    const r = await safeStorage.decryptStringAsync(encrypted);
    return { plain: r.result, shouldReEncrypt: r.shouldReEncrypt };
  },
};

export const electronDialogs: Dialogs = {
  pickFolder: async ({ title, defaultPath }) => {
    const opts: Electron.OpenDialogOptions = {
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
    };
    if (title) opts.title = title;
    if (defaultPath) opts.defaultPath = defaultPath;
    const win = BrowserWindow.getFocusedWindow();
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
  pickFile: async ({ title, defaultPath, filters }) => {
    const opts: Electron.OpenDialogOptions = { properties: ['openFile'] };
    if (title) opts.title = title;
    if (defaultPath) opts.defaultPath = defaultPath;
    if (filters) opts.filters = filters;
    const win = BrowserWindow.getFocusedWindow();
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
};

export const electronShell: ShellLike = {
  openPath: (path) => shell.openPath(path),
  showItemInFolder: (path) => shell.showItemInFolder(path),
};

export const electronNotifier: Notifier = {
  notify: (title, body) => {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  },
};
