// A stand-in for the preload's API in component tests: each channel answers from `impl`
// (wrapped in the same envelope); events are pushed with emit().
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { ErrorInfo } from '../../src-main/contract/errors.js';
import type {
  EventChannel,
  EventMap,
  InvokeArgs,
  InvokeChannel,
  InvokeResult,
  OctaneApi,
} from '../../src-main/contract/ipc.js';
import { ApiProvider } from '../../src-renderer/src/api/api-context.js';
import { RestoreProvider } from '../../src-renderer/src/state/restore-context.js';

export type FakeImpl = Partial<{
  [K in InvokeChannel]: (...args: InvokeArgs<K>) => InvokeResult<K> | Promise<InvokeResult<K>>;
}>;

/** Throw this from an impl to answer with an error envelope. */
export class Refusal extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

export function fakeApi(impl: FakeImpl) {
  const calls: { channel: InvokeChannel; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: OctaneApi = {
    invoke: async (channel, ...args) => {
      calls.push({ channel, args });
      const f = impl[channel] as ((...a: unknown[]) => unknown) | undefined;
      if (!f)
        return {
          ok: false,
          error: { code: 'NOT_MOCKED', message: `${channel} is not answered in this test` },
        };
      try {
        return { ok: true, value: (await f(...args)) as InvokeResult<typeof channel> };
      } catch (err) {
        if (err instanceof Refusal) return { ok: false, error: err.info };
        throw err;
      }
    },
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(channel, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
  const emit = <E extends EventChannel>(channel: E, payload: EventMap[E]): void => {
    for (const l of listeners.get(channel) ?? []) l(payload);
  };
  const callsOf = <K extends InvokeChannel>(channel: K): InvokeArgs<K>[] =>
    calls.filter((c) => c.channel === channel).map((c) => c.args as InvokeArgs<K>);
  return { api, calls, callsOf, emit };
}

export function renderWithApi(ui: ReactElement, api: OctaneApi) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <ApiProvider api={api}>
        <RestoreProvider>{ui}</RestoreProvider>
      </ApiProvider>
    </FluentProvider>,
  );
}
