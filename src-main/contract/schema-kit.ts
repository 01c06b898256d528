// The building blocks of the profile schema. Each kind of field carries its human texts (label for
// the form and for problem lists, hint, what the value is) and answers every way a value can be wrong
// with the project's own wording, so that a new setting is one line in profile-schema.ts: its type,
// its validation, its label and its JSON Schema entry all come from that line.
// Platform-free (zod only): both the engine and the renderer import it.
import * as z from 'zod';

export interface FieldMeta {
  /** The form's label, also given with each problem so the UI can name the field ("SQL Server host"). */
  label: string;
  /** Help shown under the form field. */
  hint?: string;
  /** What the value is, added to the validator's messages: "is required (the SQL Server host name)." */
  what?: string;
  /** What the setting does; becomes the description in the JSON Schema for editors. */
  description?: string;
}

/**
 * The texts of every node of the schema (fields and sections). zod keeps registry entries across
 * `.refine()`/`.check()` copies of a schema, so a field keeps its texts when a rule is added to it.
 */
export const fieldMeta = z.registry<FieldMeta>();

const paren = (what: string | undefined): string => (what ? ` (${what})` : '');
const quoted = (values: readonly string[]): string[] => values.map((v) => `"${v}"`);

/** Every message the validator gives, in one place (tests and the UI rely on the exact words). */
export const MESSAGES = {
  required: (what?: string) => `is required${paren(what)}.`,
  nonEmptyString: (what?: string) => `must be a non-empty string${paren(what)}.`,
  // "C:\backups" in JSON is "C:" + backspace + "ackups": a classic silent mistake.
  controlCharacter:
    'contains a control character: in JSON, write each backslash of a Windows path twice ("C:\\\\backups").',
  string: 'must be a string.',
  trueOrFalse: 'must be true or false.',
  wholeNumber: (min: number, max: number) => `must be a whole number from ${min} to ${max}.`,
  atLeast: (min: number) => `must be a number of at least ${min}.`,
  oneOf: (values: readonly string[]) => `must be one of ${quoted(values).join(', ')}.`,
  requiredOneOf: (values: readonly string[]) => {
    const q = quoted(values);
    return `is required: ${q.length > 1 ? `${q.slice(0, -1).join(', ')} or ${q.at(-1)}` : q.join('')}.`;
  },
  names: (what?: string) => `must be a non-empty list of names${paren(what)}.`,
  list: (what?: string) => `must be a non-empty list${paren(what)}.`,
  unknownKey: (known: readonly string[]) =>
    `is not a known setting (known: ${known.join(', ')}). Check its spelling.`,
  object: 'must be an object.',
  /** Any issue a field kind below does not word itself (a guard: every kind words its own). */
  invalid: 'is not valid.',
} as const;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f]/;
const isBlank = (v: string): boolean => v.trim() === '';

/** A non-empty string without control characters; `.optional()` when it may be left out. */
export function text(meta: FieldMeta) {
  const nonEmpty = MESSAGES.nonEmptyString(meta.what);
  return z
    .string({ error: (iss) => (iss.input === undefined ? MESSAGES.required(meta.what) : nonEmpty) })
    .refine((v) => !isBlank(v), { error: nonEmpty })
    .refine((v) => isBlank(v) || !CONTROL_CHARS.test(v), { error: MESSAGES.controlCharacter })
    .register(fieldMeta, meta);
}

/** A string of any content (a password may hold anything, even nothing). */
export function anyString(meta: FieldMeta) {
  return z.string({ error: MESSAGES.string }).register(fieldMeta, meta);
}

/** A string that must match `pattern`; one message for every way it can be wrong, missing included. */
export function matching(pattern: RegExp, message: string, meta: FieldMeta) {
  return z.string({ error: message }).regex(pattern, { error: message }).register(fieldMeta, meta);
}

export function flag(meta: FieldMeta) {
  return z.boolean({ error: MESSAGES.trueOrFalse }).register(fieldMeta, meta);
}

