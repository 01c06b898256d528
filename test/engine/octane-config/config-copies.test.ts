import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-main/contract/profile.js';
import { verifySet } from '../../../src-main/engine/backup-set/verify.js';
import {
  createConfigCopies,
  copyOctaneConfig,
} from '../../../src-main/engine/octane-config/config-copies.js';
import { runBackup } from '../../../src-main/engine/run-backup.js';
import { registry } from '../../support/fake-steps.js';
import { tempDir } from '../../support/temp.js';
import { OCTANE_CONF, OCTANE_YML, SETUP_XML } from './samples.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-preup-');
});
afterEach(async () => dir.cleanup());

const steps = () =>
  registry({ database: { kind: 'ok' }, elasticsearch: { kind: 'ok' }, repository: { kind: 'ok' } }, []);

function profile(extra: Partial<Profile> = {}): Profile {
  return {
    profile: 'nightly',
    destination: join(dir.path, 'dest'),
    database: {
      engine: 'sqlserver',
      server: 'db1',
      databases: ['octane_site'],
      serverBackupDir: 'D:\\Backups',
    },
    elasticsearch: { node: 'http://127.0.0.1:9200', repository: 'r', location: '/x' },
    repository: { path: join(dir.path, 'repo') },
    ...extra,
  };
}

describe('pre-upgrade extras', () => {
  it('copies Octane config files with SHA-256, records the version, pins and labels the set', async () => {
    const conf = join(dir.path, 'octane', 'conf');
    const sync = join(dir.path, 'sync', 'conf');
    await mkdir(conf, { recursive: true });
    await mkdir(sync, { recursive: true });
    await writeFile(join(conf, 'octane.conf'), OCTANE_CONF);
    await writeFile(join(conf, 'setup.xml'), SETUP_XML);
    await writeFile(join(conf, 'octane.yml'), OCTANE_YML);
    await writeFile(join(sync, 'wrapper.conf'), 'wrapper.java.command=java\n');
    const p = profile({ octaneConfigDir: conf, octaneConfigFiles: [join(sync, 'wrapper.conf')] });
    const r = await runBackup(p, {
      kind: 'pre-upgrade',
      label: 'before 25.1 upgrade',
      steps: steps(),
      configCopies: copyOctaneConfig,
    });
    const m = r.manifest;
    expect(r.status).toBe('succeeded');
    expect(m.pinned).toBe(true);
    expect(m.label).toBe('before 25.1 upgrade');
    expect(m.octane?.version).toBe('16.2.100');
    expect(m.octane?.versionSource).toBe('octane.conf: octane.version');
    expect(m.octane?.configFiles).toEqual([
      'octane-config/octane.conf',
      'octane-config/setup.xml',
      'octane-config/octane.yml',
      'octane-config/wrapper.conf',
    ]);
    const root = r.setPaths[0] as string;
    // The recorded hashes agree with an independent tool on the copies.
    for (const a of m.octane?.artifacts ?? []) {
      const out = spawnSync('sha256sum', [join(root, a.path)], { encoding: 'utf8' });
      expect(out.stdout.split(' ')[0]).toBe(a.sha256);
    }
    expect(await readFile(join(root, 'octane-config', 'octane.conf'), 'utf8')).toBe(OCTANE_CONF);
    const onDisk = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as typeof m;
    expect(onDisk.octane?.artifacts).toHaveLength(4);
    expect((await verifySet(root)).ok).toBe(true);
  });

  it('verify names an altered or missing config copy', async () => {
    const conf = join(dir.path, 'conf');
    await mkdir(conf, { recursive: true });
    await writeFile(join(conf, 'setup.xml'), SETUP_XML);
    const r = await runBackup(profile({ octaneConfigDir: conf }), {
      kind: 'pre-upgrade',
      steps: steps(),
      configCopies: copyOctaneConfig,
    });
    const root = r.setPaths[0] as string;
    const copy = join(root, 'octane-config', 'setup.xml');
    const bytes = await readFile(copy);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    await writeFile(copy, bytes);
    const report = await verifySet(root);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/ALTERED: octane-config\/setup\.xml has SHA-256/);
  });

  it('warns when the conf folder has no Octane config, or a listed file is missing, and still finishes the set', async () => {
    const extras = createConfigCopies({
      extraFiles: [join(dir.path, 'nowhere', 'wrapper.conf'), dir.path],
    });
    const r = await runBackup(profile({ octaneConfigDir: join(dir.path, 'no-conf') }), {
      kind: 'pre-upgrade',
      steps: steps(),
      configCopies: extras,
    });
    expect(r.status).toBe('succeeded-with-warnings');
    expect(r.manifest.complete).toBe(true);
    expect(r.manifest.warnings.map((w) => w.code).sort()).toEqual([
      'OCTANE_CONFIG_MISSING',
      'OCTANE_CONFIG_NOT_A_FILE',
      'OCTANE_CONFIG_NOT_FOUND',
    ]);
    expect(r.manifest.octane?.configFiles).toEqual([]);
    const log = await readFile(join(r.setPaths[0] as string, 'run.log'), 'utf8');
    expect(log).toMatch(/The Octane version could not be found/);
  });
});
