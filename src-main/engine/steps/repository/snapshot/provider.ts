// Snapshot mode: something that freezes the repository's volume at the database's point and
// offers the frozen view to read at leisure. Volume Shadow Copy on Windows, a read-only btrfs
// snapshot or an LVM snapshot on Linux. Every command goes through the injected CommandRunner, so
// the Windows path is tested on Linux with recorded PowerShell output.
import type { CommandRunner } from '../../../os/run-command.js';
import type { SnapshotJournal } from './journal.js';

export interface SnapshotEnv {
  platform: NodeJS.Platform;
  run: CommandRunner;
  env: NodeJS.ProcessEnv;
  /** Waits between retries (VSS codes 9 and 12), ms; rejects on abort. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** /proc/mounts text (test seam). */
  mounts?: string;
  /** VSS: where the folder links to shadow copies go (default %ProgramData%\Octane Backup Manager\vss). */
  linkDir?: string;
  /** VSS: how a folder link is made and removed (default fs.symlink 'dir' / rmdir). */
  link?: {
    create: (target: string, path: string, type: 'dir') => Promise<void>;
    remove: (path: string) => Promise<void>;
  };
}

export interface FrozenView {
  /** The repository folder inside the frozen view. */
  root: string;
  /** What froze it, for the manifest and the point's description. */
  description: string;
  facts: Record<string, unknown>;
  /** Deletes the snapshot (and its link or mount) and takes it out of the journal. */
  release(): Promise<void>;
}

export interface SnapshotProvider {
  readonly method: 'vss' | 'btrfs' | 'lvm';
  /**
   * Checks made before the database starts (rights, the volume, a share); throws an ExpectedError
   * with the fix when the snapshot cannot be made.
   */
  prepare(signal: AbortSignal): Promise<void>;
  /** Freezes the volume now; the snapshot is in the journal before this resolves. */
  freeze(signal: AbortSignal): Promise<FrozenView>;
}

export interface ProviderInput {
  /** The repository folder as configured, and its real path. */
  configured: string;
  root: string;
  /** Name for the snapshot (unique per run). */
  name: string;
  setName: string;
  journal: SnapshotJournal;
  snapshotDir: string | undefined;
  lvmSnapshotSize: string | undefined;
  env: SnapshotEnv;
}