/** A whole number in [min, max]. */
export function wholeNumber(min: number, max: number, meta: FieldMeta) {
  const error = MESSAGES.wholeNumber(min, max);
  return z.int({ error }).min(min, { error }).max(max, { error }).register(fieldMeta, meta);
}

/** A finite number ≥ min. */
export function numberAtLeast(min: number, meta: FieldMeta) {
  const error = MESSAGES.atLeast(min);
  return z
    .number({ error: (iss) => (iss.input === undefined ? MESSAGES.required(meta.what) : error) })
    .min(min, { error })
    .register(fieldMeta, meta);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, meta: FieldMeta) {
  return z
    .enum(values, {
      error: (iss) => (iss.input === undefined ? MESSAGES.requiredOneOf(values) : MESSAGES.oneOf(values)),
    })
    .register(fieldMeta, meta);
}

/** A non-empty list of non-blank strings (database names, addresses, paths). */
export function names(meta: FieldMeta) {
  const error = MESSAGES.names(meta.what);
  const name = z.string({ error }).refine((v) => !isBlank(v), { error });
  return z
    .array(name, { error: (iss) => (iss.input === undefined ? MESSAGES.required(meta.what) : error) })
    .min(1, { error })
    .register(fieldMeta, meta);
}

/** A non-empty list of `item`s (objects); a problem inside an item is reported under the list's key. */
export function listOf<T extends z.ZodType>(item: T, meta: FieldMeta) {
  const error = MESSAGES.list(meta.what);
  return z
    .array(item, { error: (iss) => (iss.input === undefined ? MESSAGES.required(meta.what) : error) })
    .min(1, { error })
    .register(fieldMeta, meta);
}

/**
 * A group of settings. Unknown keys are refused (a misspelt key would otherwise be ignored silently);
 * the message lists the known ones in the order they are declared, read from the object that found
 * the key, so a section grown with `.extend()` lists its new keys too.
 */
export function section<const S extends z.ZodRawShape>(
  shape: S,
  meta: FieldMeta,
  notAnObject: string = MESSAGES.object,
) {
  return z
    .strictObject(shape, {
      error: (iss) =>
        iss.code === 'unrecognized_keys' && iss.inst instanceof z.ZodObject
          ? MESSAGES.unknownKey(Object.keys(iss.inst.shape))
          : notAnObject,
    })
    .register(fieldMeta, meta);
}

export interface FieldEntry {
  /** Dotted key, e.g. "database.server". */
  key: string;
  meta: FieldMeta | undefined;
}

const unwrap = (s: z.ZodType): z.ZodType => (s instanceof z.ZodOptional ? (s.unwrap() as z.ZodType) : s);

/**
 * Every key of a schema, depth first in declaration order, with its texts. A key that appears in
 * more than one option of a union (database.user) is listed once per option.
 */
export function schemaFields(schema: z.ZodType): FieldEntry[] {
  const out: FieldEntry[] = [];
  const children = (s: z.ZodType, key: string): void => {
    if (s instanceof z.ZodObject)
      for (const [k, child] of Object.entries(s.shape))
        visit(child as z.ZodType, key === '' ? k : `${key}.${k}`);
    else if (s instanceof z.ZodUnion)
      for (const option of s.options as readonly z.ZodType[]) children(unwrap(option), key);
  };
  const visit = (s: z.ZodType, key: string): void => {
    const inner = unwrap(s);
    out.push({ key, meta: fieldMeta.get(s) ?? fieldMeta.get(inner) });
    children(inner, key);
  };
  children(unwrap(schema), '');
  return out;
}

const indexes = new WeakMap<z.ZodType, ReadonlyMap<string, FieldMeta>>();

/**
 * The texts of every key of a schema, by dotted key (built once per schema). A key in several
 * options of a union (database.user) takes the first option's texts; a test keeps them equal.
 */
export function fieldIndex(schema: z.ZodType): ReadonlyMap<string, FieldMeta> {
  let index = indexes.get(schema);
  if (!index) {
    const m = new Map<string, FieldMeta>();
    for (const { key, meta } of schemaFields(schema)) if (meta && !m.has(key)) m.set(key, meta);
    index = m;
    indexes.set(schema, index);
  }
  return index;
}
