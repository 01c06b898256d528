// Removable media: exporting a set to a drive or folder, the rotation of drives, ejecting a drive.
// Serialisable types shared by the engine, the CLI (--json) and the app (over IPC).
import { EXIT_CODES, type ErrorInfo } from './errors.js';
import type { WhenConnectedAction } from './profile.js';
import type { VerifyVerdict } from './sets.js';

export type ExportStatus = 'succeeded' | 'failed' | 'cancelled';

/** The copy's phases: the file copy (hashed on the way), then the re-read of every copied file. */
export type ExportPhase = 'copy' | 'verify';

interface ExportBase {
  exportId: string;
  /** ISO-8601, this machine's clock. */
  at: string;
}

export type ExportEvent =
  | (ExportBase & {
      type: 'export-started';
      profile: string;
      setName: string;
      /** The set folders read (the main one first; per-component destinations after it). */
      sources: string[];
      /** The folder the copy will have once it is verified: <to>/<profile>/<set name>. */
      copyPath: string;
      files: number;
      bytesTotal: number;
    })
  | (ExportBase & {
      type: 'export-progress';
      phase: ExportPhase;
      /** 0..1 over both phases (the copy counts as 2/3, the re-read as 1/3). */
      fraction: number;
      bytesDone: number;
      bytesTotal: number;
      bytesPerSecond?: number;
      etaSeconds?: number;
      /** The file being copied or re-read (relative to the set folder). */
      current?: string;
    })
  | (ExportBase & { type: 'export-finished'; outcome: ExportOutcome });

/** The drive a copy went to, when it went to a drive the tool knows by its marker. */
export interface ExportDrive {
  volumeId: string;
  label?: string;
  root: string;
}

export interface ExportOutcome {
  status: ExportStatus;
  profile: string;
  setName: string;
  /** <to>: the folder or the drive's folder given as the target. */
  target: string;
  /** The verified copy; absent when none exists (a failed or cancelled export leaves none). */
  copyPath?: string;
  files: number;
  bytes: number;
  /** The target already held a copy that its last verification found intact: nothing was copied. */
  alreadyThere?: boolean;
  /** The re-read's verdict on the copy (intact, or intact-partial for a profile that leaves stores out). */
  verdict?: VerifyVerdict;
  error?: ErrorInfo;
  drive?: ExportDrive;
  /** Per-drive retention after the copy (drives of a rotation with keepLast). */
  retention?: { deleted: string[]; failed: { path: string; error: string }[]; notes: string[] };
  eject?: EjectResult;
  /** Plain sentences: what was done, what was left. */
  notes: string[];
}

/** The export's exit code: the same numbers as `run` (0 ok, 1 failed, 130 cancelled). */
export function exitCodeForExport(status: ExportStatus): number {
  return status === 'succeeded'
    ? EXIT_CODES.success
    : status === 'cancelled'
      ? EXIT_CODES.cancelled
      : EXIT_CODES.failed;
}

/** Why a drive could not be removed safely. */
export type EjectRefusal = 'busy' | 'not-found' | 'not-supported' | 'failed';

export interface EjectResult {
  /** The drive root or mount point that was asked to go. */
  root: string;
  /** True only when the system confirmed the drive is detached: it can be unplugged now. */
  ejected: boolean;
  /** Plain words for the admin: "… can be unplugged now." or why not. */
  message: string;
  reason?: EjectRefusal;
  /** What holds the drive (processes with open files, a window showing it), when the system says. */
  holders?: string[];
  fix?: string;
  /** Unmounted (Linux) or dismounted, but not powered off: safe to unplug, said in `message`. */
  unmountedOnly?: boolean;
}

/** One drive of a profile's rotation as the Overview, History and preflight show it. */
export interface RotationDriveView {
  volumeId: string;
  label?: string;
  connected: boolean;
  /** Where it is now (drive root or mount point). */
  root?: string;
  /** Its folder for this profile's copies: <root>/<rotation folder>. */
  folder?: string;
  fileSystem?: string;
  sizeBytes?: number;
  freeBytes?: number;
  /** Free space is at least the expected size of one set (when both are known). */
  fits?: boolean;
  /** A file of the newest set is larger than this drive's file system allows (FAT32: 4 GiB). */
  fileTooLarge?: boolean;
  /** Last time the tool saw it connected (ISO). */
  lastSeenAt?: string;
  /** The newest usable copy on it: read from the drive when connected, else as last seen. */
  newestSet?: { setName: string; startedAt?: string };
  /** Copies on it (when connected). */
  sets?: number;
  /** Last export to it. */
  lastExport?: { at: string; setName: string; status: ExportStatus; message?: string };
  /** Plain words when it needs attention: away too long, never seen, too small, lacks the newest set. */
  warning?: string;
}

export interface RotationStatusView {
  profile: string;
  drives: RotationDriveView[];
  /** Expected size of one set and where the figure comes from. */
  expectedBytes?: number;
  expectedBasis?: string;
  /** The largest file of the newest usable set (checked against FAT32's 4 GiB). */
  largestFileBytes?: number;
  /** The newest usable set of the profile (what a drive should hold). */
  newestUsable?: { setName: string; startedAt?: string; path: string };
  warnAfterDays?: number;
  exportAfterRun: boolean;
  whenConnected?: WhenConnectedAction;
  minIntervalHours: number;
  eject: boolean;
  checkedAt: string;
  /** The rotation's state could not be read or written (main destination missing, …). */
  problems: string[];
}
