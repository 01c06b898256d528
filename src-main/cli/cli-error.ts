import { EXIT_CODES } from '../contract/errors.js';

/** An error the CLI reports in plain words and turns into an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.badInput,
    readonly code = 'BAD_INPUT',
  ) {
    super(message);
    this.name = 'CliError';
  }
}
