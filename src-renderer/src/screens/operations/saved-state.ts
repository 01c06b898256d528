// Actions that work on the stored profile (install a task, prune) must not act on rules the
// admin has typed but not saved: these helpers tell the two apart.
import type { EditorState } from '../profiles/editor-model.js';

/** The name the profile is stored under; undefined for a profile never saved. */
export function storedName(state: EditorState): string | undefined {
  return state.original?.profile.profile;
}

/** True when the form's value at `key` ("retention", "schedule") differs from the stored one. */
export function differsFromSaved(state: EditorState, key: 'schedule' | 'retention' | 'alerts'): boolean {
  const saved: unknown = state.original?.profile[key];
  const now: unknown = state.profile[key];
  return JSON.stringify(saved ?? null) !== JSON.stringify(now ?? null);
}
