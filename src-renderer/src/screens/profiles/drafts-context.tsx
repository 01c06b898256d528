// Unsaved profile edits, kept above the screens: an admin who looks at History or another profile
// and comes back finds the form as it was (passwords typed included, never sent anywhere until
// Save). Keyed by the stored profile's name, "(new)" for a profile not saved yet.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { EditorState } from './editor-model.js';

export const NEW_PROFILE_KEY = '(new)';

export interface Drafts {
  get: (key: string) => EditorState | undefined;
  /** Keeps the edited state of a form that differs from what is stored. */
  put: (key: string, state: EditorState) => void;
  /** Forgets a draft (saved, or discarded by the admin). */
  drop: (key: string) => void;
  /** Keys of the forms with unsaved changes. */
  dirty: ReadonlySet<string>;
}

const DraftsContext = createContext<Drafts | undefined>(undefined);

export function DraftsProvider({ children }: { children: ReactNode }) {
  const states = useRef(new Map<string, EditorState>());
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set());
  const put = useCallback((key: string, state: EditorState) => {
    states.current.set(key, state);
    setDirty((d) => (d.has(key) ? d : new Set([...d, key])));
  }, []);
  const drop = useCallback((key: string) => {
    states.current.delete(key);
    setDirty((d) => (d.has(key) ? new Set([...d].filter((k) => k !== key)) : d));
  }, []);
  const get = useCallback((key: string) => states.current.get(key), []);
  const value = useMemo(() => ({ get, put, drop, dirty }), [get, put, drop, dirty]);
  return <DraftsContext.Provider value={value}>{children}</DraftsContext.Provider>;
}

/** Outside a provider (a screen rendered alone in a test) drafts live only as long as the form. */
const NO_DRAFTS: Drafts = {
  get: () => undefined,
  put: () => undefined,
  drop: () => undefined,
  dirty: new Set(),
};

export function useDrafts(): Drafts {
  return useContext(DraftsContext) ?? NO_DRAFTS;
}
