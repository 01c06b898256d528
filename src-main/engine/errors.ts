// Errors are data. An expected failure (a drive unplugged, a login refused, a profile busy) is an
// ExpectedError with a stable code, plain words, where it happened and the fix; anything else is a
// bug and is reported as UNEXPECTED. Every part of the engine, the CLI and the app glue uses this
// one class, and toErrorInfo() is the one way an error becomes data (with secrets removed).
import type { ErrorInfo, ErrorWhere } from '../contract/errors.js';
import type { RunSecrets } from '../contract/profile.js';
import { redact, redactValue } from './config/redact.js';

export interface ExpectedErrorOptions {
  step?: ErrorWhere;
  fix?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** An expected failure: stable code, plain words, and the fix. */
export class ExpectedError extends Error {
  readonly code: string;
  readonly step: ErrorWhere | undefined;
  readonly fix: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, opts: ExpectedErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ExpectedError';
    this.code = code;
    this.step = opts.step;
    this.fix = opts.fix;
    this.details = opts.details;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.fix !== undefined) info.fix = this.fix;
    if (this.step !== undefined) info.step = this.step;
    if (this.details !== undefined) info.details = this.details;
    return info;
  }
}

export function isAbortError(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR')
  );
}

/** The error every cancelled piece of work throws; isAbortError() recognises it. */
export function abortError(): Error {
  const err = new Error('The run was cancelled.');
  err.name = 'AbortError';
  return err;
}

/** Throws an AbortError when the signal is aborted; call between units of work. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

/**
 * Any error as data, secrets removed from every text and detail. `where` fills in the place when
 * the error does not say it; an error that is not an ExpectedError is reported as UNEXPECTED.
 */
export function toErrorInfo(
  err: unknown,
  opts: { where?: ErrorWhere; secrets?: RunSecrets } = {},
): ErrorInfo {
  const secrets = opts.secrets ?? {};
  if (err instanceof ExpectedError) {
    const info = err.toInfo();
    info.message = redact(info.message, secrets);
    if (info.fix !== undefined) info.fix = redact(info.fix, secrets);
    if (info.details !== undefined) info.details = redactValue(info.details, secrets);
    if (info.step === undefined && opts.where !== undefined) info.step = opts.where;
    return info;
  }
  // Not an expected failure: a bug or an unmapped error. Say so plainly.
  const e = err as Error | undefined;
  const info: ErrorInfo = {
    code: 'UNEXPECTED',
    message: redact(`Unexpected error: ${e?.message ?? String(err)}`, secrets),
    fix: 'This is not a known failure. Keep the log and report it.',
  };
  if (opts.where !== undefined) info.step = opts.where;
  return info;
}
