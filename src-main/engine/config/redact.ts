// Secrets never reach a log, a manifest, an event or an error message: every text and JSON-able
// value that leaves the engine goes through these.
import type { RunSecrets } from '../../contract/profile.js';

/** Replaces every known secret value in a text (for logs and error messages). */
export function redact(text: string, secrets: RunSecrets): string {
  let out = text;
  for (const v of Object.values(secrets)) {
    if (typeof v === 'string' && v.length >= 3) out = out.split(v).join('***');
  }
  return out;
}

/** Secrets out of any JSON-able value (error details, step details) before it is written anywhere. */
export function redactValue<T>(value: T, secrets: RunSecrets): T {
  if (value === undefined) return value;
  const text = JSON.stringify(value);
  if (text === undefined) return value;
  const clean = redact(text, secrets);
  return clean === text ? value : (JSON.parse(clean) as T);
}
