// Bundled into the page before the app loads: the preload's own createApi() over a transport that
// reaches the Node side through Playwright bindings, so the page gets exactly what the preload exposes.
import { API_GLOBAL } from '../../../src-main/contract/ipc.js';
import { createApi, type IpcTransport } from '../../../src-main/preload/create-api.js';

type Listener = Parameters<IpcTransport['on']>[1];

const g = globalThis as unknown as {
  __octaneInvoke(channel: string, args: unknown[]): Promise<unknown>;
  __octaneEmit?: (channel: string, payload: unknown) => void;
} & Record<string, unknown>;

const listeners = new Map<string, Set<Listener>>();
const transport: IpcTransport = {
  invoke: (channel, ...args) => g.__octaneInvoke(channel, args),
  on: (channel, listener) => {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
  },
  removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
};
g.__octaneEmit = (channel, payload) => {
  for (const l of listeners.get(channel) ?? []) l({} as Parameters<Listener>[0], payload);
};
g[API_GLOBAL] = createApi(transport);
