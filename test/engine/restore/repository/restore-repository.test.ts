// Restores from tar, tar.gz and zip sets written by the real repository step into a folder that
// holds something else: the old folder is moved aside intact, and the restored folder is the
// backed-up tree byte for byte (content, links, empty folders, file and folder times).
import { chown, lstat, lutimes, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRepositoryRestore } from '../../../../src-main/engine/restore/repository/plan-repository.js';
import { restoreRepository } from '../../../../src-main/engine/restore/repository/restore-repository.js';
import type { RestoreWarning } from '../../../../src-main/engine/restore/repository/extract.js';
import { makeEdgeTree } from '../../../support/trees/edge-tree.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';
import { addSha256, backupSet } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let source: string;
beforeAll(async () => {
  dir = await tempDir('obm-restore-');
  source = join(dir.path, 'source');
  await makeEdgeTree(source);
  await oddTimes(source);
});

/**
 * Gives every entry its own time on an odd second with milliseconds (zip's DOS times have 2-second
 * steps: only exact times from the file list restore these), children before their folders.
 */
async function oddTimes(root: string): Promise<void> {
  const entries = await readdir(root, { recursive: true });
  entries.sort((a, b) => b.length - a.length);
  let t = Date.parse('2021-05-06T07:08:09.123Z');
  for (const e of entries) {
    t += 3001;
    await lutimes(join(root, e), t / 1000, t / 1000);
  }
}
afterAll(async () => dir.cleanup());

const NOW = new Date('2026-03-04T05:06:07.890Z');

/** A live repository folder with other content than the set. */
async function liveFolder(name: string): Promise<string> {
  const live = join(dir.path, name);
  await mkdir(join(live, 'attachments', 'old'), { recursive: true });
  await writeFile(join(live, 'attachments', 'old', 'newer-than-the-set.bin'), 'written after the backup\n');
  await writeFile(join(live, 'readme.txt'), 'changed after the backup\n');
  return live;
}

const mtimeSec = async (p: string): Promise<number> => Math.floor((await lstat(p)).mtimeMs / 1000);

