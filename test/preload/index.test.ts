import { describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import type { ElectronMock } from '../electron/electron-mock.js';

vi.mock('electron', async () => (await import('../electron/electron-mock.js')).electronMock());
const mock = electron as unknown as ElectronMock;

describe('preload entry (electron mocked)', () => {
  it('exposes exactly invoke and on as window.octane, nothing raw', async () => {
    await import('../../src-main/preload/index.js');
    expect(mock.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(mock.__test.exposed)).toEqual(['octane']);
    const api = mock.__test.exposed.octane as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });
});
