import type { ErrorInfo } from '@contract/errors.js';

/** A refused or failed call to main, carrying the error as data (code, message, fix, details). */
export class ApiError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
  }
}

export function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof ApiError) return err.info;
  return { code: 'UNEXPECTED', message: err instanceof Error ? err.message : String(err) };
}
