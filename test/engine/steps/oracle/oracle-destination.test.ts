import { spawnSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmpfs, type Mounted } from '../../../support/mounts.js';
import { FakeOracleServer, SQL } from '../../../support/oracle/healthy-server.js';
import { bindText } from '../../../support/oracle/oracle-stand-in.js';
import { runOracleBackup } from '../../../support/oracle/run-oracle.js';
import { tempDir } from '../../../support/temp.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let disk: Mounted | undefined;
beforeEach(async () => {
  tmp = await tempDir('obm-oracle-');
});
afterEach(async () => {
  await disk?.cleanup();
  disk = undefined;
  await tmp.cleanup();
});

describe('Oracle step and a failing destination (Oracle driver stand-in)', () => {
  it('Oracle driver stand-in: a destination that fills up during the BFILE copy fails with DESTINATION_FULL and leaves no partial file', async () => {
    // A real, small destination (tmpfs) that fills up just before the dump is copied.
    disk = await tmpfs({ sizeKiB: 4096 });
    const server = new FakeOracleServer();
    const dest = disk.path;
    const original = server.db;
    let dbDir = '';
    server.db.on(SQL.list, async (c) => {
      const pattern = bindText(c, 'pattern');
      if (pattern.endsWith('.dmp') && dbDir === '') {
        const sets = await readdir(join(dest, 'oracle-test'));
        const set = sets.find((s) => s.includes('-manual-'));
        dbDir = join(dest, 'oracle-test', set ?? 'missing', 'database');
        // Something else fills the drive: dd stops with ENOSPC once it is full.
        spawnSync('dd', ['if=/dev/zero', `of=${join(dest, 'filler')}`, 'bs=64k']);
      }
      const data = server.files.get(pattern);
      return { outBinds: { files: data ? `${pattern}|${data.length}\n` : null } };
    });
    const { result, db } = await runOracleBackup(server, dest);
    expect(original.callsTo(SQL.bfile).length).toBeGreaterThan(0);
    expect(result.status).toBe('failed');
    expect(db.error?.code).toBe('DESTINATION_FULL');
    expect(db.error?.fix).toMatch(/Free space/);
    expect(await readdir(dbDir)).toEqual([]);
    expect(db.artifacts).toEqual([]);
    // The export itself succeeded: the dump stays on the server for a retry or a manual copy.
    expect(server.dumpPieces()).toHaveLength(1);
  });
});
