// Types that only the desktop app uses (main process <-> renderer). Types and constants only.
import type { RunEvent, RunStatus } from './events.js';
import type { Manifest } from './manifest.js';
import type { BackupKind, ComponentId, DatabaseConfig, ElasticsearchConfig, Profile } from './profile.js';
import type { Result } from './result.js';
import type { SetSummary } from './sets.js';

export const SECRET_KEYS = [
  'databasePassword',
  'elasticsearchPassword',
  'elasticsearchApiKey',
  'smtpPassword',
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** What the renderer may know about a secret: whether it is stored. Never the value. */
export type SecretState = Record<SecretKey, boolean>;

/** A new value to store (string) or a stored value to forget (null); absent keys stay as they are. */
export type SecretUpdate = Partial<Record<SecretKey, string | null>>;

/** A destination slot: the profile's default destination or one component's own. */
export type DestinationSlot = 'default' | ComponentId;

/** The id written in the marker file at the root of a backup drive. */
export interface VolumeMarker {
  tool: string;
  formatVersion: number;
  id: string;
  label?: string;
  serial?: string;
  createdAt: string;
}

/**
 * A destination that lives on a removable drive, remembered by the drive's marker id so a changed
 * drive letter still finds it and a different drive in the same letter is not taken for it.
 */
export interface VolumeBinding {
  volumeId: string;
  label?: string;
  serial?: string;
  /** The destination folder relative to the drive root, forward slashes ("" = the root itself). */
  relativePath: string;
  /** The drive root where it was last seen (e.g. "E:\\"). */
  lastRoot: string;
}

export interface ProfileRecord {
  /** The profile as stored: every password removed (they live in the secret store). */
  profile: Profile;
  secrets: SecretState;
  volumes: Partial<Record<DestinationSlot, VolumeBinding>>;
  updatedAt: string;
}

export interface SaveProfileRequest {
  profile: Profile;
  secrets?: SecretUpdate;
  volumes?: Partial<Record<DestinationSlot, VolumeBinding | null>>;
  /** The name the profile had before this edit, when it is being renamed. */
  previousName?: string;
}

/** One validation problem, addressed by its config key (e.g. "database.server"). */
export interface FieldProblem {
  key: string;
  message: string;
}

export interface DriveInfo {
  /** Mount point or drive root ("E:\\", "/media/admin/BACKUP"). */
  root: string;
  label?: string;
  fileSystem?: string;
  sizeBytes?: number;
  freeBytes?: number;
  /** A USB or other removable drive (USB hard disks count, although Windows calls them fixed). */
  removable: boolean;
  serial?: string;
  /** Present when the drive carries this tool's volume marker. */
  marker?: VolumeMarker;
}

export interface DestinationInfo {
  path: string;
  exists: boolean;
  freeBytes?: number;
  totalBytes?: number;
  /** The drive it lives on, when the path is on a listed drive. */
  drive?: DriveInfo;
}

export interface FolderScan {
  path: string;
  files: number;
  folders: number;
  bytes: number;
  /** False when the walk stopped early (limit reached or unreadable parts). */
  complete: boolean;
  note?: string;
}

export interface SizeEstimate {
  bytes: number;
  /** Plain words: where the figure comes from. */
  basis: string;
}

export interface ScheduleInfo {
  /** ISO time of the next scheduled run; absent when not scheduled. */
  nextRun?: string;
  /** Plain words ("not scheduled", "every 24 h at 01:00"). */
  note: string;
}

export interface OverviewEntry {
  profile: string;
  /** Largest acceptable age of the newest good backup (profile.schedule.targetIntervalHours, default 24). */
  targetIntervalHours: number;
  skewToleranceSeconds: number;
  destinations: string[];
  lastSet?: SetSummary;
  lastGoodSet?: SetSummary;
  /** Age of the newest good backup in hours, at `checkedAt`. */
  lastGoodAgeHours?: number;
  /** True when there is no good backup or the newest good one is older than the target. */
  overdue: boolean;
  /** Plain words for the alert when overdue (or when the destination cannot be read). */
  alert?: string;
  schedule: ScheduleInfo;
  /** A run of this profile in progress in this app. */
  activeJobId?: string;
  checkedAt: string;
}

/** What the discovery/test buttons send: the section being edited plus an optional typed password. */
export interface ConnectionRequest<T> {
  config: T;
  /** The stored secrets of this profile are used when no password is typed. */
  profileName?: string;
  password?: string;
  apiKey?: string;
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
  serverVersion?: string;
  fix?: string;
}

/** What "Discover" found: candidate databases (SQL Server) or schemas (Oracle) for the admin to tick. */
export interface DatabaseDiscovery {
  candidates: { name: string; /** Plain words: state, size, objects. */ detail?: string }[];
  note?: string;
}

export type DatabaseConnectionRequest = ConnectionRequest<DatabaseConfig>;
export type ElasticsearchConnectionRequest = ConnectionRequest<ElasticsearchConfig>;

export interface PreflightRequest {
  profile: Profile;
  /** Unsaved secrets typed in the form; stored ones fill the rest. */
  secrets?: SecretUpdate;
  /** The profile's stored name (for its stored secrets). */
  storedName?: string;
  /** The form's drive bindings: bound destinations are checked where their drive is now. */
  volumes?: Partial<Record<DestinationSlot, VolumeBinding>>;
}

export interface RunRequest {
  profile: string;
  kind: BackupKind;
  label?: string;
}

export interface RunJob {
  jobId: string;
  profile: string;
  kind: BackupKind;
  label?: string;
  startedAt: string;
}

export interface RunOutcome {
  status: RunStatus;
  setName: string;
  setPaths: string[];
  manifest: Manifest;
}

export interface AppInfo {
  version: string;
  platform: string;
  /** The file the headless runs append one line to. */
  headlessLogFile: string;
  /** How a scheduled task calls this app, e.g. `"C:\\...\\Octane Backup Manager.exe" --run nightly`. */
  headlessCommand: string;
  /** False when the OS offers no secure store (passwords cannot be saved then). */
  secretsAvailable: boolean;
}

export interface RunEventMessage {
  jobId: string;
  event: RunEvent;
}

export interface RunDoneMessage {
  jobId: string;
  profile: string;
  result: Result<RunOutcome>;
}

export interface VerifyProgressMessage {
  setPath: string;
  bytesDone: number;
  bytesTotal: number;
  current: string;
}
