// Lists the drives a backup can go to, with this tool's marker read from each one.
import { platform as osPlatform } from 'node:os';
import type { DriveInfo } from '../../contract/ui.js';
import { runCommand, type CommandRunner } from '../os/run-command.js';
import { listLinuxDrives, realLinuxFs, type LinuxFs } from './linux-drives.js';
import { readVolumeMarker } from './volume-marker.js';
import { listWindowsDrives } from './windows-drives.js';

export interface ListDrivesOptions {
  platform?: NodeJS.Platform;
  run?: CommandRunner;
  linuxFs?: LinuxFs;
  readMarker?: (root: string) => Promise<DriveInfo['marker']>;
  signal?: AbortSignal;
}

export async function listDrives(opts: ListDrivesOptions = {}): Promise<DriveInfo[]> {
  const platform = opts.platform ?? osPlatform();
  const drives =
    platform === 'win32'
      ? await listWindowsDrives(opts.run ?? runCommand, opts.signal)
      : platform === 'linux'
        ? await listLinuxDrives(opts.linuxFs ?? realLinuxFs)
        : [];
  const readMarker = opts.readMarker ?? readVolumeMarker;
  await Promise.all(
    drives.map(async (d) => {
      const m = await readMarker(d.root);
      if (m) d.marker = m;
    }),
  );
  return drives;
}
