// Secrets never reach a log, a manifest, an event or an error message: every text and JSON-able
// value that leaves the engine goes through these. A server can echo a credential back in any
// encoding the tool sent it in, or quote it in its own error text, so every such form is removed:
//  - the plain value;
//  - JSON-escaped (a password with " or \ inside a JSON body, once or twice escaped);
//  - URL-escaped (encodeURIComponent, form encoding, a URL's user-info part);
//  - base64 anywhere inside a base64 run: HTTP Basic (base64 of "user:password"), an
//    Elasticsearch ApiKey (base64 of "id:key"), SMTP AUTH PLAIN/LOGIN. The secret's bytes can
//    sit at any of three alignments inside a longer encoded text; for each alignment the
//    characters that depend on the secret alone are searched, and the whole base64 run that
//    holds them is replaced, so no user name is needed to find a Basic header.
import type { RunSecrets } from '../../contract/profile.js';

const MASK = '***';
/** Shorter values are not treated as secrets (they would mask ordinary words). */
const MIN_SECRET_LENGTH = 3;

interface Forms {
  /** Texts replaced wherever they occur. */
  literal: string[];
  /** Base64 cores: the run of base64 characters holding one is replaced whole. */
  base64Cores: string[];
}

/**
 * An Elasticsearch API key is "id:key" or base64 of it; the key part alone is secret too (a
 * server may quote just that), the id is not.
 */
function apiKeyParts(v: string): string[] {
  const decoded = Buffer.from(v, 'base64').toString('utf8');
  const idKey = v.includes(':') ? v : /^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/.test(decoded) ? decoded : undefined;
  return idKey === undefined ? [] : [idKey, idKey.slice(idKey.indexOf(':') + 1)];
}

function secretValues(secrets: RunSecrets): string[] {
  const values = Object.values(secrets).filter((v): v is string => typeof v === 'string');
  if (typeof secrets.elasticsearchApiKey === 'string')
    values.push(...apiKeyParts(secrets.elasticsearchApiKey));
  return [...new Set(values.filter((v) => v.length >= MIN_SECRET_LENGTH))];
}

const jsonEscaped = (v: string): string => JSON.stringify(v).slice(1, -1);

function urlForms(v: string): string[] {
  const component = encodeURIComponent(v);
  const out = [
    component,
    component.replace(/%20/g, '+'),
    component.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  ];
  try {
    const u = new URL('http://host.invalid/');
    u.password = v;
    out.push(u.password);
    u.username = v;
    out.push(u.username);
  } catch {
    // A value no URL accepts as user-info: it cannot arrive in that form either.
  }
  return out;
}

/**
 * The base64 characters that depend only on `v`'s bytes when they start `offset` (0..2) bytes
 * into a 3-byte group: index i is pure when its 6 bits lie inside the secret's bits.
 */
function base64Core(bytes: Buffer, offset: number, urlSafe: boolean): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(urlSafe ? 'base64url' : 'base64');
  const first = Math.ceil((offset * 8) / 6);
  const last = Math.floor(((offset + bytes.length) * 8) / 6); // exclusive
  return encoded.slice(first, last);
}

function formsOf(values: string[]): Forms {
  const literal = new Set<string>();
  const cores = new Set<string>();
  for (const v of values) {
    const json = jsonEscaped(v);
    for (const f of [v, json, jsonEscaped(json), ...urlForms(v)]) literal.add(f);
    for (const enc of ['utf8', 'latin1'] as const) {
      const bytes = Buffer.from(v, enc);
      for (const offset of [0, 1, 2])
        for (const urlSafe of [false, true]) {
          const core = base64Core(bytes, offset, urlSafe);
          if (core.length >= MIN_SECRET_LENGTH) cores.add(core);
        }
    }
  }
  const longestFirst = (a: string, b: string): number => b.length - a.length;
  return { literal: [...literal].sort(longestFirst), base64Cores: [...cores].sort(longestFirst) };
}

const BASE64_CHAR = /[A-Za-z0-9+/=_-]/;

/** Replaces the whole run of base64 characters around every occurrence of `core`. */
function maskBase64Runs(text: string, core: string): string {
  let out = text;
  let from = 0;
  for (;;) {
    const at = out.indexOf(core, from);
    if (at < 0) return out;
    let start = at;
    let end = at + core.length;
    while (start > 0 && BASE64_CHAR.test(out[start - 1] as string)) start--;
    while (end < out.length && BASE64_CHAR.test(out[end] as string)) end++;
    out = out.slice(0, start) + MASK + out.slice(end);
    from = start + MASK.length;
  }
}

function applyForms(text: string, forms: Forms): string {
  let out = text;
  for (const f of forms.literal) if (out.includes(f)) out = out.split(f).join(MASK);
  for (const core of forms.base64Cores) if (out.includes(core)) out = maskBase64Runs(out, core);
  return out;
}

/** Replaces every known secret, in every form it may have been sent in (for logs and messages). */
export function redact(text: string, secrets: RunSecrets): string {
  const values = secretValues(secrets);
  return values.length === 0 ? text : applyForms(text, formsOf(values));
}

/** The same for a secret outside RunSecrets (the Windows password of a scheduled task's account). */
export function redactSecret(text: string, secret: string): string {
  return secret.length < MIN_SECRET_LENGTH ? text : applyForms(text, formsOf([secret]));
}

/**
 * Secrets out of any JSON-able value (error details, step details) before it is written
 * anywhere. Strings (keys too) are redacted one by one; a value with nothing to remove is
 * returned as the same object, so callers that record by reference keep their reference.
 */
export function redactValue<T>(value: T, secrets: RunSecrets): T {
  const values = secretValues(secrets);
  if (value === undefined || values.length === 0) return value;
  const forms = formsOf(values);
  return walk(value, forms) as T;
}

function walk(v: unknown, forms: Forms): unknown {
  if (typeof v === 'string') return applyForms(v, forms);
  if (Array.isArray(v)) {
    const mapped = v.map((x) => walk(x, forms));
    return mapped.some((x, i) => x !== v[i]) ? mapped : v;
  }
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      // Dates and other classes: as JSON would write them.
      const text = JSON.stringify(v);
      if (text === undefined) return v;
      const clean = applyForms(text, forms);
      if (clean === text) return v;
      try {
        return JSON.parse(clean) as unknown;
      } catch {
        return MASK;
      }
    }
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const key = applyForms(k, forms);
      const val = walk(x, forms);
      if (key !== k || val !== x) changed = true;
      out[key] = val;
    }
    return changed ? out : v;
  }
  return v;
}
