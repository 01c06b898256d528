// Drive rotation (issue 18) on real exFAT and NTFS images carrying the tool's drive marker: two
// drives used in turn, each with its own retention (never its last copy), the status of each and
// the drive to plug in next; "run when connected" firing once when an image is mounted and not
// again within the limit; eject of a mounted image (and refused while a process holds it).
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import type { DriveInfo } from '../../../src-main/contract/ui.js';
import { ensureVolumeMarker } from '../../../src-main/engine/drives/volume-marker.js';
import { isAbortError } from '../../../src-main/engine/errors.js';
import { pollingSource } from '../../../src-main/engine/removable/drive-watcher.js';
import { ejectDrive } from '../../../src-main/engine/removable/eject.js';
import { linuxMarkedDrives } from '../../../src-main/engine/removable/marked-drives.js';
import { copiesOn, nextDrive, rotationStatus } from '../../../src-main/engine/removable/rotation.js';
import { runPreflight } from '../../../src-main/engine/preflight/run-preflight.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { backUp } from '../../../src-main/engine/use-cases/back-up.js';
import { exportBackupSet, runWhenConnected } from '../../../src-main/engine/use-cases/removable.js';
import { registry } from '../../support/fake-steps.js';
import { fsImage, isMounted, type Mounted } from '../../support/mounts.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
const mounts: Mounted[] = [];
beforeEach(async () => {
  dir = await tempDir('obm-rotation-');
});
afterEach(async () => {
  for (const m of mounts.splice(0)) await m.cleanup();
  await dir.cleanup();
});

async function drive(kind: 'exfat' | 'ntfs', label: string): Promise<{ m: Mounted; id: string }> {
  const m = await fsImage(kind, 64);
  mounts.push(m);
  const marker = await ensureVolumeMarker({ root: m.path, removable: true, label });
  return { m, id: marker.id };
}

const profileWith = (ids: string[], extra: Partial<NonNullable<Profile['rotation']>> = {}): Profile => ({
  profile: 'nightly',
  destination: join(dir.path, 'fixed-disk'),
  database: { engine: 'sqlserver', server: 'db', databases: ['a'], serverBackupDir: 'D:\\b' },
  repository: { path: join(dir.path, 'repo') },
  rotation: { drives: ids.map((id, i) => ({ id, name: `Offsite ${'AB'[i]}` })), folder: 'Backups', ...extra },
});

async function newSet(p: Profile): Promise<string> {
  const r = await runBackup(p, {
    steps: registry({ database: { kind: 'ok' }, repository: { kind: 'ok' } }, []),
  });
  expect(r.status).toBe('succeeded-with-warnings');
  await sleep(1050); // set names have one-second resolution
  return r.setPaths[0] as string;
}

const connected = (): Promise<DriveInfo[]> => linuxMarkedDrives();

