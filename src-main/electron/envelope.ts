// Errors cross IPC as data (Electron keeps only an Error's message): every handler's outcome
// becomes { ok, value } | { ok, error: { code, message, fix, details } }.
// No electron import: the end-to-end test binds the same handlers in plain Node.
import type { ErrorInfo } from '../contract/errors.js';
import type { Result } from '../contract/result.js';
import { ConfigError } from '../engine/config/validate-profile.js';
import { toErrorInfo } from '../engine/errors.js';

export function errorInfoOf(err: unknown): ErrorInfo {
  // The form shows each problem at its field; the banner only needs the count.
  if (err instanceof ConfigError)
    return {
      code: err.code,
      message: `The profile has ${err.problems.length} problem(s): ${err.problems.map((p) => `${p.key} ${p.message}`).join(' ')}`,
      fix: 'Correct the settings marked in the form.',
      details: { problems: err.problems },
    };
  return toErrorInfo(err);
}

export async function toResult<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    return { ok: false, error: errorInfoOf(err) };
  }
}
