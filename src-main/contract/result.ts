import type { ErrorInfo } from './errors.js';

// Electron keeps only an Error's message across IPC, so results travel in an envelope.
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
