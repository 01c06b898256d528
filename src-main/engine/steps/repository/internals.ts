// Internal knobs of the repository step: tests and benchmarks only; the registry calls
// createRepositoryStep() without them.
import type { ArchiveHooks } from './archive-tree.js';
import type { OpenFile } from './file-reader.js';
import type { FsTypeProbe } from './fs-type.js';
import type { SnapshotEnv } from './snapshot/provider.js';
import type { MountTables } from './source-policy.js';

export interface RepositoryStepInternals {
  fsType?: FsTypeProbe;
  open?: OpenFile;
  hooks?: ArchiveHooks;
  /** Mount tables read instead of /proc/mounts and /etc/fstab. */
  mountTables?: MountTables;
  /** Bytes per tar block / gzip member (default 1 MiB). */
  blockSize?: number;
  /** gzip members, or zip blocks of one large file, compressed at once (default 3). */
  gzipParallel?: number;
  /** Store data that looks incompressible instead of deflating it (default true). */
  storeIncompressible?: boolean;
  /** Worker threads compressing small zip entries (default: cores - 1). */
  zipWorkers?: number;
  /** Snapshot mode: the platform, the command runner and the waits (recorded PowerShell output in tests). */
  snapshot?: Partial<SnapshotEnv>;
}
