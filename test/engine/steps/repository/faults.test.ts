// Faults with a clear error, nothing left half-written, and no set that claims to be complete:
// a full destination (a real 2 MiB tmpfs), cancel mid-archive, and a read error mid-file.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_PROGRESS_MARKER } from '../../../../src-main/contract/manifest.js';
import { readManifest } from '../../../../src-main/engine/backup-set/manifest-io.js';
import { defaultOpen } from '../../../../src-main/engine/steps/repository/file-reader.js';
import { tempDir } from '../../../support/temp.js';
import { artifactPath, extractWith, repoProfile, runRepo, tool } from './helpers.js';

const MiB = 1024 * 1024;
const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

let dir: Awaited<ReturnType<typeof tempDir>>;
const mounts: string[] = [];
let n = 0;
beforeAll(async () => {
  dir = await tempDir('obm-repo-faults-');
});
afterAll(async () => {
  for (const m of mounts) execFileSync('umount', [m]);
  await dir.cleanup();
});

async function randomTree(files: number, size: number): Promise<string> {
  const root = join(dir.path, `repo-${n++}`);
  await mkdir(join(root, 'attachments'), { recursive: true });
  for (let i = 0; i < files; i++) await writeFile(join(root, 'attachments', `f${i}.bin`), randomBytes(size));
  return root;
}

/** Every file under `root`, relative. */
async function allFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(e.parentPath, e.name).slice(root.length + 1));
  return out.sort();
}

describe.each(['tar', 'tar.gz', 'zip'] as const)('repository step faults (%s)', (format) => {
  it('fails with DESTINATION_FULL on a full destination, leaves no partial file and no complete set', async () => {
    const root = await randomTree(3, 1536 * 1024); // 4.5 MiB of random data into 2 MiB
    const full = join(dir.path, `small-disk-${n++}`);
    await mkdir(full);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', full]);
    mounts.push(full);
    const run = await runRepo(repoProfile(root, full, format));
    expect(run.result.status).toBe('failed');
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('DESTINATION_FULL');
    expect(run.repo.error?.fix).toMatch(/free space/i);
    expect(run.repo.artifacts).toEqual([]);
    const finished = run.events.find((e) => e.type === 'step-finished' && e.step === 'repository');
    expect(finished?.type === 'step-finished' && finished.error?.code).toBe('DESTINATION_FULL');
    const m = await readManifest(run.setPath);
    expect(m.status).toBe('failed');
    expect(m.complete).toBe(false);
    expect(m.error?.code).toBe('DESTINATION_FULL');
    const left = await allFiles(full);
    expect(left.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(left.filter((f) => f.includes('repository/'))).toEqual([]);
  });

  it('cancels mid-archive on the first byte progress: status cancelled, nothing of the archive left', async () => {
    const root = await randomTree(2, 4 * MiB);
    const ctrl = new AbortController();
    let abortedAt: number | undefined;
    const run = await runRepo(repoProfile(root, join(dir.path, `dest-${n++}`), format), {
      signal: ctrl.signal,
      // The runner shows one progress event per 100 ms: a slow first read makes the next report visible.
      internals: { hooks: { afterRead: (_rel, soFar) => (soFar <= MiB ? sleep(120) : undefined) } },
      onEvent: (e) => {
        if (e.type === 'step-progress' && (e.counters.bytesDone ?? 0) > 0 && !ctrl.signal.aborted) {
          abortedAt = e.counters.bytesDone;
          ctrl.abort();
        }
      },
    });
    expect(abortedAt).toBeGreaterThan(0);
    expect(abortedAt).toBeLessThan(8 * MiB);
    expect(run.result.status).toBe('cancelled');
    expect(run.repo.status).toBe('cancelled');
    expect(run.repo.artifacts).toEqual([]);
    const m = await readManifest(run.setPath);
    expect(m.status).toBe('cancelled');
    expect(m.complete).toBe(false);
    expect(await allFiles(join(run.setPath, 'repository')).catch(() => [])).toEqual([]);
    // The runner finished its bookkeeping: the marker goes, the manifest says "cancelled".
    expect(await exists(join(run.setPath, IN_PROGRESS_MARKER))).toBe(false);
  });

  // Stand-in for a failing disk: the read goes through an injected file handle that fails with EIO
  // after 1 MiB. Everything else (archive, manifest, extraction) is real.
  it('fails REPOSITORY_FILES_UNREADABLE on a read error mid-file, naming it, and keeps the valid archive it wrote (injected EIO, stand-in for a failing disk)', async () => {
    const root = await randomTree(3, 2 * MiB);
    const run = await runRepo(repoProfile(root, join(dir.path, `dest-${n++}`), format), {
      internals: {
        open: async (path, flags) => {
          const fh = await defaultOpen(path, flags);
          return String(path).endsWith('f1.bin') ? failingAfter(fh, MiB) : fh;
        },
      },
    });
    // The step fails (the set is not complete), but the archive and file list are committed: nothing is lost.
    expect(run.repo.status).toBe('failed');
    expect(run.repo.error?.code).toBe('REPOSITORY_FILES_UNREADABLE');
    expect(run.repo.error?.message).toContain('1 entry could not be read (FILE_UNREADABLE)');
    expect(run.repo.error?.details).toMatchObject({ FILE_UNREADABLE: 1 });
    expect(run.result.manifest.complete).toBe(false);
    expect(run.repo.artifacts.map((a) => a.path).sort()).toEqual([
      'repository/repository.files.jsonl',
      `repository/repository.${format}`,
    ]);
    expect(run.repo.warnings.map((w) => [w.code, w.subject])).toEqual([
      ['FILE_UNREADABLE', 'attachments/f1.bin'],
    ]);
    expect(run.repo.warnings[0]?.message).toContain('EIO');
    const archive = artifactPath(run, `repository.${format}`);
    if (format === 'zip') expect(tool('unzip', ['-t', archive])).toContain('No errors detected');
    const out = await extractWith(format === 'zip' ? 'unzip' : 'bsdtar', archive, join(dir.path, `x-${n++}`));
    for (const f of ['f0.bin', 'f2.bin'])
      expect(
        (await readFile(join(out, 'attachments', f))).equals(await readFile(join(root, 'attachments', f))),
      ).toBe(true);
    const partial = await readFile(join(out, 'attachments', 'f1.bin'));
    const original = await readFile(join(root, 'attachments', 'f1.bin'));
    expect(partial.subarray(0, MiB).equals(original.subarray(0, MiB))).toBe(true);
    expect(partial.length).toBe(format === 'zip' ? MiB : 2 * MiB);
  });
});

/** A FileHandle whose reads at or past offset `limit` fail with EIO, like a bad sector there. */
function failingAfter(fh: FileHandle, limit: number): FileHandle {
  return new Proxy(fh, {
    get(target, prop, receiver) {
      if (prop === 'read')
        return async (buf: Buffer, off: number, len: number, pos: number) => {
          if (pos >= limit) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
          return target.read(buf, off, Math.min(len, limit - pos), pos);
        };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