describe.each(['tar', 'tar.gz', 'zip'] as const)('repository restore from a %s set', (format) => {
  it('moves the live folder aside intact and restores the set byte for byte', async () => {
    const set = await backupSet(source, join(dir.path, `dest-${format}`), format);
    await addSha256(set.fileList, source);
    const live = await liveFolder(`live-${format}`);
    const before = await snapshotTree(live);

    const plan = await planRepositoryRestore({ ...set, target: live, now: NOW });
    expect(plan.ready).toBe(true);
    expect(plan.actions.map((a) => a.kind)).toEqual([
      'check',
      'check',
      'check',
      'check',
      'move',
      'create',
      'extract',
      'compare',
      'keep',
    ]);
    const aside = `${live}.before-restore-20260304T050607Z`;
    expect(plan.actions[4]?.text).toContain(aside);
    expect(await snapshotTree(live)).toEqual(before); // planning changed nothing

    const warnings: RestoreWarning[] = [];
    const fractions: number[] = [];
    const totals: (number | undefined)[] = [];
    const r = await restoreRepository({
      ...set,
      target: live,
      now: NOW,
      signal: new AbortController().signal,
      onWarning: (w) => warnings.push(w),
      onProgress: (p) => {
        fractions.push(p.fraction);
        if (p.phase === 'extracting') totals.push(p.entriesTotal);
      },
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('restored');
    expect(r.targetState).toBe('complete');
    expect(r.movedAside).toBe(aside);
    expect(await snapshotTree(aside)).toEqual(before);
    expect(await snapshotTree(live)).toEqual(await snapshotTree(source));
    for (const d of ['empty-folder', 'nested/empty/deeper', 'Ünïcødé'])
      expect(await mtimeSec(join(live, d))).toBe(await mtimeSec(join(source, d)));
    expect(r.comparison?.ok).toBe(true);
    expect(r.comparison?.matched).toBe(r.comparison?.listed);
    expect(r.comparison?.hashed).toBe(r.extraction?.files);
    expect(r.stateMessage).toContain(`The previous folder is kept at ${aside}`);
    expect(
      warnings
        .filter((w) => w.code === 'RESTORE_LINK_OUTSIDE')
        .map((w) => w.subject)
        .sort(),
    ).toEqual(['links/outside-absolute', 'links/outside-relative']);
    expect(fractions.at(-1)).toBe(1);
    expect(totals.length).toBeGreaterThan(0);
    expect(new Set(totals)).toEqual(new Set([r.comparison?.listed]));
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });
});

describe('repository restore: other starting points', () => {
  it('creates the folder when there is none (nothing to move aside)', async () => {
    const set = await backupSet(source, join(dir.path, 'dest-new'), 'tar.gz');
    const target = join(dir.path, 'new-server', 'opt', 'octane', 'repo');
    const r = await restoreRepository({ ...set, target, signal: new AbortController().signal });
    expect(r.status).toBe('restored');
    expect(r.movedAside).toBeUndefined();
    expect(await snapshotTree(target)).toEqual(await snapshotTree(source));
  });

  it('run as root, everything restored gets the previous folder’s owner (Octane’s account, not root)', async () => {
    const set = await backupSet(source, join(dir.path, 'dest-owner'), 'tar.gz');
    const live = await liveFolder('owned-live');
    await chown(live, 4321, 8765);
    const r = await restoreRepository({ ...set, target: live, signal: new AbortController().signal });
    expect(r.status).toBe('restored');
    const owners = new Set<string>();
    for (const e of ['', ...(await readdir(live, { recursive: true }))]) {
      const st = await lstat(join(live, e));
      owners.add(`${st.uid}:${st.gid}`);
    }
    expect([...owners]).toEqual(['4321:8765']);
  });

  it('follows a configured path that is a link: the folder it names is restored, the link stays', async () => {
    const set = await backupSet(source, join(dir.path, 'dest-link'), 'tar');
    const real = await liveFolder('real-repo');
    const link = join(dir.path, 'repo-link');
    await (await import('node:fs/promises')).symlink(real, link);
    const plan = await planRepositoryRestore({ ...set, target: link, now: NOW });
    expect(plan.actions.some((a) => a.text.includes(`${link} is a link to ${real}`))).toBe(true);
    const r = await restoreRepository({
      ...set,
      target: link,
      now: NOW,
      signal: new AbortController().signal,
    });
    expect(r.status).toBe('restored');
    expect(r.target).toBe(real);
    expect(r.movedAside).toBe(`${real}.before-restore-20260304T050607Z`);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await snapshotTree(real)).toEqual(await snapshotTree(source));
  });

  it('a file list that disagrees with the archive gives restored-with-problems, each named', async () => {
    const set = await backupSet(source, join(dir.path, 'dest-disagree'), 'tar');
    await addSha256(set.fileList, source);
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(set.fileList, 'utf8')).split('\n').filter(Boolean);
    const edited = lines.map((l) => {
      const e = JSON.parse(l) as { path: string; size: number; sha256?: string };
      if (e.path === 'readme.txt') return JSON.stringify({ ...e, sha256: '0'.repeat(64) });
      if (e.path === '1001/2002/attachment-2.txt') return JSON.stringify({ ...e, size: e.size + 1 });
      return l;
    });
    edited.push(
      JSON.stringify({
        path: 'listed-but-absent.pdf',
        type: 'file',
        size: 5,
        mtime: NOW.toISOString(),
        mode: '0644',
      }),
    );
    await writeFile(set.fileList, edited.join('\n') + '\n');
    const r = await restoreRepository({
      ...set,
      target: join(dir.path, 'disagree'),
      signal: new AbortController().signal,
    });
    expect(r.status).toBe('restored-with-problems');
    expect(r.comparison?.hashMismatch.names).toEqual(['readme.txt']);
    expect(r.comparison?.sizeMismatch.names).toEqual(['1001/2002/attachment-2.txt']);
    expect(r.comparison?.missing.names).toEqual(['listed-but-absent.pdf']);
    expect(r.comparison?.problems).toContain(
      'MISSING: listed-but-absent.pdf (listed as a 5-byte file; not found in the archive).',
    );
    expect((await stat(join(dir.path, 'disagree', 'readme.txt'))).isFile()).toBe(true);
  });
});
