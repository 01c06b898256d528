// Byte-level progress through the real runner. The runner shows at most one event per 100 ms, so a
// test seam slows each read down to make every report visible (the archive itself is unchanged).
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../src-main/contract/events.js';
import { tempDir } from '../../../support/temp.js';
import { repoProfile, runRepo, type RepoRun } from './helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('obm-repo-progress-');
});
afterAll(async () => dir.cleanup());

describe.each(['tar', 'zip'] as const)('repository step progress (%s)', (format) => {
  const sizes = [3 * 1024 * 1024 + 17, 2 * 1024 * 1024, 0, 5000];
  let run: RepoRun;
  let progress: Extract<RunEvent, { type: 'step-progress' }>[];
  beforeAll(async () => {
    const root = join(dir.path, `repo-${format}`);
    await mkdir(join(root, 'a'), { recursive: true });
    for (const [i, size] of sizes.entries()) await writeFile(join(root, 'a', `f${i}.bin`), randomBytes(size));
    run = await runRepo(repoProfile(root, join(dir.path, `dest-${format}`), format, 'none'), {
      internals: { hooks: { afterRead: () => sleep(110) } },
    });
    progress = run.events.flatMap((e) =>
      e.type === 'step-progress' && e.step === 'repository' && e.counters.bytesTotal !== undefined ? [e] : [],
    );
  });

  it('counts bytes against the pre-scanned total and reaches it', () => {
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(run.repo.status).toBe('succeeded');
    expect(progress.length).toBeGreaterThanOrEqual(4);
    for (const e of progress) expect(e.counters.bytesTotal).toBe(total);
    const done = progress.map((e) => e.counters.bytesDone as number);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(done[done.length - 1]).toBe(total);
    // Several reports inside the 3 MiB file: progress is per read, not per file.
    expect(done.filter((d) => d > 0 && d < sizes[0]!).length).toBeGreaterThanOrEqual(2);
  });

  it('counts entries and names the file being read', () => {
    const last = progress[progress.length - 1];
    expect(last?.counters.itemsTotal).toBe(sizes.length + 1);
    expect(progress.some((e) => e.counters.message === 'a/f0.bin')).toBe(true);
    expect(progress.some((e) => e.counters.message === 'a/f1.bin')).toBe(true);
    const fractions = progress.map((e) => e.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(fractions[fractions.length - 1]).toBeGreaterThan(0.9);
  });

  it('derives throughput and an ETA from the byte counters', () => {
    expect(
      progress.some((e) => (e.counters.bytesPerSecond ?? 0) > 0 && e.counters.etaSeconds !== undefined),
    ).toBe(true);
  });
});

describe('scanning while archiving', () => {
  it('writes the first entries while the scanner is still counting, with no total or ETA until the count is complete', async () => {
    const root = join(dir.path, 'repo-scan');
    await mkdir(root);
    const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
    for (const l of letters) await writeFile(join(root, `${l}.txt`), `${l}\n`);
    await writeFile(join(root, 'm.bin'), randomBytes(3 * 1024 * 1024));
    const order: string[] = [];
    let release: () => void = () => undefined;
    const archivePassedM = new Promise<void>((resolve) => (release = resolve));
    let counted: () => void = () => undefined;
    const scanDone = new Promise<void>((resolve) => (counted = resolve));
    const run = await runRepo(repoProfile(root, join(dir.path, 'dest-scan'), 'tar', 'none'), {
      internals: {
        hooks: {
          // The scanner stops at its third entry until the archive has written m.bin; then the archive
          // waits for the count to finish, so both phases of the progress show.
          scanned: async (rel) => {
            order.push(`scan ${rel}`);
            if (rel === 'c.txt') await archivePassedM;
            if (rel === 'z.txt') counted();
          },
          afterEntry: async (rel) => {
            order.push(`archive ${rel}`);
            if (rel !== 'm.bin') return;
            release();
            await scanDone;
          },
          afterRead: (rel) => (rel === 'm.bin' ? sleep(110) : undefined),
        },
      },
    });
    expect(run.repo.status).toBe('succeeded');
    expect(order.indexOf('archive m.bin')).toBeLessThan(order.indexOf('scan d.txt'));
    expect(order.indexOf('archive a.txt')).toBeGreaterThan(-1);
    const progress = run.events.flatMap((e) =>
      e.type === 'step-progress' && e.step === 'repository' ? [e] : [],
    );
    const counting = progress.filter((e) => e.counters.message?.includes('still counting'));
    expect(counting.length).toBeGreaterThanOrEqual(2);
    for (const e of counting) {
      expect(e.counters.bytesTotal).toBeUndefined();
      expect(e.counters.itemsTotal).toBeUndefined();
      expect(e.counters.etaSeconds).toBeUndefined();
      expect(e.fraction).toBeLessThanOrEqual(0.5);
    }
    // Bytes of m.bin were reported while counting: the archive really ran ahead of the totals.
    expect(Math.max(...counting.map((e) => e.counters.bytesDone ?? 0))).toBeGreaterThan(1024 * 1024);
    const withTotals = progress.filter((e) => e.counters.itemsTotal !== undefined);
    expect(withTotals.length).toBeGreaterThan(0);
    expect(withTotals[withTotals.length - 1]?.counters.itemsTotal).toBe(letters.length + 1);
    const fractions = progress.map((e) => e.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });
});
