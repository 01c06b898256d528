// Export of a set to a removable drive (issue 18), on real FAT32, exFAT and NTFS images made in the
// test and mounted through their FUSE drivers. Proved here: the copy verifies intact on its own
// (and carries its verification record); a second export finds it and copies nothing; a drive
// detached mid-export ends in a named error with nothing that looks like a set, and the next
// export succeeds; a drive too small and a file over FAT32's 4 GiB limit are refused before the
// first byte, with the figures; a damaged source is never copied; per-component destinations are
// merged into one self-contained copy.
import { mkdir, open, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_PROGRESS_MARKER, MANIFEST_FILE, VERIFICATION_FILE } from '../../../src-main/contract/manifest.js';
import type { Profile } from '../../../src-main/contract/profile.js';
import type { ExportEvent } from '../../../src-main/contract/removable.js';
import { isGoodSet } from '../../../src-main/contract/sets.js';
import { listSets } from '../../../src-main/engine/backup-set/list-sets.js';
import { exportSet } from '../../../src-main/engine/removable/export-set.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { configuredPlaces, verifyBackupSet } from '../../../src-main/engine/use-cases/verify-set.js';
import { registry, type Behaviour } from '../../support/fake-steps.js';
import { fsImage, type Mounted } from '../../support/mounts.js';
import { tempDir } from '../../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
const mounts: Mounted[] = [];
beforeEach(async () => {
  dir = await tempDir('obm-export-');
});
afterEach(async () => {
  for (const m of mounts.splice(0)) await m.cleanup();
  await dir.cleanup();
});

const profileAt = (destination: string, extra: Partial<Profile> = {}): Profile => ({
  profile: 'nightly',
  destination,
  database: { engine: 'sqlserver', server: 'db', databases: ['a'], serverBackupDir: 'D:\\b' },
  repository: { path: join(dir.path, 'repo') },
  ...extra,
});

async function sourceSet(db: Behaviour = { kind: 'ok', bytes: 50_000 }, extra: Partial<Profile> = {}) {
  const p = profileAt(join(dir.path, 'fixed-disk'), extra);
  const r = await runBackup(p, {
    steps: registry({ database: db, repository: { kind: 'ok', bytes: 30_000 } }, []),
  });
  expect(r.status).toBe('succeeded-with-warnings');
  return { profile: p, setPath: r.setPaths[0] as string, result: r };
}

async function mountedImage(kind: 'fat32' | 'exfat' | 'ntfs', sizeMiB: number): Promise<Mounted> {
  const m = await fsImage(kind, sizeMiB);
  mounts.push(m);
  return m;
}