describe('a rotation of two drives (real exFAT and NTFS images)', () => {
  it('exports to whichever is connected, keeps the newest N on each (never the last), and names the next', async () => {
    const a = await drive('exfat', 'OFFSITE-A');
    const b = await drive('ntfs', 'OFFSITE-B');
    const p = profileWith([a.id, b.id], { keepLast: 2, warnAfterDays: 7 });
    b.m.detachLazy(); // B is offsite
    await b.m.waitReleased();
    const sets = [await newSet(p), await newSet(p), await newSet(p)];
    for (const s of sets) {
      const [out] = await exportBackupSet({ setPath: s, profile: p, drives: connected });
      expect(out?.status, JSON.stringify(out?.error)).toBe('succeeded');
      expect(out?.drive?.volumeId).toBe(a.id);
      expect(out?.copyPath).toBe(join(a.m.path, 'Backups', 'nightly', s.split('/').at(-1) as string));
    }
    const onA = (await copiesOn(p, join(a.m.path, 'Backups'))).map((s) => s.setName);
    expect(onA).toEqual([sets[2], sets[1]].map((s) => (s as string).split('/').at(-1)));
    let status = await rotationStatus(p, { drives: await connected() });
    expect(status.drives.map((d) => [d.label, d.connected, d.sets])).toEqual([
      ['Offsite A', true, 2],
      ['Offsite B', false, undefined],
    ]);
    expect(status.drives[1]?.warning).toMatch(/"Offsite B" has never been connected/);
    expect(nextDrive(status)?.volumeId).toBe(b.id);

    // Rotate: A goes offsite, B comes back and receives the newest set.
    a.m.detachLazy();
    await a.m.waitReleased();
    b.m.remount();
    const [toB] = await exportBackupSet({ setPath: sets[2] as string, profile: p, drives: connected });
    expect(toB?.status, JSON.stringify(toB?.error)).toBe('succeeded');
    expect(toB?.drive?.volumeId).toBe(b.id);
    expect(toB?.retention?.deleted).toEqual([]);
    status = await rotationStatus(p, { drives: await connected() });
    const [viewA, viewB] = status.drives;
    expect(viewA?.connected).toBe(false);
    expect(viewA?.lastSeenAt).toBeDefined();
    expect(viewA?.newestSet?.setName).toBe((sets[2] as string).split('/').at(-1));
    expect(viewB?.connected).toBe(true);
    expect(viewB?.sets).toBe(1);
    expect(nextDrive(status)?.volumeId).toBe(a.id);
    // Ten days later, A has been away too long.
    const later = await rotationStatus(p, {
      drives: await connected(),
      now: new Date(Date.now() + 10 * 86_400_000),
    });
    expect(later.drives[0]?.warning).toMatch(
      /"Offsite A" was last connected .*10 days ago, more than 7 days.*rotate it/,
    );
    a.m.remount();
  });

  it('with no drive of the rotation connected, the export says which drive to connect', async () => {
    const a = await drive('exfat', 'OFFSITE-A');
    const p = profileWith([a.id, '00000000-0000-4000-8000-000000000000']);
    const s = await newSet(p);
    a.m.detachLazy();
    await a.m.waitReleased();
    await expect(exportBackupSet({ setPath: s, profile: p, drives: connected })).rejects.toMatchObject({
      code: 'ROTATION_DRIVE_NOT_CONNECTED',
      fix: expect.stringMatching(/Connect "Offsite (A|B)"/) as unknown,
    });
    a.m.remount();
  });
});

describe('copy after each run (rotation.exportAfterRun, real exFAT image)', () => {
  it('each new usable set goes to the connected drive, its retention keeps one; no drive: the run still succeeds', async () => {
    const a = await drive('exfat', 'OFFSITE-A');
    const p = profileWith([a.id], { exportAfterRun: true, keepLast: 1 });
    const notes: string[] = [];
    const run = () =>
      backUp(
        { profile: p, kind: 'manual', signal: new AbortController().signal, onNote: (n) => notes.push(n) },
        {
          steps: registry({ database: { kind: 'ok' }, repository: { kind: 'ok' } }, []),
          removable: { drives: connected },
        },
      );
    const first = await run();
    expect(first.started && first.exports?.map((o) => o.status)).toEqual(['succeeded']);
    await sleep(1050);
    const second = await run();
    if (!second.started) throw new Error('not started');
    expect(second.exports?.[0]?.retention?.deleted).toHaveLength(1);
    const onA = (await copiesOn(p, join(a.m.path, 'Backups'))).map((s) => s.setName);
    expect(onA).toEqual([second.result.setName]);
    expect(notes.join('\n')).toMatch(/Copy to the rotation drive: .* verified/);
    a.m.detachLazy();
    await a.m.waitReleased();
    await sleep(1050);
    const third = await run();
    expect(third.started && third.result.status).toBe('succeeded-with-warnings');
    expect(notes.at(-1)).toMatch(
      /Copy to the rotation drive: not made\. No drive of the rotation .* is connected/,
    );
    a.m.remount();
  });
});

describe('preflight knows the rotation (real exFAT image as drive A)', () => {
  it('says which drive is connected with its free space against a set, and which was never seen', async () => {
    const a = await drive('exfat', 'OFFSITE-A');
    const p = profileWith([a.id, '00000000-0000-4000-8000-00000000000b'], { exportAfterRun: true });
    await newSet(p);
    const steps = registry({ database: { kind: 'ok' }, repository: { kind: 'ok' } }, []);
    const report = await runPreflight(p, { drives: connected, steps });
    const rot = report.checks.filter((c) => c.id.startsWith('rotation:'));
    expect(rot.map((c) => [c.title, c.status])).toEqual([
      ['Rotation drive "Offsite A"', 'ok'],
      ['Rotation drive "Offsite B"', 'warning'],
    ]);
    expect(rot[0]?.message).toMatch(
      /is connected at .* with \d+\.\d+ MiB free; a set takes about \S+ (bytes|KiB)\.$/,
    );
    expect(rot[1]?.message).toMatch(/"Offsite B" is not connected: "Offsite B" has never been connected/);
    a.m.detachLazy();
    await a.m.waitReleased();
    const away = await runPreflight(p, { drives: connected, steps });
    expect(away.checks.find((c) => c.id === 'rotation:connected')?.message).toMatch(
      /No drive of the rotation is connected: the copy after the run will not be made/,
    );
    a.m.remount();
  });
});

