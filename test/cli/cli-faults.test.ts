// The built CLI as a scheduled task runs it, as a real process, against real faults (issue 11):
// a destination out of inodes (a real tmpfs), a destination this account may not write (the CLI
// run as user "nobody"), a missing or unmounted destination for `list`, a stale lock of a process
// that is not a run, SIGHUP, and the config traps (relative paths, foreign-OS paths, the root as
// repository, a destination inside the repository, UTF-16 files, reserved names).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src-main/contract/events.js';
import { listSets } from '../../src-main/engine/backup-set/list-sets.js';
import { tmpfs, type Mounted } from '../support/mounts.js';
import { tempDir } from '../support/temp.js';

const CLI = join(import.meta.dirname, '../../dist-cli/octane-backup.mjs');
let dir: Awaited<ReturnType<typeof tempDir>>;
const mounts: Mounted[] = [];

beforeAll(() => {
  if (!existsSync(CLI)) spawnSync('node', ['scripts/build-cli.mjs'], { stdio: 'inherit' });
});
beforeEach(async () => {
  dir = await tempDir('obm-cli-faults-');
});
afterEach(async () => {
  for (const m of mounts.splice(0)) await m.cleanup();
  await dir.cleanup();
});

function cli(args: string[], opts: { cwd?: string; user?: number; env?: NodeJS.ProcessEnv } = {}) {
  const argv =
    opts.user !== undefined
      ? [
          'setpriv',
          `--reuid=${opts.user}`,
          `--regid=${opts.user}`,
          '--clear-groups',
          process.execPath,
          CLI,
          ...args,
        ]
      : [process.execPath, CLI, ...args];
  const r = spawnSync(argv[0] as string, argv.slice(1), {
    encoding: 'utf8',
    cwd: opts.cwd ?? dir.path,
    env: { PATH: process.env.PATH, ...opts.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function repoTree(): Promise<string> {
  const repo = join(dir.path, 'repo');
  await mkdir(join(repo, 'docs'), { recursive: true });
  for (let i = 0; i < 4; i++) await writeFile(join(repo, 'docs', `a${i}.txt`), `attachment ${i}\n`);
  return repo;
}

async function config(obj: unknown, name = 'nightly.json'): Promise<string> {
  const p = join(dir.path, name);
  await writeFile(p, JSON.stringify(obj, null, 2));
  return p;
}

const jsonLines = (out: string): (RunEvent | { type: 'error' })[] =>
  out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);

describe('a destination out of inodes (real tmpfs), the real CLI process', () => {
  it('never dies on an unhandled error event: every limit ends in exit 1 with a named error, and no lock is left', async () => {
    const repo = await repoTree();
    const seen = new Set<string>();
    for (let inodes = 2; inodes <= 12; inodes++) {
      const m = await tmpfs({ inodes });
      try {
        const cfg = await config({ profile: 'nightly', destination: m.path, repository: { path: repo } });
        const r = cli(['run', '--config', cfg, '--json']);
        expect(r.err).not.toMatch(/Unhandled|Unexpected error| {4}at /);
        const last = jsonLines(r.out).at(-1);
        if (r.code === 0) {
          expect(last?.type).toBe('run-finished');
          continue;
        }
        expect(r.code, r.err).toBe(1);
        if (last?.type === 'run-finished') {
          expect(last.status).toBe('failed');
          seen.add(last.error?.code ?? '?');
        } else {
          expect(last).toMatchObject({ type: 'error', error: { code: 'DESTINATION_FULL' } });
          seen.add('not started: DESTINATION_FULL');
        }
        // The process is gone and its lock with it: the next run is not blocked.
        expect(existsSync(join(m.path, 'nightly', '.octane-backup.lock'))).toBe(false);
        expect(
          (await listSets(m.path).catch(() => [])).filter((s) => s.status.startsWith('succeeded')),
        ).toEqual([]);
      } finally {
        await m.cleanup();
      }
    }
    console.log(`[cli inodes] outcomes: ${[...seen].join(', ')}`);
    // Both kinds happened: refused before the set existed, and failed inside the run.
    expect(seen.has('not started: DESTINATION_FULL')).toBe(true);
    expect([...seen].some((c) => !c.startsWith('not started'))).toBe(true);
  });
});

describe('a destination this account may not write (the CLI as user nobody)', () => {
  it('says which folder and why, exit 1, and writes nothing', async () => {
    const repo = await repoTree();
    const dest = join(dir.path, 'dest');
    await mkdir(dest, { mode: 0o755 });
    await chmod(dir.path, 0o755);
    const cfg = await config({ profile: 'nightly', destination: dest, repository: { path: repo } });
    const r = cli(['run', '--config', cfg], { user: 65534 });
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/Backup not started: This account may not write .*dest.*\(EACCES\)/);
    expect(r.err).toMatch(/Fix: Give the account that runs the backup write access/);
    expect(await readdir(dest)).toEqual([]);
  });
});

describe('list of a destination that is not there', () => {
  it('exits 2 for a missing destination and for an unmounted one (an empty mount point), and says so', async () => {
    const missing = cli(['list', join(dir.path, 'no-such-drive')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/does not exist: its drive or share is not connected/);
    const m = await tmpfs();
    mounts.push(m);
    const repo = await repoTree();
    const cfg = await config({ profile: 'nightly', destination: m.path, repository: { path: repo } });
    expect(cli(['run', '--config', cfg]).code).toBe(0);
    expect(cli(['list', m.path]).code).toBe(0);
    // The drive is unmounted: the same path is now an empty folder.
    m.detachLazy();
    const unmounted = cli(['list', m.path]);
    expect(unmounted.code).toBe(2);
    expect(unmounted.err).toMatch(/is an empty folder: .*not mounted/);
  });
});

describe('a stale lock (real processes)', () => {
  async function lockFile(dest: string, pid: number, ageMs: number): Promise<string> {
    const folder = join(dest, 'nightly');
    await mkdir(folder, { recursive: true });
    const lock = join(folder, '.octane-backup.lock');
    await writeFile(
      lock,
      JSON.stringify({
        pid,
        host: hostname(),
        startedAt: new Date(Date.now() - ageMs).toISOString(),
        runId: 'aaaabbbb',
      }),
    );
    const t = new Date(Date.now() - ageMs);
    await utimes(lock, t, t);
    return lock;
  }

  it('takes over a same-host lock 3 days old whose PID now belongs to another process (PID 1)', async () => {
    const repo = await repoTree();
    const dest = join(dir.path, 'dest');
    await lockFile(dest, 1, 3 * 24 * 3_600_000);
    const cfg = await config({ profile: 'nightly', destination: dest, repository: { path: repo } });
    const r = cli(['run', '--config', cfg]);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(dest, 'nightly', '.octane-backup.lock'))).toBe(false);
  });

  it('respects a lock whose process is alive and whose heartbeat is fresh, and takes it over once the heartbeat is stale', async () => {
    const repo = await repoTree();
    const dest = join(dir.path, 'dest');
    const holder = spawn('sleep', ['60']);
    try {
      const lock = await lockFile(dest, holder.pid as number, 0);
      const cfg = await config({ profile: 'nightly', destination: dest, repository: { path: repo } });
      const busy = cli(['run', '--config', cfg]);
      expect(busy.code).toBe(1);
      expect(busy.err).toMatch(
        new RegExp(`Another backup of profile "nightly" is running \\(process ${holder.pid}`),
      );
      // The same live process, but its heartbeat stopped 11 minutes ago: not a run any more.
      const old = new Date(Date.now() - 11 * 60_000);
      await utimes(lock, old, old);
      expect(cli(['run', '--config', cfg]).code).toBe(0);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('SIGHUP (the terminal or SSH session closed) during a run', () => {
  it('cancels like SIGTERM: run-finished "cancelled", exit 130, the lock released, no complete set', async () => {
    const repo = join(dir.path, 'repo');
    await mkdir(repo);
    // A large sparse file: the archive takes long enough to be interrupted.
    await writeFile(join(repo, 'big.bin'), '');
    await truncate(join(repo, 'big.bin'), 8 * 1024 ** 3);
    const dest = join(dir.path, 'dest');
    const cfg = await config({
      profile: 'nightly',
      destination: dest,
      repository: { path: repo, format: 'tar' },
    });
    const child = spawn(process.execPath, [CLI, 'run', '--config', cfg, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    await new Promise<void>((res) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"type":"step-progress"')) res();
      }),
    );
    child.kill('SIGHUP');
    expect(await exited).toBe(130);
    const last = jsonLines(out).at(-1);
    expect(last).toMatchObject({ type: 'run-finished', status: 'cancelled' });
    expect(existsSync(join(dest, 'nightly', '.octane-backup.lock'))).toBe(false);
    const sets = await listSets(dest);
    expect(sets.map((s) => [s.status, s.complete])).toEqual([['cancelled', false]]);
  });
});

describe('config traps (the real CLI)', () => {
  it('reads a relative path relative to the config file, never the current folder, and says so', async () => {
    const repo = await repoTree();
    const cfg = await config({ profile: 'nightly', destination: 'backups', repository: { path: 'repo' } });
    // Scheduled tasks start in "/" (or System32).
    const r = cli(['run', '--config', cfg], { cwd: '/' });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`destination "backups" is a relative path: read as ${join(dir.path, 'backups')}`);
    expect(r.err).toContain(`repository.path "repo" is a relative path: read as ${repo}`);
    expect((await readdir(join(dir.path, 'backups', 'nightly'))).length).toBe(1);
    expect(existsSync('/backups')).toBe(false);
  });

  it('refuses a Windows path on Linux, the root as repository, and a destination inside the repository (exit 2)', async () => {
    const repo = await repoTree();
    const windows = cli([
      'run',
      '--config',
      await config({ profile: 'n', destination: 'E:\\OctaneBackups', repository: { path: repo } }),
    ]);
    expect(windows.code).toBe(2);
    expect(windows.err).toContain(
      'destination: "E:\\OctaneBackups" is a Windows path, but this computer runs Linux',
    );
    expect(existsSync(join(dir.path, 'E:\\OctaneBackups'))).toBe(false);
    const root = cli([
      'run',
      '--config',
      await config({ profile: 'n', destination: join(dir.path, 'd'), repository: { path: '/' } }),
    ]);
    expect(root.code).toBe(2);
    expect(root.err).toContain('repository.path: "/" is the root of a drive or a system folder');
    const inside = cli([
      'run',
      '--config',
      await config({ profile: 'n', destination: join(repo, 'backups'), repository: { path: repo } }),
    ]);
    expect(inside.code).toBe(2);
    expect(inside.err).toMatch(/destination: ".*repo\/backups" is inside the repository folder/);
  });

  it('reads config files in UTF-16 LE (PowerShell 5.1 ">"), UTF-16 BE and UTF-8 with a BOM', async () => {
    const repo = await repoTree();
    const text = JSON.stringify({
      profile: 'nightly',
      destination: join(dir.path, 'dest'),
      repository: { path: repo },
    });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const [name, bytes] of [
      ['le.json', le],
      ['be.json', be],
      ['bom.json', bom],
    ] as const) {
      await writeFile(join(dir.path, name), bytes);
      const r = cli(['prune', '--config', join(dir.path, name), '--dry-run']);
      expect(r.code, `${name}: ${r.err}`).toBe(0);
      expect(r.out).toContain('No backup sets of profile "nightly" were found.');
    }
    expect((await readFile(join(dir.path, 'le.json')))[1]).toBe(0xfe);
  });

  it('refuses profile names Windows reserves for devices (CON, NUL, COM1)', async () => {
    for (const name of ['CON', 'nul', 'COM1', 'lpt9.backup']) {
      const r = cli([
        'prune',
        '--dry-run',
        '--config',
        await config({ profile: name, destination: join(dir.path, 'd'), repository: { path: '/r' } }),
      ]);
      expect(r.code, name).toBe(2);
      expect(r.err).toContain('profile: is a device name Windows reserves');
    }
  });
});
