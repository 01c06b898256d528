import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import { errorInfo } from '../api/api-error.js';

export interface AsyncState<T> {
  value?: T;
  error?: ErrorInfo;
  /** True until the answer for the current key has arrived (the previous value stays visible meanwhile). */
  loading: boolean;
  reload: () => void;
}

interface Answer<T> {
  token: string;
  value?: T;
  error?: ErrorInfo;
}

/**
 * Loads data from main. `key` names the inputs: a new key (or reload) asks again, and an answer
 * counts only for the key it was asked with, so a slow old answer never overwrites a newer one.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const token = `${tick}\u0000${key}`;
  const [answer, setAnswer] = useState<Answer<T> | undefined>();
  useEffect(() => {
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
  const state: AsyncState<T> = { loading: answer?.token !== token, reload };
  if (answer?.value !== undefined) state.value = answer.value;
  if (answer?.error !== undefined && answer.token === token) state.error = answer.error;
  return state;
}
