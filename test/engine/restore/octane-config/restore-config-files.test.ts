// Putting Octane's config files back from a real pre-upgrade set (written by runBackup with the
// pre-upgrade config copies): changed files are moved aside and kept, missing ones recreated, identical
// ones left alone, permissions kept, and every copy checked against the manifest before and after.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../../src-main/contract/manifest.js';
import type { Profile } from '../../../../src-main/contract/profile.js';
import { readManifest } from '../../../../src-main/engine/backup-set/manifest-io.js';
import { copyOctaneConfig } from '../../../../src-main/engine/octane-config/config-copies.js';
import { planConfigRestore } from '../../../../src-main/engine/restore/octane-config/plan-config.js';
import { restoreConfigFiles } from '../../../../src-main/engine/restore/octane-config/restore-config-files.js';
import { runBackup } from '../../../../src-main/engine/run-backup.js';
import { registry } from '../../../support/fake-steps.js';
import { snapshotTree } from '../../../support/trees/snapshot.js';
import { tempDir } from '../../../support/temp.js';
import { OCTANE_CONF, OCTANE_YML, SETUP_XML } from '../../octane-config/samples.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let conf: string;
let sync: string;
let setPath: string;
let manifest: Manifest;
const NOW = new Date('2026-07-08T09:10:11Z');
const signal = new AbortController().signal;
const sha = (p: string): string =>
  execFileSync('sha256sum', [p], { encoding: 'utf8' }).split(' ')[0] as string;

beforeEach(async () => {
  dir = await tempDir('obm-config-restore-');
  conf = join(dir.path, 'octane', 'conf');
  sync = join(dir.path, 'sync', 'conf');
  await mkdir(conf, { recursive: true });
  await mkdir(sync, { recursive: true });
  await writeFile(join(conf, 'octane.conf'), OCTANE_CONF);
  await writeFile(join(conf, 'setup.xml'), SETUP_XML);
  await writeFile(join(conf, 'octane.yml'), OCTANE_YML);
  await writeFile(join(sync, 'wrapper.conf'), 'wrapper.java.command=java\n');
  const profile: Profile = {
    profile: 'preup',
    destination: join(dir.path, 'dest'),
    repository: { path: join(dir.path, 'repo') },
    octaneConfigDir: conf,
    octaneConfigFiles: [join(sync, 'wrapper.conf')],
  };
  const steps = registry(
    { database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } },
    [],
  );
  const r = await runBackup(profile, { kind: 'pre-upgrade', steps, configCopies: copyOctaneConfig });
  expect(r.status).toBe('succeeded');
  setPath = r.setPaths[0] as string;
  manifest = await readManifest(setPath);
});
afterEach(async () => dir.cleanup());

/** What an upgrade leaves behind: octane.conf changed, setup.xml gone, wrapper.conf changed and private. */
async function upgrade(): Promise<void> {
  await writeFile(join(conf, 'octane.conf'), `${OCTANE_CONF}\n# added by the 25.1 installer\n`);
  await rm(join(conf, 'setup.xml'));
  await writeFile(join(sync, 'wrapper.conf'), 'wrapper.java.command=/opt/java21/bin/java\n');
  await chmod(join(sync, 'wrapper.conf'), 0o600);
}

