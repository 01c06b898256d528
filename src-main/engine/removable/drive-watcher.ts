// "Run when a drive is connected": watches for the rotation's drives to appear. The platform layer
// is a source that waits for the next moment the drives may have changed and then lists the marked
// drives: on Linux a poll of the mount table (/proc/self/mountinfo), on Windows a volume-arrival
// event (Win32_VolumeChangeEvent through PowerShell/CIM, waited for with a timeout so Cancel and a
// missed event never hang the watch). A drive counts as connected when it was not there at the
// previous look: already connected when the watch starts counts too.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DriveInfo } from '../../contract/ui.js';
import { powershellCommand } from '../os/powershell.js';
import type { CommandRunner } from '../os/run-command.js';
import { throwIfAborted } from '../errors.js';

export interface DriveEventSource {
  /** Waits for the next look (a poll tick, a volume event) and returns the marked drives connected then. */
  next(signal: AbortSignal): Promise<DriveInfo[]>;
}

/** Linux: the first look at once, then every `intervalMs`. */
export function pollingSource(list: () => Promise<DriveInfo[]>, intervalMs = 2000): DriveEventSource {
  let first = true;
  return {
    async next(signal) {
      if (!first) await sleep(intervalMs, undefined, { signal });
      first = false;
      throwIfAborted(signal);
      return list();
    },
  };
}

/** Waits up to `timeoutSeconds` for a volume to arrive; prints one JSON line either way. */
export function volumeArrivalScript(timeoutSeconds: number): string {
  return `
$ErrorActionPreference = 'Stop'
$id = 'octane-backup-volume-' + [guid]::NewGuid()
Register-CimIndicationEvent -Query 'SELECT * FROM Win32_VolumeChangeEvent WHERE EventType = 2' -SourceIdentifier $id | Out-Null
try {
  $e = Wait-Event -SourceIdentifier $id -Timeout ${Math.max(1, Math.floor(timeoutSeconds))}
  if ($e) {
    $n = $e.SourceEventArgs.NewEvent
    ConvertTo-Json -Compress -InputObject @{ arrived = $true; driveName = [string]$n.DriveName; eventType = [int]$n.EventType }
  } else {
    ConvertTo-Json -Compress -InputObject @{ arrived = $false }
  }
} finally {
  Unregister-Event -SourceIdentifier $id -ErrorAction SilentlyContinue
}
`;
}

export interface VolumeArrival {
  arrived: boolean;
  driveName?: string;
}

export function parseVolumeArrival(stdout: string): VolumeArrival {
  const line =
    stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .at(-1) ?? '';
  const v = JSON.parse(line) as { arrived?: unknown; driveName?: unknown; eventType?: unknown };
  const out: VolumeArrival = {
    arrived: v.arrived === true && (v.eventType === undefined || v.eventType === 2),
  };
  if (typeof v.driveName === 'string' && v.driveName !== '') out.driveName = v.driveName;
  return out;
}

/**
 * Windows: the first look at once; after it, each look follows a volume arrival (or the timeout,
 * so a drive that arrived while no one was waiting is still seen).
 */
export function windowsVolumeSource(
  run: CommandRunner,
  list: () => Promise<DriveInfo[]>,
  timeoutSeconds = 60,
): DriveEventSource {
  let first = true;
  return {
    async next(signal) {
      if (!first) {
        const ps = powershellCommand(volumeArrivalScript(timeoutSeconds));
        const r = await run(ps.file, ps.args, { signal, timeoutMs: (timeoutSeconds + 60) * 1000 });
        if (r.code !== 0)
          throw new Error(
            `PowerShell could not wait for drives (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`,
          );
        parseVolumeArrival(r.stdout);
      }
      first = false;
      throwIfAborted(signal);
      return list();
    },
  };
}

/** This platform's source: the mount table polled on Linux, volume events on Windows. */
export function defaultDriveSource(
  list: () => Promise<DriveInfo[]>,
  run: CommandRunner,
  platform: NodeJS.Platform,
): DriveEventSource {
  return platform === 'win32' ? windowsVolumeSource(run, list) : pollingSource(list);
}

export interface WatchOptions {
  /** Marker ids of the drives to watch for (compared without case). */
  ids: readonly string[];
  signal: AbortSignal;
  onConnected: (drive: DriveInfo) => Promise<void>;
}

/** Runs until the signal aborts (then rejects with an AbortError). */
export async function watchDrives(source: DriveEventSource, opts: WatchOptions): Promise<never> {
  const wanted = new Set(opts.ids.map((id) => id.toLowerCase()));
  let before = new Set<string>();
  for (;;) {
    const drives = await source.next(opts.signal);
    const now = new Set<string>();
    for (const d of drives) {
      const id = d.marker?.id.toLowerCase();
      if (id === undefined || !wanted.has(id)) continue;
      now.add(`${id}\u0000${d.root}`);
      if (!before.has(`${id}\u0000${d.root}`)) await opts.onConnected(d);
    }
    before = now;
  }
}
