/** What a CLI command may touch: output lines, whether stdout is a terminal, and the Ctrl-C signal. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Rewrites the current terminal line (progress); a no-op when not a TTY. */
  status(line: string): void;
  isTty: boolean;
  signal: AbortSignal;
  /**
   * Asks a question on the terminal and returns the line typed (undefined when the input ended).
   * Absent when no one can answer (stdin is not a terminal): a command that needs a confirmation
   * must then be told --yes.
   */
  ask?: (question: string) => Promise<string | undefined>;
}
