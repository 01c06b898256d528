import type { CliIo } from '../../src-main/cli/io.js';

export function captureIo(
  signal: AbortSignal = new AbortController().signal,
): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
    status: () => undefined,
    isTty: false,
    signal,
  };
}
