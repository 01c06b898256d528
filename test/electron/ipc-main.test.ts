import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { INVOKE_CHANNELS, type ApiHandlers } from '../../src-main/contract/ipc.js';
import { ExpectedError } from '../../src-main/engine/errors.js';
import { bindIpcHandlers, createEmitter } from '../../src-main/electron/ipc-main.js';
import type { ElectronMock } from './electron-mock.js';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronMock());
const mock = electron as unknown as ElectronMock;

const TRUSTED = 'file:///app/out/renderer/index.html';
const event = (url: string | null) => ({ senderFrame: url === null ? null : { url } });

function fakeHandlers(): ApiHandlers {
  return Object.fromEntries(
    INVOKE_CHANNELS.map((c) => [c, vi.fn((...args: unknown[]) => Promise.resolve({ channel: c, args }))]),
  ) as unknown as ApiHandlers;
}

beforeEach(() => {
  mock.__test.handlers.clear();
});

describe('typed ipcMain binding (electron mocked)', () => {
  it('registers every contract channel and wraps results in the envelope', async () => {
    const handlers = fakeHandlers();
    bindIpcHandlers(handlers, (url) => url === TRUSTED);
    expect([...mock.__test.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const r = await mock.__test.handlers.get('sets:verify')?.(event(TRUSTED), '/sets/a');
    expect(r).toEqual({ ok: true, value: { channel: 'sets:verify', args: ['/sets/a'] } });
  });

  it('refuses a sender that is not our renderer, and a destroyed frame, without calling the handler', async () => {
    const handlers = fakeHandlers();
    bindIpcHandlers(handlers, (url) => url === TRUSTED);
    for (const e of [event('https://evil.example/'), event(null)]) {
      const r = await mock.__test.handlers.get('shell:open-path')?.(e, '/etc');
      expect(r).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'This window may not talk to the backup manager.' },
      });
    }
    expect(handlers['shell:open-path']).not.toHaveBeenCalled();
  });

  it('keeps a handler error as data (code and fix survive IPC)', async () => {
    const handlers = fakeHandlers();
    handlers['runs:start'] = () =>
      Promise.reject(new ExpectedError('VOLUME_NOT_CONNECTED', 'Drive missing.', { fix: 'Connect it.' }));
    bindIpcHandlers(handlers, () => true);
    expect(
      await mock.__test.handlers.get('runs:start')?.(event(TRUSTED), { profile: 'x', kind: 'manual' }),
    ).toEqual({
      ok: false,
      error: { code: 'VOLUME_NOT_CONNECTED', message: 'Drive missing.', fix: 'Connect it.' },
    });
  });

  it('removes every channel again', () => {
    const unbind = bindIpcHandlers(fakeHandlers(), () => true);
    unbind();
    expect(mock.__test.handlers.size).toBe(0);
  });

  it('sends events to the current window and drops them when there is none', () => {
    const send = vi.fn();
    let wc: { send: typeof send; isDestroyed: () => boolean } | undefined = {
      send,
      isDestroyed: () => false,
    };
    const emit = createEmitter(() => wc as unknown as Electron.WebContents);
    emit('verify:progress', { setPath: '/s', bytesDone: 1, bytesTotal: 2, current: 'a' });
    expect(send).toHaveBeenCalledWith('verify:progress', {
      setPath: '/s',
      bytesDone: 1,
      bytesTotal: 2,
      current: 'a',
    });
    wc = { send, isDestroyed: () => true };
    emit('verify:progress', { setPath: '/s', bytesDone: 2, bytesTotal: 2, current: 'a' });
    wc = undefined;
    emit('verify:progress', { setPath: '/s', bytesDone: 2, bytesTotal: 2, current: 'a' });
    expect(send).toHaveBeenCalledTimes(1);
  });
});
