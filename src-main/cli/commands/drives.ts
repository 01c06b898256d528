// `octane-backup drives [--config <file>] [--mark <drive root>] [--json]`: the drives connected
// now and their marker ids; --mark gives a drive its marker (its identity for a rotation); with a
// profile, the rotation: each drive, what it holds, when it was last seen, and which to plug next.
// `octane-backup eject <drive root> [--json]`: safely removes a drive, or says why not.
import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../../contract/errors.js';
import { formatBytes, formatDateTime } from '../../contract/format.js';
import type { RotationStatusView } from '../../contract/removable.js';
import type { DriveInfo } from '../../contract/ui.js';
import { listDrives } from '../../engine/drives/list-drives.js';
import { ensureVolumeMarker } from '../../engine/drives/volume-marker.js';
import { ejectDrive, type EjectOptions } from '../../engine/removable/eject.js';
import { markedDrives } from '../../engine/removable/marked-drives.js';
import { nextDrive, rotationStatus } from '../../engine/removable/rotation.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { loadConfig } from '../load-config.js';

export interface DrivesDeps {
  drives?: () => Promise<DriveInfo[]>;
}

/** Listed drives plus marked mounts the listing leaves out (loop and FUSE mounts on Linux). */
async function allDrives(): Promise<DriveInfo[]> {
  const listed = await listDrives().catch(() => [] as DriveInfo[]);
  const marked = await markedDrives().catch(() => [] as DriveInfo[]);
  return [...listed, ...marked.filter((m) => !listed.some((l) => l.root === m.root))];
}

export async function drivesCommand(argv: string[], io: CliIo, deps: DrivesDeps = {}): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      mark: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  const drives = deps.drives ?? allDrives;
  if (values.mark !== undefined) {
    const root = values.mark;
    const found = (await drives()).find((d) => d.root === root);
    const marker = await ensureVolumeMarker(found ?? { root, removable: true });
    if (values.json) io.out(JSON.stringify({ root, marker }));
    else
      io.out(
        `${root} carries the drive id ${marker.id}.\nAdd it to a profile's rotation: "rotation": { "drives": [{ "id": "${marker.id}", "name": "Offsite A" }] }`,
      );
    return EXIT_CODES.success;
  }
  if (values.config !== undefined) {
    const profile = await loadConfig(values.config, io);
    const status = await rotationStatus(profile, { drives: await drives() });
    if (values.json) io.out(JSON.stringify({ ...status, next: nextDrive(status) ?? null }));
    else printRotation(io, status);
    return EXIT_CODES.success;
  }
  const list = await drives();
  if (values.json) io.out(JSON.stringify(list));
  else if (list.length === 0) io.out('No drives found.');
  else
    for (const d of list)
      io.out(
        `${d.root}  ${d.label ?? ''}  ${d.fileSystem ?? ''}  ${formatBytes(d.freeBytes)} free of ${formatBytes(d.sizeBytes)}${d.removable ? '  removable' : ''}  ${d.marker ? `drive id ${d.marker.id}` : '(no marker: octane-backup drives --mark <root>)'}`,
      );
  return EXIT_CODES.success;
}

function printRotation(io: CliIo, s: RotationStatusView): void {
  io.out(`Drive rotation of "${s.profile}":`);
  for (const d of s.drives) {
    const name = d.label !== undefined ? `"${d.label}"` : d.volumeId.slice(0, 8);
    const where = d.connected
      ? `connected at ${d.root ?? ''}`
      : `not connected${d.lastSeenAt ? `, last seen ${formatDateTime(d.lastSeenAt)}` : ''}`;
    const holds = d.newestSet ? `newest copy ${d.newestSet.setName}` : 'no copy known';
    io.out(
      `  ${name}: ${where}; ${holds}${d.sets !== undefined ? ` (${d.sets} on the drive)` : ''}${d.freeBytes !== undefined ? `; ${formatBytes(d.freeBytes)} free` : ''}`,
    );
    if (d.warning) io.out(`    Warning: ${d.warning}`);
  }
  const next = nextDrive(s);
  if (next)
    io.out(
      `Connect next: ${next.label !== undefined ? `"${next.label}"` : next.volumeId} (it holds the oldest copy).`,
    );
}

export async function ejectCommand(argv: string[], io: CliIo, opts: EjectOptions = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const root = positionals[0];
  if (!root || positionals.length > 1)
    throw new CliError('eject takes exactly one argument: the drive (E:\\ or its mount point).');
  const r = await ejectDrive(root, { ...opts, signal: io.signal });
  if (values.json) io.out(JSON.stringify(r));
  else
    say(
      io,
      r.ejected,
      `${r.message}${r.holders ? ` In use by: ${r.holders.join(', ')}.` : ''}${r.fix ? `\nFix: ${r.fix}` : ''}`,
    );
  return r.ejected ? EXIT_CODES.success : EXIT_CODES.failed;
}

/** Good news on stdout, bad news on stderr. */
function say(io: CliIo, good: boolean, line: string): void {
  if (good) io.out(line);
  else io.err(line);
}
