import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import { errorInfo } from '../api/api-error.js';

export interface AsyncState<T> {
  value?: T;
  error?: ErrorInfo;
  /** True until the answer for the current key has arrived (the previous value stays visible meanwhile). */
  loading: boolean;
  /** The value (or error) answers the current key, not an earlier one. */
  current: boolean;
  reload: () => void;
}

interface Answer<T> {
  token: string;
  value?: T;
  error?: ErrorInfo;
}

/**
 * The one way a screen loads data from main. `key` names the inputs: a new key (or reload) asks
 * again, and an answer counts only for the key it was asked with, so a slow old answer never
 * overwrites a newer one. `undefined` asks nothing (nothing to load yet).
 */
export function useAsync<T>(load: () => Promise<T>, key: string | undefined): AsyncState<T> {
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const token = key === undefined ? undefined : `${tick}\u0000${key}`;
  const [answer, setAnswer] = useState<Answer<T> | undefined>();
  useEffect(() => {
    if (token === undefined) return;
    let live = true;
    load().then(
      (value) => live && setAnswer({ token, value }),
      (err: unknown) => live && setAnswer({ token, error: errorInfo(err) }),
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render; the token says when to ask again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);
  const current = token !== undefined && answer?.token === token;
  const state: AsyncState<T> = { loading: token !== undefined && !current, current, reload };
  if (token !== undefined && answer?.value !== undefined) state.value = answer.value;
  if (current && answer?.error !== undefined) state.error = answer.error;
  return state;
}

/** `value`, once it has stayed the same for `ms` milliseconds. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
