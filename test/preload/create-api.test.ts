import { describe, expect, it, vi } from 'vitest';
import { createApi, type IpcTransport } from '../../src-main/preload/create-api.js';

function transport() {
  const listeners = new Map<string, Parameters<IpcTransport['on']>[1]>();
  const t = {
    invoke: vi.fn((...a: unknown[]) => Promise.resolve({ ok: true, value: a })),
    on: vi.fn((c: string, l: Parameters<IpcTransport['on']>[1]) => listeners.set(c, l)),
    removeListener: vi.fn((c: string) => listeners.delete(c)),
  };
  return { t, listeners };
}

describe('the API object the preload exposes', () => {
  it('forwards contract channels to ipcRenderer.invoke', async () => {
    const { t } = transport();
    const api = createApi(t);
    expect(await api.invoke('sets:verify', '/s')).toEqual({ ok: true, value: ['sets:verify', '/s'] });
  });

  it('refuses a channel that is not in the contract without touching IPC', async () => {
    const { t } = transport();
    const api = createApi(t);
    const r = await (api.invoke as (c: string) => Promise<unknown>)('fs:read-any-file');
    expect(r).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown channel fs:read-any-file.' },
    });
    expect(t.invoke).not.toHaveBeenCalled();
    expect(() => (api.on as (c: string, l: () => void) => unknown)('ipc:raw', () => undefined)).toThrow(
      /Unknown event channel/,
    );
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const { t, listeners } = transport();
    const api = createApi(t);
    const got: unknown[] = [];
    const off = api.on('run:done', (...args: unknown[]) => got.push(args));
    listeners.get('run:done')?.({ sender: 'secret' } as never, { jobId: 'j' });
    expect(got).toEqual([[{ jobId: 'j' }]]);
    off();
    expect(t.removeListener).toHaveBeenCalledWith('run:done', expect.any(Function));
  });
});