describe.each(['fat32', 'exfat', 'ntfs'] as const)(
  'export to a %s drive (real image, FUSE driver)',
  (kind) => {
    it('copies the set into <drive>/<profile>/<set>, which verifies intact on its own and holds its record', async () => {
      const { setPath, result } = await sourceSet();
      const m = await mountedImage(kind, 64);
      const events: ExportEvent[] = [];
      const out = await exportSet({ setPath, to: m.path, onEvent: (e) => events.push(e) });
      expect(out.status, JSON.stringify(out.error)).toBe('succeeded');
      const copy = join(m.path, 'nightly', result.setName);
      expect(out.copyPath).toBe(copy);
      expect(out.verdict).toBe('intact-partial');
      expect(out.files).toBe(2);
      // The manifest is the source's, byte for byte; the copy has no marker and no leftovers.
      expect(await readFile(join(copy, MANIFEST_FILE))).toEqual(await readFile(join(setPath, MANIFEST_FILE)));
      const names = await readdir(copy);
      expect(names).not.toContain(IN_PROGRESS_MARKER);
      expect(names.filter((n) => n.endsWith('.partial'))).toEqual([]);
      // The export's own re-read is recorded on the drive.
      const record = JSON.parse(await readFile(join(copy, VERIFICATION_FILE), 'utf8')) as {
        records: { checkedPath: string; verdict: string }[];
      };
      expect(record.records.map((r) => [r.checkedPath, r.verdict])).toEqual([[copy, 'intact-partial']]);
      // A verify of the drive alone (no profile, no source) finds it intact.
      expect((await verifyBackupSet(copy)).verdict).toBe('intact-partial');
      const listed = await listSets(m.path);
      expect(listed.map((s) => [s.setName, s.status])).toEqual([[result.setName, 'succeeded-with-warnings']]);
      expect(events[0]?.type).toBe('export-started');
      expect(events.at(-1)?.type).toBe('export-finished');
      const phases = events.flatMap((e) => (e.type === 'export-progress' ? [e.phase] : []));
      expect(phases).toContain('verify');
      // Exported again: found verified, nothing copied.
      const again = await exportSet({ setPath, to: m.path });
      expect(again.status).toBe('succeeded');
      expect(again.alreadyThere).toBe(true);
      // Said with the app's one date format, not a raw ISO time.
      expect(again.notes.join(' ')).toMatch(/verified \d{4}-\d\d-\d\d \d\d:\d\d: nothing was copied\./);
    });

    it('a drive detached mid-export: a named error, nothing that looks like a set, and the next export succeeds', async () => {
      const { setPath, result } = await sourceSet({ kind: 'write', bytes: 24 * 1024 * 1024 });
      const m = await mountedImage(kind, 96);
      let detached = false;
      const out = await exportSet({
        setPath,
        to: m.path,
        onEvent: (e) => {
          if (
            !detached &&
            e.type === 'export-progress' &&
            // Mid-copy; on a fast drive the first report may already be the re-read's.
            (e.phase === 'verify' || e.bytesDone > 4 * 1024 * 1024)
          ) {
            detached = true;
            m.detachLazy();
          }
        },
      });
      expect(detached).toBe(true);
      expect(out.status).toBe('failed');
      expect(out.copyPath).toBeUndefined();
      expect(['DESTINATION_GONE', 'DESTINATION_REPLACED', 'DESTINATION_IO_ERROR']).toContain(out.error?.code);
      expect(out.error?.fix).toMatch(/connected|remounted|drive/);
      // Nothing was written onto the disk that answers at the mount point now.
      expect(await readdir(m.path)).toEqual([]);
      await m.waitReleased();
      m.remount();
      // On the drive: the copy as far as it got, marked, never a good set.
      const sets = await listSets(m.path);
      for (const s of sets) {
        expect(s.status).toBe('incomplete');
        expect(isGoodSet(s)).toBe(false);
      }
      const next = await exportSet({ setPath, to: m.path });
      expect(next.status, JSON.stringify(next.error)).toBe('succeeded');
      expect(next.verdict).toBe('intact-partial');
      expect(next.notes.join('\n')).toMatch(/interrupted copy of this set .* was removed and copied again/);
      expect((await listSets(m.path)).map((s) => [s.setName, s.status])).toEqual([
        [result.setName, 'succeeded-with-warnings'],
      ]);
    });
  },
);

describe('refused before the first byte', () => {
  it('a drive too small: EXPORT_TARGET_TOO_SMALL with the figures, nothing written (exFAT image)', async () => {
    const { setPath } = await sourceSet({ kind: 'write', bytes: 40 * 1024 * 1024 });
    const m = await mountedImage('exfat', 24);
    const events: ExportEvent[] = [];
    const out = await exportSet({ setPath, to: m.path, onEvent: (e) => events.push(e) });
    expect(out.status).toBe('failed');
    expect(out.error?.code).toBe('EXPORT_TARGET_TOO_SMALL');
    expect(out.error?.message).toMatch(/needs 4\d\.\d MiB on .* but only \d+\.\d MiB is free of 2\d\.\d MiB/);
    const d = out.error?.details as { neededBytes: number; freeBytes: number };
    expect(d.neededBytes).toBeGreaterThan(40 * 1024 * 1024);
    expect(d.freeBytes).toBeLessThan(d.neededBytes);
    expect(events.map((e) => e.type)).toEqual(['export-finished']);
    expect(await readdir(m.path)).toEqual([]);
  });

  it('a file over 4 GiB to FAT32: EXPORT_FILE_TOO_LARGE names the file and the limit, nothing written', async () => {
    const { setPath } = await sourceSet();
    // The set's database file grows (sparse) past 4 GiB, and its manifest says so.
    const manifestPath = join(setPath, MANIFEST_FILE);
    const big = 2 ** 32 + 4096;
    const text = await readFile(manifestPath, 'utf8');
    const manifest = JSON.parse(text) as { components: { id: string; artifacts: { bytes: number }[] }[] };
    const db = manifest.components.find((c) => c.id === 'database');
    (db?.artifacts[0] as { bytes: number }).bytes = big;
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    await truncate(join(setPath, 'database', 'database.bin'), big);
    const m = await mountedImage('fat32', 64);
    const out = await exportSet({ setPath, to: m.path });
    expect(out.status).toBe('failed');
    expect(out.error?.code).toBe('EXPORT_FILE_TOO_LARGE');
    expect(out.error?.message).toMatch(/database\/database\.bin \(4\.00 GiB\).*FAT32.*4 GiB - 1 byte/);
    expect(out.error?.fix).toMatch(/exFAT or NTFS/);
    expect((await readdir(m.path)).filter((n) => !n.startsWith('.'))).toEqual([]);
  });
});

