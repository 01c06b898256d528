// Errors cross IPC as data (Electron keeps only an Error's message): every handler's outcome
// becomes { ok, value } | { ok, error: { code, message, fix, details } }.
// No electron import: the end-to-end test binds the same handlers in plain Node.
import type { ErrorInfo } from '../contract/errors.js';
import type { Result } from '../contract/result.js';
import { ConfigError } from '../engine/config/validate-profile.js';
import { StepError } from '../engine/step.js';

/** An expected refusal from the app layer (bad request, unknown profile ...). */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function errorInfoOf(err: unknown): ErrorInfo {
  if (err instanceof StepError) return err.toInfo();
  if (err instanceof ConfigError)
    return {
      code: err.code,
      message: `The profile has ${err.problems.length} problem(s): ${err.problems.map((p) => `${p.key} ${p.message}`).join(' ')}`,
      fix: 'Correct the settings marked in the form.',
      details: { problems: err.problems },
    };
  if (err instanceof AppError) {
    const info: ErrorInfo = { code: err.code, message: err.message };
    if (err.fix !== undefined) info.fix = err.fix;
    if (err.details !== undefined) info.details = err.details;
    return info;
  }
  const e = err as Error | undefined;
  return {
    code: 'UNEXPECTED',
    message: `Unexpected error: ${e?.message ?? String(err)}`,
    fix: 'This is not a known failure. Keep the log and report it.',
  };
}

export async function toResult<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    return { ok: false, error: errorInfoOf(err) };
  }
}
