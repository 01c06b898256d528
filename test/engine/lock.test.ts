import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { access, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireProfileLock, readLockState, STALE_MS } from '../../src-main/engine/lock.js';
import { tempDir } from '../support/temp.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => dir.cleanup());

describe('profile lock', () => {
  it('lets one run hold the profile and refuses a second with the owner named', async () => {
    const path = join(dir.path, '.lock');
    const lock = await acquireProfileLock(path, 'run1', 'nightly');
    await expect(acquireProfileLock(path, 'run2', 'nightly')).rejects.toMatchObject({
      code: 'PROFILE_BUSY',
      message: expect.stringContaining(`process ${process.pid}`) as unknown,
    });
    await lock.release();
    const again = await acquireProfileLock(path, 'run3', 'nightly');
    await again.release();
  });

  it('takes over a lock left by a crashed run (its process is gone)', async () => {
    const path = join(dir.path, '.lock');
    // A real process that has exited: its pid is free.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    await writeFile(
      path,
      JSON.stringify({ pid: deadPid, host: hostname(), startedAt: new Date(0).toISOString(), runId: 'x' }),
    );
    const lock = await acquireProfileLock(path, 'run2', 'nightly');
    await lock.release();
    await expect(access(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not remove a lock another run took over when releasing', async () => {
    const path = join(dir.path, '.lock');
    const lock = await acquireProfileLock(path, 'run1', 'nightly');
    // Another run judged us dead and took over.
    await writeFile(
      path,
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '', runId: 'run2' }),
    );
    await lock.release();
    await expect(access(path)).resolves.toBeUndefined();
  });
});

describe('profile lock: the heartbeat decides on this host too', () => {
  it('is stale once its heartbeat is older than the stale age, even though its PID is alive (PID 1 after a reboot)', async () => {
    const path = join(dir.path, '.lock');
    for (const pid of [1, process.pid]) {
      await writeFile(
        path,
        JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z', runId: 'old' }),
      );
      expect((await readLockState(path)).held).toBe(true);
      const old = new Date(Date.now() - STALE_MS - 60_000);
      await utimes(path, old, old);
      expect((await readLockState(path)).held).toBe(false);
    }
    const lock = await acquireProfileLock(path, 'fresh', 'nightly');
    expect((await readLockState(path)).runId).toBe('fresh');
    await lock.release();
  });
});
