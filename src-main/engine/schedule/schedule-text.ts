// Text that ends up in a systemd unit, a Task Scheduler definition or a command line. A line
// break there starts a new directive (User=root\nExecStartPre=...) or a new XML/command-line
// item, so control characters are refused outright rather than escaped.
import { ExpectedError } from '../errors.js';
import { hasControlChar, showControlChars } from '../control-chars.js';

/** The parts of a scheduled command (task-xml.ts's ScheduledCommand; structural, no import cycle). */
interface CommandParts {
  program: string;
  args: readonly string[];
  workingDirectory?: string;
}

export function requireNoControlChars(what: string, value: string): string {
  if (hasControlChar(value))
    throw new ExpectedError(
      'SCHEDULE_CONTROL_CHARACTER',
      `${what} ${JSON.stringify(showControlChars(value))} contains a control character (a line break, tab or similar), which a schedule cannot carry safely.`,
      {
        step: 'schedule',
        fix: 'Remove the control character (often a stray line break pasted with a path or user name) and install the schedule again.',
      },
    );
  return value;
}

/** The program, every argument and the working folder of a scheduled command. */
export function requirePlainCommand(c: CommandParts): void {
  requireNoControlChars('The program', c.program);
  for (const a of c.args) requireNoControlChars('The argument', a);
  if (c.workingDirectory !== undefined) requireNoControlChars('The working folder', c.workingDirectory);
}