describe('run when a drive is connected (real exFAT image, mount table polled)', () => {
  it('fires once when the image is mounted, and not again within the limit', async () => {
    const a = await drive('exfat', 'OFFSITE-A');
    a.m.detachLazy();
    await a.m.waitReleased();
    const p = profileWith([a.id], { whenConnected: 'export', minIntervalHours: 12 });
    const fired: string[] = [];
    const notes: string[] = [];
    const ac = new AbortController();
    const watching = runWhenConnected(p, {
      source: pollingSource(connected, 100),
      signal: ac.signal,
      action: (d) => {
        fired.push(d.root);
        return Promise.resolve();
      },
      onNote: (t) => notes.push(t),
    }).catch((err: unknown) => err);
    await sleep(400);
    expect(fired).toEqual([]);
    a.m.remount();
    for (let i = 0; i < 50 && fired.length === 0; i++) await sleep(100);
    expect(fired).toEqual([a.m.path]);
    // Unplugged and plugged again within 12 hours: seen, said, not started again.
    a.m.detachLazy();
    await a.m.waitReleased();
    await sleep(300);
    a.m.remount();
    for (let i = 0; i < 50 && notes.length < 2; i++) await sleep(100);
    expect(fired).toHaveLength(1);
    expect(notes.at(-1)).toMatch(
      /was connected at .*; the last run on connection was .*nothing starts before/,
    );
    ac.abort();
    expect(isAbortError(await watching)).toBe(true);
  });
});

describe('eject (Linux, real image)', () => {
  it('unmounts the drive and says it can be unplugged', async () => {
    const a = await drive('exfat', 'OFFSITE-A');
    const r = await ejectDrive(a.m.path);
    expect(r).toMatchObject({ ejected: true, unmountedOnly: true });
    expect(r.message).toMatch(/was unmounted: it can be unplugged now/);
    expect(isMounted(a.m.path)).toBe(false);
    a.m.remount();
  });

  it('a folder on the drive names the drive; a folder on the system disk or a tmpfs is never unmounted', async () => {
    const a = await drive('exfat', 'OFFSITE-A');
    await mkdir(join(a.m.path, 'OctaneBackups'));
    const r = await ejectDrive(join(a.m.path, 'OctaneBackups'));
    expect(r).toMatchObject({ ejected: true, root: a.m.path });
    expect(isMounted(a.m.path)).toBe(false);
    a.m.remount();
    const sys = await ejectDrive('/usr/bin');
    expect(sys).toMatchObject({ ejected: false, reason: 'not-found' });
    expect(sys.message).toMatch(/not on a drive that can be ejected/);
    expect(isMounted('/dev/shm')).toBe(true);
    const shm = await ejectDrive('/dev/shm');
    expect(shm).toMatchObject({ ejected: false, reason: 'not-found' });
    expect(shm.message).toMatch(/a tmpfs file system/);
    expect(isMounted('/dev/shm')).toBe(true);
  });

  it('refuses while a process works in the drive, and names it', async () => {
    const a = await drive('ntfs', 'OFFSITE-B');
    const holder = spawn('sleep', ['30'], { cwd: a.m.path, stdio: 'ignore' });
    try {
      await sleep(200);
      const r = await ejectDrive(a.m.path);
      expect(r.ejected).toBe(false);
      expect(r.reason).toBe('busy');
      expect(r.message).toMatch(/still in use and was not ejected: do not unplug it/);
      expect(r.holders?.join(' ')).toMatch(new RegExp(`sleep \\(pid ${holder.pid}\\)`));
      expect(isMounted(a.m.path)).toBe(true);
    } finally {
      holder.kill();
    }
  });
});
