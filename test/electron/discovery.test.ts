import { describe, expect, it } from 'vitest';
import { defaultDiscovery } from '../../src-main/electron/discovery.js';
import { freePort } from '../support/elasticsearch/node.js';
import { startFakeSqlServer } from '../support/tds/fake-sql-server.js';

const signal = (): AbortSignal => AbortSignal.timeout(30_000);

describe('the Test / Discover buttons use the steps’ own calls', () => {
  it('TDS stand-in: discovers databases with their state and size, and tests the login', async () => {
    const fake = await startFakeSqlServer({
      databases: [
        { name: 'octane_site', usedBytes: 3 * 2 ** 30 },
        { name: 'old_space', usedBytes: 2 ** 20, state: 'OFFLINE', canBackup: false },
      ],
      serverDir: 'D:\\Backups',
      localDir: '/nonexistent',
    });
    try {
      const d = defaultDiscovery();
      const config = {
        engine: 'sqlserver' as const,
        server: '127.0.0.1',
        port: fake.port,
        user: 'backup',
        encrypt: false,
        databases: [],
        serverBackupDir: 'D:\\Backups',
      };
      expect(await d.listDatabases(config, { databasePassword: 'pw' }, signal())).toEqual({
        candidates: [
          { name: 'octane_site', detail: 'ONLINE, FULL recovery, 6.00 GiB' },
          {
            name: 'old_space',
            detail: 'OFFLINE, FULL recovery, 2.00 MiB, cannot be backed up by this login',
          },
        ],
      });
      const t = await d.testDatabase(config, { databasePassword: 'pw' }, signal());
      expect(t.ok).toBe(true);
      expect(t.message).toMatch(/^Connected to 127\.0\.0\.1.* as backup/);
    } finally {
      await fake.close();
    }
  });

  it('answers red with the fix (not an exception) when nothing listens, for each engine and Elasticsearch', async () => {
    const port = await freePort();
    const d = defaultDiscovery();
    const sql = await d.testDatabase(
      {
        engine: 'sqlserver',
        server: '127.0.0.1',
        port,
        encrypt: false,
        databases: [],
        serverBackupDir: 'D:\\b',
      },
      {},
      signal(),
    );
    expect(sql.ok).toBe(false);
    expect(sql.fix).toBeTruthy();
    const ora = await d.testDatabase(
      { engine: 'oracle', connectString: `127.0.0.1:${port}/OCTANE`, user: 'system', schemas: [] },
      { databasePassword: 'x' },
      signal(),
    );
    expect(ora.ok).toBe(false);
    expect(ora.fix).toBeTruthy();
    const es = await d.testElasticsearch(
      { node: `http://127.0.0.1:${port}`, repository: 'r', location: '/l' },
      {},
      signal(),
    );
    expect(es.ok).toBe(false);
    expect(es.message).toBeTruthy();
  });
});
