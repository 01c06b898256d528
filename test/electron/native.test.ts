import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import {
  electronDialogs,
  electronNotifier,
  electronShell,
  safeStorageCipher,
} from '../../src-main/electron/native.js';
import type { ElectronMock } from './electron-mock.js';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());
const mock = electron as unknown as ElectronMock;

beforeEach(() => {
  Object.assign(mock.__test.state, {
    encryptionAvailable: true,
    backend: 'gnome_libsecret',
    notificationsSupported: true,
  });
  mock.__test.shown.length = 0;
});

describe('native pieces (electron mocked)', () => {
  it('encrypts with the async safeStorage API and reports key rotation', async () => {
    const enc = await safeStorageCipher.encrypt('pw');
    expect(mock.safeStorage.encryptStringAsync).toHaveBeenCalledWith('pw');
    expect(await safeStorageCipher.decrypt(enc)).toEqual({ plain: 'pw', shouldReEncrypt: false });
    expect(await safeStorageCipher.available()).toBe(true);
  });

  it('treats Linux without a keyring (basic_text, a hard-coded key) as no secure store', async () => {
    mock.__test.state.backend = 'basic_text';
    expect(await safeStorageCipher.available()).toBe(process.platform !== 'linux');
    mock.__test.state.encryptionAvailable = false;
    expect(await safeStorageCipher.available()).toBe(false);
  });

  it('returns the picked folder, or null when the dialog is cancelled', async () => {
    mock.__test.state.dialogResult = { canceled: false, filePaths: ['E:\\OctaneBackups'] };
    expect(await electronDialogs.pickFolder({ title: 'Destination' })).toBe('E:\\OctaneBackups');
    expect(mock.dialog.showOpenDialog).toHaveBeenLastCalledWith({
      title: 'Destination',
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
    });
    mock.__test.state.dialogResult = { canceled: true, filePaths: [] };
    expect(await electronDialogs.pickFolder({})).toBeNull();
  });

  it('opens folders with shell.openPath and shows notifications only where supported', async () => {
    expect(await electronShell.openPath('/sets/a')).toBe('');
    expect(mock.shell.openPath).toHaveBeenCalledWith('/sets/a');
    electronNotifier.notify('Backup of nightly succeeded', 'Set x.');
    mock.__test.state.notificationsSupported = false;
    electronNotifier.notify('not shown', '');
    expect(mock.__test.shown).toEqual([{ title: 'Backup of nightly succeeded', body: 'Set x.' }]);
  });

  it('shows a file in its folder with shell.showItemInFolder (never shell.openPath)', () => {
    electronShell.showItemInFolder('/sets/a/run.log');
    expect(mock.shell.showItemInFolder).toHaveBeenCalledWith('/sets/a/run.log');
    expect(mock.shell.openPath).not.toHaveBeenCalledWith('/sets/a/run.log');
  });
});
