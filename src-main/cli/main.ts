// Process wiring for the CLI: Ctrl-C, SIGTERM (a stopped scheduled task, systemd) and SIGHUP (the
// terminal or SSH session closed) cancel cleanly: the run finishes its cleanup, says "cancelled",
// releases its lock. A second signal exits at once.
import { createInterface } from 'node:readline/promises';
import { EXIT_CODES } from '../contract/errors.js';
import { cli } from './cli.js';

const controller = new AbortController();
let interrupts = 0;
const onSignal = (): void => {
  interrupts++;
  if (interrupts === 1) {
    process.stderr.write('\nCancelling: finishing cleanup (press Ctrl-C again to quit at once)...\n');
    controller.abort();
  } else process.exit(EXIT_CODES.cancelled);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// Windows has no SIGHUP; Node emulates it there for a closed console window, which is the same case.
process.on('SIGHUP', onSignal);

const isTty = Boolean(process.stdout.isTTY);

/** One line from the terminal; Ctrl-C while asking cancels like anywhere else. */
async function ask(question: string): Promise<string | undefined> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  rl.on('SIGINT', onSignal);
  try {
    return await rl.question(question, { signal: controller.signal });
  } catch {
    return undefined;
  } finally {
    rl.close();
  }
}
let statusShown = false;
const code = await cli(process.argv.slice(2), {
  out: (line) => {
    if (statusShown) process.stdout.write('\r\x1b[K');
    statusShown = false;
    process.stdout.write(line + '\n');
  },
  err: (line) => process.stderr.write(line + '\n'),
  status: (line) => {
    if (!isTty) return;
    process.stdout.write('\r\x1b[K' + line);
    statusShown = line !== '';
  },
  isTty,
  signal: controller.signal,
  ...(process.stdin.isTTY && isTty && { ask }),
});
process.exitCode = code;
