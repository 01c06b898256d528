import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrunePlan } from '../../src-main/engine/retention/prune.js';
import { tempDir } from '../support/temp.js';
import { hoursAgo, writeSet } from '../engine/retention/set-tree.js';
import { ensureCli, spawnCli } from './ops-helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(() => ensureCli());
beforeEach(async () => {
  dir = await tempDir('obm-cli-prune-');
});
afterEach(async () => dir.cleanup());
const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

describe('octane-backup prune (built CLI, spawned)', () => {
  it('--dry-run shows what would go and why and deletes nothing; without it, deletes exactly that', async () => {
    const dest = join(dir.path, 'dest');
    const now = new Date();
    const keep1 = await writeSet(dest, 'nightly', { startedAt: hoursAgo(now, 2) });
    const keep2 = await writeSet(dest, 'nightly', { startedAt: hoursAgo(now, 26) });
    const gone = await writeSet(dest, 'nightly', { startedAt: hoursAgo(now, 50) });
    const pinned = await writeSet(dest, 'nightly', {
      startedAt: hoursAgo(now, 500),
      kind: 'pre-upgrade',
      label: 'before 25.1 upgrade',
    });
    const cfg = join(dir.path, 'nightly.json');
    await writeFile(
      cfg,
      JSON.stringify({
        profile: 'nightly',
        destination: dest,
        repository: { path: '/r' },
        retention: { keepLast: 2 },
      }),
    );

    const dry = spawnCli(['prune', '--config', cfg, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(new RegExp(`WOULD DELETE {1,}${gone.name}`));
    expect(dry.out).toMatch(/Not among the newest 2 usable sets\./);
    expect(dry.out).toMatch(new RegExp(`keep {1,}${pinned.name}  "before 25\\.1 upgrade"`));
    expect(dry.out).toMatch(/Pinned \(pre-upgrade dump\): retention never deletes it/);
    expect(dry.out).toMatch(/Dry run: 1 of 4 set\(s\) would be deleted/);
    expect(await exists(gone.paths[0] as string)).toBe(true);

    const json = spawnCli(['prune', '--config', cfg, '--dry-run', '--json']);
    const plan = (JSON.parse(json.out) as { plan: PrunePlan }).plan;
    expect(plan.toDelete.map((e) => e.setName)).toEqual([gone.name]);

    const real = spawnCli(['prune', '--config', cfg]);
    expect(real.code).toBe(0);
    expect(real.out).toContain(`Deleted ${gone.paths[0]}`);
    expect((await readdir(join(dest, 'nightly'))).sort()).toEqual(
      [keep1.name, keep2.name, pinned.name].sort(),
    );
  });
});