describe('the source', () => {
  it('a set whose file no longer matches its manifest is not copied, and no copy is left', async () => {
    const { setPath, result } = await sourceSet();
    const fh = await open(join(setPath, 'repository', 'repository.bin'), 'r+');
    await fh.write(Buffer.from('X'), 0, 1, 10);
    await fh.close();
    const to = join(dir.path, 'drive');
    await mkdir(to);
    const out = await exportSet({ setPath, to });
    expect(out.status).toBe('failed');
    expect(out.error?.code).toBe('EXPORT_SOURCE_DAMAGED');
    expect(out.error?.message).toMatch(/repository\/repository\.bin .* does not match its manifest/);
    expect(await readdir(join(to, 'nightly')).catch(() => [])).not.toContain(result.setName);
  });

  it('Cancel during the copy: status cancelled, the copy removed, the source untouched', async () => {
    const { setPath, result } = await sourceSet({ kind: 'write', bytes: 16 * 1024 * 1024 });
    const to = join(dir.path, 'usb');
    await mkdir(to);
    const ac = new AbortController();
    const events: ExportEvent[] = [];
    const out = await exportSet({
      setPath,
      to,
      signal: ac.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'export-progress' && e.bytesDone > 1024 * 1024) ac.abort();
      },
    });
    expect(out.status).toBe('cancelled');
    // Nothing follows the end, not even a throttled progress report.
    await new Promise((r) => setTimeout(r, 250));
    expect(events.at(-1)?.type).toBe('export-finished');
    expect(out.error).toBeUndefined();
    expect(out.copyPath).toBeUndefined();
    expect(await readdir(join(to, 'nightly'))).toEqual([]);
    expect((await verifyBackupSet(setPath)).verdict).toBe('intact-partial');
    expect(result.setName).toMatch(/manual/);
  });

  it('a manifest whose profile name would lead the copy out of the target is refused', async () => {
    const { setPath } = await sourceSet();
    const manifestPath = join(setPath, MANIFEST_FILE);
    const m = JSON.parse(await readFile(manifestPath, 'utf8')) as { profile: string };
    m.profile = '../../escaped';
    await writeFile(manifestPath, JSON.stringify(m, null, 2));
    const to = join(dir.path, 'usb', 'inner');
    await mkdir(to, { recursive: true });
    const out = await exportSet({ setPath, to });
    expect(out.status).toBe('failed');
    expect(out.error?.code).toBe('EXPORT_NOT_A_SET');
    expect(out.error?.message).toMatch(/names the profile "\.\.\/\.\.\/escaped", which may use letters/);
    expect(await readdir(join(dir.path, 'usb'))).toEqual(['inner']);
    expect(await readdir(to)).toEqual([]);
  });

  it('an interrupted set is refused by name', async () => {
    const { setPath } = await sourceSet();
    await writeFile(join(setPath, IN_PROGRESS_MARKER), 'x');
    const out = await exportSet({ setPath, to: dir.path + '/elsewhere' });
    expect(out.error?.code).toBe('EXPORT_SET_NOT_USABLE');
  });

  it('per-component destinations are merged into one self-contained copy', async () => {
    const other = join(dir.path, 'second-disk');
    const { profile, setPath, result } = await sourceSet(undefined, { destinations: { repository: other } });
    expect(await readdir(setPath)).not.toContain('repository');
    const to = join(dir.path, 'usb');
    await mkdir(to);
    const out = await exportSet({ setPath, to, places: configuredPlaces(profile, setPath) ?? {} });
    expect(out.status, JSON.stringify(out.error)).toBe('succeeded');
    const copy = join(to, 'nightly', result.setName);
    expect((await readdir(copy)).sort()).toEqual(
      expect.arrayContaining(['database', 'repository', MANIFEST_FILE, VERIFICATION_FILE]),
    );
    const v = await verifyBackupSet(copy);
    expect(v.verdict).toBe('intact-partial');
    expect(v.readFrom.every((r) => !r.configuredElsewhere)).toBe(true);
  });
});
