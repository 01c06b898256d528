import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DriveInfo } from '../../../src-main/contract/ui.js';
import { joinUnderRoot, relativeUnderRoot } from '../../../src-main/engine/drives/drive-paths.js';
import type { LinuxFs } from '../../../src-main/engine/drives/linux-drives.js';
import { listDrives } from '../../../src-main/engine/drives/list-drives.js';
import {
  bindingFor,
  driveFor,
  ensureVolumeMarker,
  readVolumeMarker,
  resolveBinding,
  VOLUME_MARKER_FILE,
} from '../../../src-main/engine/drives/volume-marker.js';
import { ExpectedError } from '../../../src-main/engine/errors.js';
import { tempDir } from '../../support/temp.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-drives-');
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('volume marker files', () => {
  it('writes one marker with an id, label and serial, and returns the same id the next time', async () => {
    const root = join(tmp.path, 'usb');
    await mkdir(root);
    const drive: DriveInfo = { root, label: 'BACKUP1', serial: 'SN123', removable: true };
    const first = await ensureVolumeMarker(drive);
    const again = await ensureVolumeMarker({ ...drive, label: 'RENAMED' });
    expect(again).toEqual(first);
    expect(first).toMatchObject({ tool: 'octane-backup-manager', label: 'BACKUP1', serial: 'SN123' });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(await readFile(join(root, VOLUME_MARKER_FILE), 'utf8'))).toEqual(first);
  });

  it('ignores a marker file that is not ours or is damaged', async () => {
    await writeFile(join(tmp.path, VOLUME_MARKER_FILE), '{"tool":"other","id":"x"}');
    expect(await readVolumeMarker(tmp.path)).toBeUndefined();
    await writeFile(join(tmp.path, VOLUME_MARKER_FILE), '{"tool":"octane-backup');
    expect(await readVolumeMarker(tmp.path)).toBeUndefined();
  });

  it('refuses with a plain error and fix when the drive cannot be written', async () => {
    const err = await ensureVolumeMarker({ root: join(tmp.path, 'not-there'), removable: true }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExpectedError);
    expect((err as ExpectedError).code).toBe('VOLUME_MARKER_WRITE');
    expect((err as ExpectedError).fix).toMatch(/write-protected/);
  });

  it('finds the bound destination after the drive comes back under another mount point (another letter)', async () => {
    const first = join(tmp.path, 'E');
    await mkdir(join(first, 'OctaneBackups'), { recursive: true });
    const marker = await ensureVolumeMarker({ root: first, label: 'BACKUP1', removable: true });
    const binding = bindingFor(join(first, 'OctaneBackups'), { root: first, removable: true }, marker);
    expect(binding.relativePath).toBe('OctaneBackups');
    const moved = join(tmp.path, 'F');
    await rename(first, moved);
    const drives = await listDrives({ platform: 'linux', linuxFs: fakeMounts([moved]) });
    expect(resolveBinding(binding, drives)).toEqual({ root: moved, path: join(moved, 'OctaneBackups') });
  });

  it('does not take a different drive in the same place for the backup drive', async () => {
    const root = join(tmp.path, 'E');
    await mkdir(root);
    const ours = await ensureVolumeMarker({ root, label: 'BACKUP1', removable: true });
    const binding = bindingFor(root, { root, removable: true }, ours);
    await writeFile(join(root, VOLUME_MARKER_FILE), '{}');
    const other = await ensureVolumeMarker({ root, label: 'OTHER', removable: true });
    const drives = await listDrives({ platform: 'linux', linuxFs: fakeMounts([root]) });
    const err = (() => {
      try {
        return resolveBinding(binding, drives);
      } catch (e) {
        return e;
      }
    })() as ExpectedError;
    expect(err.code).toBe('VOLUME_MISMATCH');
    expect(err.message).toContain('another backup drive ("OTHER")');
    expect(err.details).toMatchObject({ expected: ours.id, found: other.id });
  });

  it('says which drive to connect when it is not there', () => {
    const err = (() => {
      try {
        return resolveBinding(
          { volumeId: '0123456789', label: 'BACKUP1', relativePath: '', lastRoot: 'E:\\' },
          [],
        );
      } catch (e) {
        return e;
      }
    })() as ExpectedError;
    expect(err.code).toBe('VOLUME_NOT_CONNECTED');
    expect(err.message).toBe('"BACKUP1" (drive id 01234567) is not connected (last seen as E:\\).');
    expect(err.fix).toMatch(/drive letter does not matter/);
  });
});

describe('drive path arithmetic (Windows roots work on any OS)', () => {
  it('joins and splits folders under a Windows drive root, case-insensitively', () => {
    expect(joinUnderRoot('E:\\', 'OctaneBackups/site')).toBe('E:\\OctaneBackups\\site');
    expect(joinUnderRoot('E:\\', '')).toBe('E:\\');
    expect(relativeUnderRoot('E:\\', 'e:\\OctaneBackups\\Site')).toBe('OctaneBackups/Site');
    expect(relativeUnderRoot('E:\\', 'F:\\OctaneBackups')).toBeUndefined();
    expect(relativeUnderRoot('/media/usb', '/media/usb2/x')).toBeUndefined();
    expect(relativeUnderRoot('/media/usb', '/media/usb/x/y')).toBe('x/y');
  });

  it('picks the innermost drive for a folder', () => {
    const drives: DriveInfo[] = [
      { root: '/', removable: false },
      { root: '/media/usb', removable: true },
    ];
    expect(driveFor('/media/usb/OctaneBackups', drives)?.root).toBe('/media/usb');
    expect(driveFor('/srv/backups', drives)?.root).toBe('/');
    expect(driveFor('E:\\x', drives)).toBeUndefined();
  });
});

/** /proc/mounts listing the given folders as mounted removable drives. */
function fakeMounts(roots: string[]): LinuxFs {
  return {
    readFile: (p: string) =>
      p === '/proc/mounts'
        ? Promise.resolve(
            roots
              .map(
                (r, i) => `/dev/sd${String.fromCharCode(98 + i)}1 ${r.replace(/ /g, '\\040')} exfat rw 0 0`,
              )
              .join('\n'),
          )
        : Promise.resolve('1'),
    readdir: () => Promise.resolve([]),
    readlink: () => Promise.reject(new Error('EINVAL')),
    statfs: () => Promise.resolve({ bsize: 4096, blocks: 10, bavail: 5 }),
  };
}
