import { fieldHint, fieldLabel, type ProfileKey } from '@contract/profile-fields.js';
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

/** A profile key's input: its name, and its label and hint from the profile schema. */
export const schemaField = (key: ProfileKey): { name: ProfileKey; label: string; hint?: string } => {
  const hint = fieldHint(key);
  return { name: key, label: fieldLabel(key), ...(hint !== undefined ? { hint } : {}) };
};

/** The label of a field offered instead of the one before it: "or instance", "or CA fingerprint (SHA-256)". */
export const orLabel = (key: ProfileKey): string => {
  const label = fieldLabel(key);
  // Lower-case a capitalised word ("Instance"), not an abbreviation ("CA").
  const lower = /^[A-Z][a-z]/.test(label) ? label[0]?.toLowerCase() + label.slice(1) : label;
  return `or ${lower}`;
};
