// The dump and log names come back from the database server. A modified server, or a man in
// the middle on unencrypted Oracle Net, can answer with any name: only the names the export
// job can have written may become files in the set.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchesExportPattern } from '../../../../src-main/engine/steps/oracle/transfer.js';
import { FakeOracleServer, SQL } from '../../../support/oracle/healthy-server.js';
import { bindText } from '../../../support/oracle/oracle-stand-in.js';
import { runOracleBackup } from '../../../support/oracle/run-oracle.js';
import { tempDir } from '../../../support/temp.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-oracle-names-');
});
afterEach(async () => tmp.cleanup());

async function allFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

describe('Oracle server file names (Oracle driver stand-in)', () => {
  it.each(['../../victim/planted.txt', '..\\..\\victim\\planted.txt', '/tmp/planted.txt'])(
    'Oracle driver stand-in: a server answering the dump listing with %j fails the step and writes nothing outside the set',
    async (evil) => {
      const server = new FakeOracleServer();
      const planted = Buffer.from('planted by the server');
      server.files.set(evil, planted);
      // The server lists the planted name instead of the dump the job wrote.
      server.db.on(SQL.list, (c) => {
        const pattern = bindText(c, 'pattern');
        const name = pattern.endsWith('.dmp') ? evil : pattern;
        const data = server.files.get(name);
        return { outBinds: { files: data ? `${name}|${data.length}\n` : null } };
      });
      const dest = join(tmp.path, 'dest');
      const { result, db } = await runOracleBackup(server, dest);
      expect(result.status).toBe('failed');
      expect(db.error?.code).toBe('ORACLE_UNEXPECTED_FILE_NAME');
      expect(db.error?.message).toContain(JSON.stringify(evil));
      expect(db.artifacts.map((a) => a.path)).not.toContain(expect.stringContaining('planted'));
      // The planted name was never read from the server nor written anywhere.
      expect(server.db.callsTo(SQL.bfile).filter((c) => bindText(c, 'file_name') === evil)).toEqual([]);
      expect((await allFiles(tmp.path)).filter((f) => f.includes('planted'))).toEqual([]);
      expect(existsSync('/tmp/planted.txt')).toBe(false);
    },
  );

  it('accepts exactly the names Data Pump writes for a pattern', () => {
    expect(matchesExportPattern('OCTBKP_X-01.dmp', 'OCTBKP_X-%U.dmp')).toBe(true);
    expect(matchesExportPattern('OCTBKP_X-99.dmp', 'OCTBKP_X-%U.dmp')).toBe(true);
    expect(matchesExportPattern('OCTBKP_X.log', 'OCTBKP_X.log')).toBe(true);
    for (const bad of [
      'OCTBKP_X-00.dmp',
      'OCTBKP_X-1.dmp',
      'OCTBKP_X-01.dmp/../x',
      'OCTBKPaX.log',
      'x/OCTBKP_X.log',
    ])
      expect(matchesExportPattern(bad, bad.includes('dmp') ? 'OCTBKP_X-%U.dmp' : 'OCTBKP_X.log'), bad).toBe(
        false,
      );
  });
});
