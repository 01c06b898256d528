import { createContext, useContext, type ReactNode } from 'react';
import type { InvokeArgs, InvokeChannel, InvokeResult, OctaneApi } from '@contract/ipc.js';
import { ApiError } from './api-error.js';

const ApiContext = createContext<OctaneApi | undefined>(undefined);

export function ApiProvider({ api, children }: { api: OctaneApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): OctaneApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** Calls main and unwraps the envelope: resolves with the value or rejects with an ApiError. */
export async function call<K extends InvokeChannel>(
  api: OctaneApi,
  channel: K,
  ...args: InvokeArgs<K>
): Promise<InvokeResult<K>> {
  const r = await api.invoke(channel, ...args);
  if (!r.ok) throw new ApiError(r.error);
  return r.value;
}
