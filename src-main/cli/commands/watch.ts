// `octane-backup watch --config <file> [--json]`: waits for a drive of the profile's rotation and,
// when one is connected, runs the profile's action once (rotation.whenConnected: "backup" or
// "export"), not more often than every rotation.minIntervalHours. Runs until Ctrl-C (or the
// scheduled task that started it ends).
import { platform } from 'node:os';
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import type { ExportOutcome } from '../../contract/removable.js';
import { isAbortError } from '../../engine/errors.js';
import { runCommand } from '../../engine/os/run-command.js';
import { defaultDriveSource, type DriveEventSource } from '../../engine/removable/drive-watcher.js';
import { markedDrives } from '../../engine/removable/marked-drives.js';
import { requireRotation } from '../../engine/removable/rotation.js';
import { backUp } from '../../engine/use-cases/back-up.js';
import { exportNewest, runWhenConnected } from '../../engine/use-cases/removable.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { loadConfig } from '../load-config.js';

export interface WatchDeps {
  source?: DriveEventSource;
}

export async function watchCommand(argv: string[], io: CliIo, deps: WatchDeps = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const profile = await loadConfig(values.config, io);
  const rotation = requireRotation(profile);
  const action = rotation.whenConnected;
  if (action === undefined)
    throw new CliError(
      `The profile "${profile.profile}" does not say what to do when a drive is connected: set "rotation": { "whenConnected": "backup" } or "export".`,
    );
  const say = (m: string): void =>
    values.json ? io.out(JSON.stringify({ type: 'note', message: m })) : io.out(m);
  const report = (outcomes: ExportOutcome[]): void => {
    for (const o of outcomes)
      say(
        o.status === 'succeeded'
          ? `Copied ${o.setName} to ${o.copyPath ?? ''}, verified.`
          : `Copy ${o.status}: ${o.error?.message ?? ''}`,
      );
  };
  const source = deps.source ?? defaultDriveSource(() => markedDrives(), runCommand, platform());
  say(
    `Waiting for a drive of the rotation of "${profile.profile}" (${action} when connected). Ctrl-C stops.`,
  );
  return runWhenConnected(profile, {
    source,
    signal: io.signal,
    onNote: say,
    action: async () => {
      try {
        if (action === 'export') report(await exportNewest(profile, { signal: io.signal }));
        else {
          const out = await backUp({ profile, kind: 'scheduled', signal: io.signal, onNote: say });
          say(
            out.started
              ? `Backup ${out.result.status}: ${out.result.setName}.`
              : `Backup not started: ${out.error.message}`,
          );
        }
      } catch (err) {
        if (isAbortError(err)) throw err;
        say(`The action on connection failed: ${(err as Error).message}`);
      }
    },
  }).catch((err: unknown) => {
    if (isAbortError(err)) return EXIT_CODES.cancelled;
    throw err;
  });
}
