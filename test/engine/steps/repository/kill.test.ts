// kill -9 in the middle of the archive: the set left on disk must say it is not complete (marker,
// manifest "running"), list/verify must report it as incomplete, and the next run must work.
// The engine runs in a real child process (bundled here with esbuild, dependencies from node_modules).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_PROGRESS_MARKER } from '../../../../src-main/contract/manifest.js';
import { listSets } from '../../../../src-main/engine/backup-set/list-sets.js';
import { readManifest } from '../../../../src-main/engine/backup-set/manifest-io.js';
import { verifySet } from '../../../../src-main/engine/backup-set/verify.js';
import { tempDir } from '../../../support/temp.js';
import { repoProfile, runRepo } from './helpers.js';

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

let dir: Awaited<ReturnType<typeof tempDir>>;
let childJs: string;
beforeAll(async () => {
  dir = await tempDir('obm-repo-kill-');
  // Inside the project so the child resolves its packages from node_modules.
  const cacheDir = join(process.cwd(), 'node_modules', '.cache', 'obm-tests');
  await mkdir(cacheDir, { recursive: true });
  childJs = join(cacheDir, `kill-child-${randomBytes(4).toString('hex')}.mjs`);
  await build({
    entryPoints: [join(import.meta.dirname, 'support', 'kill-child.ts')],
    outfile: childJs,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
});
afterAll(async () => {
  await rm(childJs, { force: true });
  await dir.cleanup();
});

/** Starts the child, waits until it is mid-archive, kills it with SIGKILL, waits for it to be gone. */
async function killMidArchive(
  profileFile: string,
): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  const child = spawn(process.execPath, [childJs, profileFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('close', (_code, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('PAUSED-MID-ARCHIVE')) resolve();
    });
    child.on('close', (code) =>
      reject(new Error(`child ended (${code}) before pausing: ${stdout} ${stderr}`)),
    );
  });
  child.kill('SIGKILL');
  return { signal: await closed, stdout };
}

describe.each(['tar.gz', 'zip'] as const)('kill -9 during the repository archive (%s)', (format) => {
  it('leaves a set that is never taken for complete, and the next run succeeds', async () => {
    const root = join(dir.path, `repo-${format}`);
    await mkdir(join(root, 'a'), { recursive: true });
    for (let i = 0; i < 3; i++) await writeFile(join(root, 'a', `f${i}.bin`), randomBytes(3 * 1024 * 1024));
    const destination = join(dir.path, `dest-${format}`);
    const profile = repoProfile(root, destination, format);
    const profileFile = join(dir.path, `profile-${format}.json`);
    await writeFile(profileFile, JSON.stringify(profile));

    const killed = await killMidArchive(profileFile);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).not.toContain('FINISHED');

    const profileDir = join(destination, profile.profile);
    const sets = (await readdir(profileDir)).filter((n) => !n.startsWith('.'));
    expect(sets).toHaveLength(1);
    const setPath = join(profileDir, sets[0] as string);
    expect(await exists(join(setPath, IN_PROGRESS_MARKER))).toBe(true);
    const manifest = await readManifest(setPath);
    expect(manifest.status).toBe('running');
    expect(manifest.complete).toBe(false);
    const repoFiles = await readdir(join(setPath, 'repository'));
    expect(repoFiles).toContain(`repository.${format}.partial`);
    expect(repoFiles).not.toContain(`repository.${format}`);

    const listed = await listSets(destination);
    expect(listed.map((s) => [s.setName, s.status, s.complete])).toEqual([[sets[0], 'incomplete', false]]);
    const report = await verifySet(setPath);
    expect(report.ok).toBe(false);
    expect(report.incomplete).toBe(true);
    expect(report.problems.join('\n')).toMatch(/interrupted/);
    expect(report.problems.join('\n')).toContain(`LEFTOVER: repository/repository.${format}.partial`);

    // The dead run's lock is taken over; the next run writes a new, finished set beside the broken one.
    const next = await runRepo(profile);
    expect(next.repo.status).toBe('succeeded');
    const after = await listSets(destination);
    expect(after.find((s) => s.setName === sets[0])?.status).toBe('incomplete');
    expect(after.find((s) => s.path === next.setPath)?.status).toBe('succeeded-with-warnings');
    expect(
      (await verifySet(next.setPath)).checks.filter((c) => c.component === 'repository').map((c) => c.status),
    ).toEqual(['ok', 'ok']);
  });
});
