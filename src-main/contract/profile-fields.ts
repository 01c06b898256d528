// The form's view of the profile schema: every key's label and hint, by dotted key. The renderer
// takes its field labels from here, and the validator gives each problem its field's label.
import type { Profile } from './profile.js';
import { profileFileSchema } from './profile-schema.js';
import { fieldIndex, type FieldMeta } from './schema-kit.js';

type Leaf = string | number | boolean | readonly unknown[];
type KeysOf<T, P extends string> = T extends Leaf
  ? never
  : { [K in keyof T & string]-?: `${P}${K}` | KeysOf<NonNullable<T[K]>, `${P}${K}.`> }[keyof T & string];

/** Every dotted key a profile can hold ("database.server", "alerts.email.to", …). */
export type ProfileKey = KeysOf<Profile, ''> | '$schema' | 'comment';

/** The texts of a key, or undefined for a key the schema does not know. */
export function fieldTexts(key: string): FieldMeta | undefined {
  return fieldIndex(profileFileSchema).get(key);
}

/** The human label of a profile key, e.g. fieldLabel('database.server') = "SQL Server host". */
export function fieldLabel(key: ProfileKey): string {
  const texts = fieldTexts(key);
  // Unreachable for a ProfileKey while every key has a label (a contract test proves it).
  if (!texts) throw new Error(`The profile schema has no label for "${key}".`);
  return texts.label;
}

/** The help text shown under a key's form field, if it has one. */
export function fieldHint(key: ProfileKey): string | undefined {
  return fieldTexts(key)?.hint;
}
