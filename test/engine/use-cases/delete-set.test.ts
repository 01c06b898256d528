import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { listSets } from '../../../src-main/engine/backup-set/list-sets.js';
import { countLeftovers } from '../../../src-main/engine/backup-set/set-leftovers.js';
import { deleteUnusableSet } from '../../../src-main/engine/use-cases/delete-set.js';
import { tempDir } from '../../support/temp.js';
import { hoursAgo, writeSet } from '../retention/set-tree.js';

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-delete-set-');
});
afterEach(async () => dir.cleanup());

function profile(): Profile {
  return {
    profile: 'nightly',
    destination: join(dir.path, 'A'),
    repository: { path: join(dir.path, 'repo') },
  };
}

describe('deleteUnusableSet ("Delete this set" in History)', () => {
  it('deletes an interrupted set (no manifest, marker left) and nothing else', async () => {
    const now = new Date();
    const p = profile();
    const good = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 2) });
    const broken = await writeSet(p.destination, 'nightly', {
      startedAt: hoursAgo(now, 1),
      noManifest: true,
      marker: true,
    });
    const out = await deleteUnusableSet(p, broken.name, { now });
    expect(out.deleted.sort()).toEqual([...broken.paths].sort());
    for (const path of broken.paths) expect(await exists(path)).toBe(false);
    expect(await exists(good.paths[0] ?? '')).toBe(true);
  });

  it('refuses a usable set and names retention as the way to remove it', async () => {
    const now = new Date();
    const p = profile();
    const good = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 2) });
    await expect(deleteUnusableSet(p, good.name, { now })).rejects.toMatchObject({
      code: 'SET_USABLE',
      fix: expect.stringContaining('retention') as unknown,
    });
    expect(await exists(good.paths[0] ?? '')).toBe(true);
  });

  it('refuses a set that does not exist', async () => {
    await expect(deleteUnusableSet(profile(), '2026-01-01_0000_manual_abcd1234')).rejects.toMatchObject({
      code: 'SET_NOT_FOUND',
    });
  });
});

describe('what an unfinished set left on disk', () => {
  it('counts files and unfinished .partial files per store, and History reports them for a failed set only', async () => {
    const now = new Date();
    const p = profile();
    const failed = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 1), complete: false });
    const good = await writeSet(p.destination, 'nightly', { startedAt: hoursAgo(now, 2) });
    const root = failed.paths[0] ?? '';
    await writeFile(join(root, 'repository', 'big.zip.partial'), Buffer.alloc(5000));
    const left = await countLeftovers(root);
    expect(left.truncated).toBe(false);
    expect(left.components.repository?.partialFiles).toBe(1);
    expect(left.components.repository?.partialBytes).toBe(5000);
    expect(left.components.repository?.files).toBe(2);
    expect(left.total.files).toBe(4);
    expect(left.total.partialBytes).toBe(5000);

    const sets = await listSets(p.destination, { profile: 'nightly' });
    expect(sets.find((s) => s.setName === failed.name)?.left?.total.partialFiles).toBe(1);
    expect(sets.find((s) => s.setName === good.name)?.left).toBeUndefined();
  });
});