describe('config-file restore from a pre-upgrade set', () => {
  it('records where each copy came from', () => {
    expect(manifest.octane?.artifacts?.map((a) => a.source)).toEqual([
      join(conf, 'octane.conf'),
      join(conf, 'setup.xml'),
      join(conf, 'octane.yml'),
      join(sync, 'wrapper.conf'),
    ]);
  });

  it('plans, then puts every file back: changed ones moved aside, missing ones recreated, identical ones left alone', async () => {
    await upgrade();
    const changedConfSha = sha(join(conf, 'octane.conf'));
    const before = { conf: await snapshotTree(conf), sync: await snapshotTree(sync) };
    const plan = await planConfigRestore(setPath, manifest, { now: NOW });
    expect(plan.ready).toBe(true);
    const texts = plan.actions.map((a) => `${a.kind}: ${a.text}`);
    expect(texts).toContain(
      `move: Move ${join(conf, 'octane.conf')} aside to ${join(conf, 'octane.conf')}.before-restore-20260708T091011Z (kept; SHA-256 ${changedConfSha.slice(0, 12)}…).`,
    );
    expect(texts).toContain(
      `check: ${join(conf, 'octane.yml')} already holds that copy (same SHA-256): left as it is.`,
    );
    expect(texts.filter((t) => t.startsWith('move:'))).toHaveLength(2);
    expect(texts.filter((t) => t.startsWith('copy:'))).toHaveLength(3);
    expect({ conf: await snapshotTree(conf), sync: await snapshotTree(sync) }).toEqual(before);

    const r = await restoreConfigFiles(setPath, manifest, { signal, now: NOW });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('restored');
    const by = Object.fromEntries(r.files.map((f) => [f.copy, f]));
    expect(by['octane-config/octane.conf']).toMatchObject({
      status: 'restored',
      current: 'different',
      previousSha256: changedConfSha,
      movedAside: `${join(conf, 'octane.conf')}.before-restore-20260708T091011Z`,
    });
    expect(by['octane-config/setup.xml']).toMatchObject({ status: 'restored', current: 'missing' });
    expect(by['octane-config/setup.xml']?.movedAside).toBeUndefined();
    expect(by['octane-config/octane.yml']).toMatchObject({ status: 'unchanged', current: 'same' });
    expect(await readFile(join(conf, 'octane.conf'), 'utf8')).toBe(OCTANE_CONF);
    expect(await readFile(join(conf, 'setup.xml'), 'utf8')).toBe(SETUP_XML);
    expect(await readFile(join(sync, 'wrapper.conf'), 'utf8')).toBe('wrapper.java.command=java\n');
    expect((await stat(join(sync, 'wrapper.conf'))).mode & 0o777).toBe(0o600);
    expect(sha(by['octane-config/octane.conf']?.movedAside as string)).toBe(changedConfSha);
    for (const f of r.files)
      expect(sha(f.destination)).toBe(manifest.octane?.artifacts?.find((a) => a.path === f.copy)?.sha256);
    expect((await readdir(conf)).sort()).toEqual([
      'octane.conf',
      'octane.conf.before-restore-20260708T091011Z',
      'octane.yml',
      'setup.xml',
    ]);
  });

  it('a copy that no longer matches the manifest stops everything before any file changes', async () => {
    await upgrade();
    await writeFile(join(setPath, 'octane-config', 'wrapper.conf'), 'tampered\n');
    const before = { conf: await snapshotTree(conf), sync: await snapshotTree(sync) };
    const plan = await planConfigRestore(setPath, manifest, { now: NOW });
    expect(plan.ready).toBe(false);
    expect(plan.problems.join('\n')).toMatch(/wrapper\.conf in the set is altered/);
    const r = await restoreConfigFiles(setPath, manifest, { signal, now: NOW });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('CONFIG_COPY_DAMAGED');
    expect({ conf: await snapshotTree(conf), sync: await snapshotTree(sync) }).toEqual(before);
  });

  it('an older set without recorded sources is restored from the copies’ descriptions; other destinations can be named', async () => {
    await upgrade();
    const old: Manifest = JSON.parse(JSON.stringify(manifest)) as Manifest;
    for (const a of old.octane?.artifacts ?? []) delete a.source;
    const elsewhere = join(dir.path, 'new-server', 'wrapper.conf');
    const r = await restoreConfigFiles(setPath, old, {
      signal,
      now: NOW,
      targets: { 'octane-config/wrapper.conf': elsewhere },
    });
    expect(r.status).toBe('restored');
    expect(await readFile(join(conf, 'octane.conf'), 'utf8')).toBe(OCTANE_CONF);
    expect(await readFile(elsewhere, 'utf8')).toBe('wrapper.java.command=java\n');
    expect(await readFile(join(sync, 'wrapper.conf'), 'utf8')).toBe(
      'wrapper.java.command=/opt/java21/bin/java\n',
    );
  });

  it('a manifest pointing a copy outside the set is refused', async () => {
    const bad: Manifest = JSON.parse(JSON.stringify(manifest)) as Manifest;
    (bad.octane?.artifacts ?? [])[0]!.path = 'octane-config/../../../etc/passwd';
    const r = await restoreConfigFiles(setPath, bad, { signal, now: NOW });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('CONFIG_COPY_RECORD_INVALID');
  });
});
