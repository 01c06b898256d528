// The backup set on disk is the product's real output; this is its self-description.
// Bump MANIFEST_FORMAT_VERSION on any incompatible change and keep readers of older versions.
import type { ErrorInfo } from './errors.js';
import type { ComponentStatus, RunStatus, SkewInfo } from './events.js';
import type { BackupKind, ComponentId } from './profile.js';

export const MANIFEST_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
/** Present while a run is writing the set; a set carrying it is never complete. */
export const IN_PROGRESS_MARKER = 'BACKUP-IN-PROGRESS.txt';
export const RUN_LOG_FILE = 'run.log';
/** Written by every verify into the set folder it checked: when, which copy, what was read, the result. */
export const VERIFICATION_FILE = 'verification.json';
/** Written by every restore rehearsal into the set folder it rehearsed: when, per store what came back, the result. */
export const REHEARSAL_FILE = 'rehearsal.json';
export const TOOL_NAME = 'octane-backup-manager';

export interface ArtifactRecord {
  /** Relative to the set folder, forward slashes (e.g. "repository/repository.tar"). */
  path: string;
  bytes: number;
  sha256: string;
  /** What it is, in a few words (e.g. "SQL Server backup of octane_site"). */
  description?: string;
}

/** A copy of one of Octane's config files in a pre-upgrade set. */
export interface OctaneConfigCopy extends ArtifactRecord {
  /** The file's absolute path on the Octane host when it was copied: where a restore puts it back. */
  source?: string;
}

export interface Warning {
  code: string;
  message: string;
  step?: ComponentId;
  /** Affected file or object, when there is one. */
  subject?: string;
}

export interface ServerInfo {
  engine: string;
  version?: string;
  edition?: string;
  name?: string;
}

/** SQL Server LSNs of one backup (msdb.dbo.backupset). */
export interface BackupLsns {
  first: string;
  last: string;
  databaseBackup?: string;
}

/** One SQL Server database's own consistency point: the end of its backup. */
export interface DatabasePoint {
  name: string;
  /** ISO-8601 on the DB clock (backup_finish_date, or the DB clock right after the backup). */
  time: string;
  lsn?: BackupLsns;
}

/**
 * The instant a store's capture represents, on the DB clock. Database: its consistency point.
 * Elasticsearch: the snapshot's start. Repository: the moment its content was frozen.
 */
export interface ConsistencyPoint {
  /** ISO-8601 with the DB server's offset (this machine's clock, "Z", when the DB clock is unknown). */
  time: string;
  /** Oracle SCN used as FLASHBACK_SCN. */
  scn?: string;
  /** SQL Server LSNs of the last backup. */
  lsn?: { first: string; last: string; databaseBackup?: string };
  /** SQL Server: every database's own point; they are taken one after the other, not mutually consistent. */
  databases?: DatabasePoint[];
  /** SQL Server: seconds from the first database's point to the last one's. */
  spreadSeconds?: number;
  /** The point lies between these two instants (same clock as `time`), when it is not exact. */
  notBefore?: string;
  /** This machine's clock at the point (ISO, UTC), for stores whose point was taken here. */
  localTime?: string;
  description: string;
}

export interface ComponentRecord {
  id: ComponentId;
  status: ComponentStatus;
  /** Where this component's folder lives (absolute path of its set folder). */
  location?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Same instants on the DB server's clock, where known. */
  startedAtDb?: string;
  finishedAtDb?: string;
  consistencyPoint?: ConsistencyPoint;
  server?: ServerInfo;
  artifacts: ArtifactRecord[];
  warnings: Warning[];
  /** SQL, API calls and commands that ran, secrets removed. */
  statements: string[];
  /** Step-specific facts (databases, snapshot name, file count ...). */
  details?: Record<string, unknown>;
  error?: ErrorInfo;
  skippedReason?: string;
}

export interface DbClockInfo {
  /** DB clock minus this machine's clock, milliseconds. */
  offsetMs: number;
  /** DB server's UTC offset, e.g. "+02:00". */
  serverUtcOffset?: string;
  measuredAt: string;
  /** Half the round trip of the measurement, ms: the uncertainty of offsetMs. */
  uncertaintyMs?: number;
}

export interface Manifest {
  formatVersion: number;
  tool: { name: string; version: string };
  setName: string;
  setId: string;
  profile: string;
  kind: BackupKind;
  label?: string;
  /** Pinned sets are never pruned by retention (every pre-upgrade set is pinned). */
  pinned: boolean;
  host: string;
  status: RunStatus | 'running';
  /** True only when every component was taken and succeeded (with or without warnings). */
  complete: boolean;
  /** Plain words when the set is not a full Octane backup. */
  completenessNote?: string;
  startedAt: string;
  finishedAt?: string;
  dbClock?: DbClockInfo;
  components: ComponentRecord[];
  skew: SkewInfo;
  warnings: Warning[];
  error?: ErrorInfo;
  octane?: {
    version?: string;
    /** Where the version was read (file and key, or folder name). */
    versionSource?: string;
    /** Copies of Octane's config files in the set (relative paths, e.g. "octane-config/octane.conf"). */
    configFiles?: string[];
    /** The same copies with size, SHA-256 and original path, checked by verify, put back by restore. */
    artifacts?: OctaneConfigCopy[];
  };
  /**
   * HMAC-SHA256 over the manifest without this field (JSON.stringify of the rest, as written), with
   * the seal key of the run (engine/backup-set/seal.ts). Absent when the run had no seal key.
   */
  seal?: ManifestSeal;
}

export const SEAL_ALGORITHM = 'HMAC-SHA256';

export interface ManifestSeal {
  algorithm: typeof SEAL_ALGORITHM;
  /** Which key sealed it: the first 16 hex digits of HMAC(key, "key id"); never the key itself. */
  keyId: string;
  /** Hex. */
  mac: string;
}
