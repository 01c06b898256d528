import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOctaneConfig } from '../../../src-main/engine/octane-config/import-octane-config.js';
import { tempDir } from '../../support/temp.js';
import { OCTANE_CONF, OCTANE_YML, SETUP_XML } from './samples.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('obm-import-');
});
afterEach(async () => dir.cleanup());

async function conf(files: Record<string, string | Buffer>, sub = 'conf'): Promise<string> {
  const d = join(dir.path, sub);
  await mkdir(d, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(d, name), text);
  return d;
}

const found = (r: Awaited<ReturnType<typeof importOctaneConfig>>): Record<string, string> =>
  Object.fromEntries(r.found.map((f) => [f.key, f.value]));

describe('importOctaneConfig', () => {
  it('pre-fills a SQL Server profile from setup.xml, with the source of every value', async () => {
    const r = await importOctaneConfig(await conf({ 'setup.xml': SETUP_XML }));
    expect(r.filesRead).toEqual(['setup.xml']);
    expect(r.profileDraft.database).toEqual({
      engine: 'sqlserver',
      server: 'sqlprod01.corp.local',
      port: 1433,
      user: 'octane_admin',
      databases: ['octane_site', 'octane_sp_1001'],
    });
    expect(r.profileDraft.repository).toEqual({ path: 'C:\\octane\\repo' });
    // 9300 is the transport port; the backup speaks HTTP.
    expect(r.profileDraft.elasticsearch).toEqual({ node: 'http://es01.corp.local:9200' });
    expect(r.problems.join('\n')).toMatch(/port 9300 is the transport port/);
    const server = r.found.find((f) => f.key === 'database.server');
    expect(server?.source).toEqual({ file: 'setup.xml', key: 'ConnectionString (parsed)', line: 6 });
    expect(found(r)['elasticsearch.clusterName']).toBe('octane&es');
    expect(r.found.find((f) => f.key === 'repository.path')?.source).toMatchObject({
      file: 'setup.xml',
      key: 'RepositoryFolder',
    });
  });

  it('never imports passwords: it names where they are and asks for them', async () => {
    const r = await importOctaneConfig(await conf({ 'setup.xml': SETUP_XML, 'octane.conf': OCTANE_CONF }));
    const all = JSON.stringify(r);
    expect(all).not.toContain('q9Zr1vT0bXk');
    expect(all).not.toContain('3kdf93kd');
    expect(r.secretsNotImported.map((s) => `${s.file}:${s.key}`).sort()).toEqual([
      'octane.conf:database.admin-user.password',
      'octane.conf:database.site-schema.password',
      'setup.xml:DBAdminPassword',
    ]);
    expect(r.problems.join('\n')).toMatch(/NOT imported/);
  });

  it('pre-fills an Oracle profile from octane.conf, preferring it over a leftover setup.xml', async () => {
    const r = await importOctaneConfig(await conf({ 'octane.conf': OCTANE_CONF, 'setup.xml': SETUP_XML }));
    expect(r.profileDraft.database).toEqual({
      engine: 'oracle',
      connectString: 'orahost.corp.local:1521/OCTPDB',
      user: 'system',
      schemas: ['OCTANE_SITE_SCHEMA', 'OCTANE_SP_1001'],
    });
    expect(r.profileDraft.elasticsearch).toEqual({
      nodes: ['http://es1.corp.local:9200', 'http://es2.corp.local:9200'],
    });
    expect(r.profileDraft.repository).toEqual({ path: '/var/opt/octane/repo' });
    expect(r.octaneVersion).toBe('16.2.100');
    expect(r.problems.join('\n')).toMatch(
      /repositoryFolder: octane\.conf says "\/var\/opt\/octane\/repo", setup\.xml says "C:\\octane\\repo"; using octane\.conf/,
    );
  });

  it('reads octane.yml with Windows paths', async () => {
    const r = await importOctaneConfig(await conf({ 'octane.yml': OCTANE_YML }));
    expect(r.profileDraft.database).toEqual({
      engine: 'sqlserver',
      server: 'sqlprod02',
      port: 1433,
      databases: ['octane_site'],
    });
    expect(r.profileDraft.repository).toEqual({ path: 'D:\\Octane Repo' });
    expect(r.profileDraft.elasticsearch).toEqual({ node: 'http://es3:9200' });
    expect(r.found.find((f) => f.key === 'database.server')?.source).toEqual({
      file: 'octane.yml',
      key: 'database.server',
      line: 7,
    });
  });

  it('explains a missing folder, missing files and garbage instead of failing', async () => {
    const missing = await importOctaneConfig(join(dir.path, 'nope'));
    expect(missing.filesRead).toEqual([]);
    expect(missing.problems[0]).toMatch(/does not exist/);

    const empty = await importOctaneConfig(await conf({}, 'empty'));
    expect(empty.problems.join('\n')).toMatch(/None of octane\.conf, octane\.yml, setup\.xml/);

    const garbage = await importOctaneConfig(
      await conf(
        {
          'octane.conf': '}}}{{{ ::: === \n\u00ff\u00fe',
          'setup.xml': Buffer.from([0, 1, 2, 255, 254, 0]),
          'octane.yml': '- - - :\n\t\tx',
        },
        'garbage',
      ),
    );
    expect(garbage.filesRead.sort()).toEqual(['octane.conf', 'octane.yml', 'setup.xml']);
    expect(garbage.problems.join('\n')).toMatch(/setup\.xml: is not a text file/);
    expect(garbage.problems.join('\n')).toMatch(/No database settings were found/);
    expect(garbage.profileDraft.database).toBeUndefined();
  });

  it('reads an instance name and an unknown database type', async () => {
    const r = await importOctaneConfig(
      await conf({
        'setup.xml':
          '<properties><entry key="DBType">DB2</entry><entry key="ConnectionString">jdbc:sqlserver://SQL01\\OCTANE;databaseName=s</entry></properties>',
      }),
    );
    expect(r.profileDraft.database).toMatchObject({
      engine: 'sqlserver',
      server: 'SQL01',
      instance: 'OCTANE',
    });
    expect(r.problems.join('\n')).toMatch(/"DB2" is neither MSSQL nor ORACLE/);
  });

  it('finds the version in the install folder name when the config does not say', async () => {
    const d = await conf({ 'setup.xml': SETUP_XML }, 'octane-15.1.60/conf');
    expect((await importOctaneConfig(d)).octaneVersion).toBe('15.1.60');
  });
});
