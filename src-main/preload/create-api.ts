// Builds the contract's API object on top of an ipcRenderer-like transport. Only the channels the
// contract lists pass; the raw ipcRenderer never leaves the preload.
import type { IpcRendererEvent } from 'electron';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventMap,
  type InvokeResult,
  type OctaneApi,
} from '../contract/ipc.js';
import type { Result } from '../contract/result.js';

export interface IpcTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

const invokeChannels = new Set<string>(INVOKE_CHANNELS);
const eventChannels = new Set<string>(EVENT_CHANNELS);

export function createApi(ipc: IpcTransport): OctaneApi {
  return {
    invoke(channel, ...args) {
      if (!invokeChannels.has(channel))
        return Promise.resolve({
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel ${String(channel)}.` },
        });
      return ipc.invoke(channel, ...args) as Promise<Result<InvokeResult<typeof channel>>>;
    },
    on(channel, listener) {
      if (!eventChannels.has(channel)) throw new Error(`Unknown event channel ${String(channel)}.`);
      // The IPC event object (with its sender) is not handed to the page.
      const wrapped = (_e: IpcRendererEvent, payload: unknown): void =>
        listener(payload as EventMap[typeof channel]);
      ipc.on(channel, wrapped);
      return () => {
        ipc.removeListener(channel, wrapped);
      };
    },
  };
}
