// What a scheduled task runs: the desktop app headless, or the CLI under node. Both write the
// same sets and raise the same alerts; the caller picks the flavour that is installed.
// Paths follow the platform the task is for, so a Windows task can be previewed on Linux.
import { posix, resolve, win32 } from 'node:path';
import type { ScheduledCommand } from './task-xml.js';

const paths = (platform: NodeJS.Platform): typeof posix => (platform === 'win32' ? win32 : posix);

/** Absolute for the target platform: kept when already absolute there, else resolved here. */
function absolute(p: string, platform: NodeJS.Platform): string {
  const m = paths(platform);
  return m.isAbsolute(p) ? m.normalize(p) : resolve(p);
}

/** `<exe> --run <profile> --kind scheduled` — the desktop app's headless mode. */
export function appScheduledCommand(
  exePath: string,
  profileName: string,
  platform: NodeJS.Platform = process.platform,
): ScheduledCommand {
  const exe = absolute(exePath, platform);
  return {
    program: exe,
    args: ['--run', profileName, '--kind', 'scheduled'],
    workingDirectory: paths(platform).dirname(exe),
  };
}

/** `node <cli> run --config <file> --kind scheduled` — absolute paths, since tasks start elsewhere. */
export function cliScheduledCommand(
  configFile: string,
  cliScript: string,
  nodePath: string = process.execPath,
  platform: NodeJS.Platform = process.platform,
): ScheduledCommand {
  const cli = absolute(cliScript, platform);
  return {
    program: nodePath,
    args: [cli, 'run', '--config', absolute(configFile, platform), '--kind', 'scheduled'],
    workingDirectory: paths(platform).dirname(cli),
  };
}

/**
 * `node <cli> rehearse --newest --config <file>`: the weekly restore rehearsal. Always the CLI (the
 * desktop app has no headless rehearsal); the result is recorded in the set it rehearsed.
 */
export function cliRehearsalCommand(
  configFile: string,
  cliScript: string,
  nodePath: string = process.execPath,
  platform: NodeJS.Platform = process.platform,
): ScheduledCommand {
  const cli = absolute(cliScript, platform);
  return {
    program: nodePath,
    args: [cli, 'rehearse', '--newest', '--config', absolute(configFile, platform)],
    workingDirectory: paths(platform).dirname(cli),
  };
}
