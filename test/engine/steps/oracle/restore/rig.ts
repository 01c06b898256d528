// A set exported through the real runner from the Oracle driver stand-in, ready to be restored.
import type { Manifest } from '../../../../../src-main/contract/manifest.js';
import type { OracleConfig, Profile } from '../../../../../src-main/contract/profile.js';
import type { RestoreTarget } from '../../../../../src-main/engine/steps/restore/primitive.js';
import { createOracleRestore } from '../../../../../src-main/engine/steps/oracle/restore/index.js';
import { RestoringOracleServer, type RestoringOptions } from '../../../../support/oracle/restoring-server.js';
import { oracleProfile, runOracleBackup, TEST_PASSWORD } from '../../../../support/oracle/run-oracle.js';
import { tempDir } from '../../../../support/temp.js';

export interface Exported {
  server: RestoringOracleServer;
  setRoot: string;
  manifest: Manifest;
  dest: string;
  profile(cfg?: Partial<OracleConfig>): Profile;
  scratch: RestoreTarget;
  primitive: ReturnType<typeof createOracleRestore>;
  close(): Promise<void>;
}

export async function exported(o: RestoringOptions = {}, keepServerFiles = false): Promise<Exported> {
  const dir = await tempDir('obm-ora-restore-');
  const server = new RestoringOracleServer(o);
  const run = await runOracleBackup(server, dir.path);
  if (run.db.status !== 'succeeded')
    throw new Error(`backup ${run.db.status}: ${JSON.stringify(run.db.error)}`);
  // The DBA cleaned the DIRECTORY after the backup: a restore has to bring the pieces back.
  if (!keepServerFiles) server.files.clear();
  return {
    server,
    setRoot: run.setRoot,
    manifest: run.result.manifest,
    dest: dir.path,
    profile: (cfg = {}) => oracleProfile(dir.path, { password: TEST_PASSWORD, ...cfg }),
    scratch: { kind: 'scratch', setId: run.result.manifest.setId },
    primitive: createOracleRestore({ connect: server.db.connect, pollIntervalMs: 0, chunkBytes: 64 * 1024 }),
    close: dir.cleanup,
  };
}
