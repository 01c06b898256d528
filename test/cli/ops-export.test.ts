// The removable-media commands as an admin types them (issue 18), on real exFAT images: `drives
// --mark` gives a drive its identity, `export --to` copies and verifies a set, `export --config`
// goes to the connected drive of the rotation, `drives --config` says which drive to plug next,
// `eject` unmounts; exit codes as for `run` (0, 1 with the named error and its fix).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../src-main/cli/cli.js';
import { watchCommand } from '../../src-main/cli/commands/watch.js';
import { pollingSource } from '../../src-main/engine/removable/drive-watcher.js';
import { linuxMarkedDrives } from '../../src-main/engine/removable/marked-drives.js';
import type { Profile } from '../../src-main/contract/profile.js';
import type { ExportEvent } from '../../src-main/contract/removable.js';
import { runBackup } from '../../src-main/engine/run-backup.js';
import { captureIo } from '../support/cli-io.js';
import { registry } from '../support/fake-steps.js';
import { fsImage, isMounted, type Mounted } from '../support/mounts.js';
import { tempDir } from '../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
const mounts: Mounted[] = [];
beforeEach(async () => {
  dir = await tempDir('obm-cli-export-');
});
afterEach(async () => {
  for (const m of mounts.splice(0)) await m.cleanup();
  await dir.cleanup();
});

async function image(sizeMiB = 64): Promise<Mounted> {
  const m = await fsImage('exfat', sizeMiB);
  mounts.push(m);
  return m;
}

async function setOf(p: Profile, bytes = 1000): Promise<string> {
  const r = await runBackup(p, {
    steps: registry({ database: { kind: 'write', bytes }, repository: { kind: 'ok' } }, []),
  });
  return r.setPaths[0] as string;
}

const profile = (extra: Partial<Profile> = {}): Profile => ({
  profile: 'nightly',
  destination: join(dir.path, 'fixed-disk'),
  database: { engine: 'sqlserver', server: 'db', databases: ['a'], serverBackupDir: 'D:\\b' },
  repository: { path: join(dir.path, 'repo') },
  ...extra,
});

describe('octane-backup export / drives / eject', () => {
  it('export --to copies and verifies (exit 0); --json ends with export-finished', async () => {
    const m = await image();
    const set = await setOf(profile());
    const io = captureIo();
    expect(await cli(['export', set, '--to', m.path], io)).toBe(0);
    expect(io.lines.join('\n')).toMatch(/OK: .* copied to .*nightly.*re-read and found intact/);
    const json = captureIo();
    expect(await cli(['export', set, '--to', m.path, '--json'], json)).toBe(0);
    const last = JSON.parse(json.lines.at(-1) as string) as ExportEvent;
    expect(last.type === 'export-finished' && last.outcome.alreadyThere).toBe(true);
  });

  it('--config of a profile without a rotation and no --to: exit 2 with the fix', async () => {
    const config = join(dir.path, 'plain.json');
    await writeFile(config, JSON.stringify(profile()));
    const set = await setOf(profile());
    const io = captureIo();
    expect(await cli(['export', set, '--config', config], io)).toBe(2);
    expect(io.errors.join('\n')).toMatch(/names no drives \(rotation\)\.\nFix: Add "rotation"/);
    expect(await cli(['export', set], captureIo())).toBe(2);
  });

  it('a drive too small: exit 1, the figures and the fix', async () => {
    const m = await image(16);
    const set = await setOf(profile(), 24 * 1024 * 1024);
    const io = captureIo();
    expect(await cli(['export', set, '--to', m.path], io)).toBe(1);
    expect(io.errors.join('\n')).toMatch(
      /FAILED: .*needs .* MiB .* only .* free .*\nFix: Free space on the drive/,
    );
  });

  it('drives --mark, export --config to the rotation, drives --config names the next drive, eject', async () => {
    const m = await image();
    const mark = captureIo();
    expect(await cli(['drives', '--mark', m.path, '--json'], mark)).toBe(0);
    const id = (JSON.parse(mark.lines[0] as string) as { marker: { id: string } }).marker.id;
    const p = profile({
      rotation: {
        drives: [
          { id, name: 'Offsite A' },
          { id: '00000000-0000-4000-8000-00000000000b', name: 'Offsite B' },
        ],
      },
    });
    const config = join(dir.path, 'nightly.json');
    await writeFile(config, JSON.stringify(p));
    const set = await setOf(p);
    const io = captureIo();
    expect(await cli(['export', set, '--config', config], io), io.errors.join('\n')).toBe(0);
    expect(io.lines.join('\n')).toMatch(/copied to .*OctaneBackups.*\(drive "Offsite A"\)/);
    const status = captureIo();
    expect(await cli(['drives', '--config', config], status)).toBe(0);
    const text = status.lines.join('\n');
    expect(text).toMatch(
      /"Offsite A": connected at .*; newest copy \d{8}T\d{6}Z-manual-\w+ \(1 on the drive\)/,
    );
    expect(text).toMatch(
      /"Offsite B": not connected; no copy known\n\s+Warning: "Offsite B" has never been connected/,
    );
    expect(text).toMatch(/Connect next: "Offsite B"/);
    const ej = captureIo();
    expect(await cli(['eject', m.path], ej)).toBe(0);
    expect(ej.lines.join('\n')).toMatch(/can be unplugged now/);
    expect(isMounted(m.path)).toBe(false);
    m.remount();
  });

  it('watch --config: the drive is mounted, the newest set is copied to it once; Ctrl-C ends with 130', async () => {
    const m = await image();
    const mark = captureIo();
    await cli(['drives', '--mark', m.path, '--json'], mark);
    const id = (JSON.parse(mark.lines[0] as string) as { marker: { id: string } }).marker.id;
    m.detachLazy();
    await m.waitReleased();
    const p = profile({ rotation: { drives: [{ id }], whenConnected: 'export', minIntervalHours: 12 } });
    const config = join(dir.path, 'nightly.json');
    await writeFile(config, JSON.stringify(p));
    const set = await setOf(p);
    const ac = new AbortController();
    const io = captureIo(ac.signal);
    const watching = watchCommand(['--config', config], io, {
      source: pollingSource(() => linuxMarkedDrives(), 100),
    });
    await new Promise((r) => setTimeout(r, 300));
    m.remount();
    for (let i = 0; i < 100 && !io.lines.some((l) => l.startsWith('Copied')); i++)
      await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    expect(await watching).toBe(130);
    expect(io.lines.join('\n')).toMatch(
      /was connected at .*: starting\.\nCopied .* to .*OctaneBackups.*, verified\./,
    );
    expect(io.lines.join('\n')).toContain(set.split('/').at(-1) as string);
  });
});
