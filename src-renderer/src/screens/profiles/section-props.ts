import type { EditorState } from './editor-model.js';

export interface SectionProps {
  state: EditorState;
  /** Sets one profile key ("database.server"); undefined removes it. */
  set: (path: string, value: unknown) => void;
  update: (f: (s: EditorState) => EditorState) => void;
  /** The validation message for a key, when it should be shown. */
  problem: (key: string) => string | undefined;
}

export const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

/** A number input's text as the profile value: empty = not set, otherwise a number (NaN is reported by validation). */
export const numberOrUndefined = (text: string): number | undefined =>
  text.trim() === '' ? undefined : Number(text);
