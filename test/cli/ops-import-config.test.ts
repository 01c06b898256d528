import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OctaneConfigImport } from '../../src-main/engine/octane-config/import-octane-config.js';
import { tempDir } from '../support/temp.js';
import { OCTANE_CONF, SETUP_XML } from '../engine/octane-config/samples.js';
import { ensureCli, spawnCli } from './ops-helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(() => ensureCli());
beforeEach(async () => {
  dir = await tempDir('obm-cli-import-');
});
afterEach(async () => dir.cleanup());

describe('octane-backup import-config (built CLI, spawned)', () => {
  it('prints each value with its file and key, the passwords it did not import, and a draft profile', async () => {
    const conf = join(dir.path, 'conf');
    await mkdir(conf);
    await writeFile(join(conf, 'setup.xml'), SETUP_XML);
    const r = spawnCli(['import-config', '--dir', conf]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /database\.server\s+sqlprod01\.corp\.local\s+\(setup\.xml: ConnectionString \(parsed\), line 6\)/,
    );
    expect(r.out).toMatch(/repository\.path\s+C:\\octane\\repo\s+\(setup\.xml: RepositoryFolder, line 12\)/);
    expect(r.out).toMatch(/Not imported \(passwords[^\n]*\n {2}setup\.xml: DBAdminPassword \(line 8\)/);
    expect(r.out).not.toContain('q9Zr1vT0bXk');
    const draft = JSON.parse(r.out.slice(r.out.indexOf('{', r.out.indexOf('Draft profile')))) as {
      database: { engine: string };
    };
    expect(draft.database.engine).toBe('sqlserver');
  });

  it('--json gives the whole result; a folder without Octane config exits 1', async () => {
    const conf = join(dir.path, 'conf');
    await mkdir(conf);
    await writeFile(join(conf, 'octane.conf'), OCTANE_CONF);
    const r = spawnCli(['import-config', '--dir', conf, '--json']);
    const parsed = JSON.parse(r.out) as OctaneConfigImport;
    expect(parsed.profileDraft.database).toMatchObject({
      engine: 'oracle',
      connectString: 'orahost.corp.local:1521/OCTPDB',
    });
    expect(parsed.octaneVersion).toBe('16.2.100');
    const none = spawnCli(['import-config', '--dir', join(dir.path, 'missing')]);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/does not exist or cannot be read/);
  });
});
