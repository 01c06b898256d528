// Types that only the desktop app uses (main process <-> renderer). Types and constants only.
import type { RunEvent, RunStatus } from './events.js';
import type { Manifest } from './manifest.js';
import type {
  BackupKind,
  ComponentId,
  DatabaseConfig,
  ElasticsearchConfig,
  Profile,
  SmtpAlertConfig,
} from './profile.js';
import type { ExportEvent, ExportOutcome, RotationStatusView } from './removable.js';
import type { Result } from './result.js';
import type { RehearsalRecord, SetSummary } from './sets.js';

export const SECRET_KEYS = [
  'databasePassword',
  'elasticsearchPassword',
  'elasticsearchApiKey',
  'smtpPassword',
  'sealKey',
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
  /** The field's human label ("SQL Server host"); the validator always sets it, other refusals may not. */
  label?: string;
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
  /**
   * True when there is no good backup known, the destination cannot be checked and no earlier look is
   * remembered, or (only with a schedule) the newest good one is older than the target.
   */
  overdue: boolean;
  /** The profile has a schedule (profile.schedule): freshness is judged against it only then. */
  scheduled: boolean;
  /** Plain words for the alert when overdue (or when the destination cannot be read). */
  alert?: string;
  /** The alert's heading ("Drive \"BACKUP1\" not connected", "Backup overdue", …). */
  alertTitle?: string;
  /** The destination's drive or share cannot be reached now: how to name it ("BACKUP1", or its path). */
  driveMissing?: string;
  /**
   * When lastSet/lastGoodSet come from an earlier look (the drive is not connected now): the time of that
   * look (ISO). Absent when they were read from the destination now.
   */
  setsSeenAt?: string;
  /** Plain words when sets of this profile were found damaged by verify or cannot be read. */
  damaged?: string;
  /** The newest good set a passed restore rehearsal proved restorable, with that rehearsal. */
  proven?: { setName: string; rehearsal: RehearsalRecord };
  /** With alerts.rehearsalMaxAgeDays: plain words when no set was proven restorable within it. */
  rehearsalAlert?: string;
  schedule: ScheduleInfo;
  /** A run of this profile in progress in this app. */
  activeJobId?: string;
  /** The drives of the profile's rotation (profile.rotation): connected, newest copy, last seen, warnings. */
  rotation?: RotationStatusView;
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
  /** The app's own log folder ("Open log folder"): headless-run lines and anything else main logs. */
  logFolder: string;
}

/** "Delete this set" (History): only a set that is not a usable backup, after a confirmation. */
export interface DeleteSetRequest {
  profile: string;
  setName: string;
}

export interface DeleteSetResult {
  /** Every copy removed (one per destination). */
  deleted: string[];
  failed: { path: string; error: string }[];
  skipped: { path: string; reason: string }[];
}

/** What the file picker offers (Electron's dialog filters). */
export interface PickFileOptions {
  title?: string;
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
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

/** "Copy to drive…": a set of a stored profile to a listed drive or to a folder picked in the dialog. */
export interface ExportRequest {
  setPath: string;
  /** A drive: the copy goes to <root>/<rotation folder or OctaneBackups>/<profile>/<set>. */
  to: { kind: 'drive'; root: string } | { kind: 'folder'; path: string };
  /** Eject the drive once the copy is verified. */
  eject?: boolean;
}

export interface ExportJob {
  jobId: string;
  profile: string;
  setName: string;
  setPath: string;
  /** The folder that receives <profile>/<set>. */
  target: string;
  startedAt: string;
}

export interface ExportEventMessage {
  jobId: string;
  event: ExportEvent;
}

export interface ExportDoneMessage {
  jobId: string;
  profile: string;
  result: Result<ExportOutcome>;
}

export interface VerifyProgressMessage {
  setPath: string;
  bytesDone: number;
  bytesTotal: number;
  current: string;
}

// ---- Operations (schedule, retention, alerts, Octane config import) ----
// Mirrors of the engine's answers, structurally checked against them in test/contract/ops.test.ts.

/** The proposed schedule (engine: proposeSchedule), in the zone of the main process. */
export interface SchedulePreview {
  targetIntervalHours: number;
  /** The interval actually scheduled: never longer than the target. */
  intervalHours: number;
  everyDays: number;
  /** Local "HH:MM" start times. */
  startTimes: string[];
  startTimesInWindow: string[];
  quietWindow?: { start: string; end: string; lengthMinutes: number };
  timeZone: string;
  computedAt: string;
  /** The next five runs: ISO instant, local wall clock "YYYY-MM-DD HH:MM", inside the window or not. */
  nextRuns: { at: string; local: string; inQuietWindow: boolean }[];
  /** Plain sentences: the interval, the window, the worst case. */
  explanation: string[];
}

/** Windows Task Scheduler's view of the profile's task (engine: queryWindowsTask). */
export interface TaskStatusView {
  taskName: string;
  exists: boolean;
  status?: string;
  enabled?: boolean;
  nextRunTime?: string;
  lastRunTime?: string;
  lastResult?: number;
  lastResultText?: string;
  runAsUser?: string;
  schedules: string[];
  error?: string;
}

/** systemd units and the cron line for Linux (engine: linuxScheduleFiles). */
export interface LinuxScheduleView {
  serviceFile: string;
  service: string;
  timerFile: string;
  timer: string;
  cronLine: string;
  installSteps: string[];
  removeSteps: string[];
}

/** The scheduled task of a stored profile: what it runs and where it stands. */
export interface ScheduledTaskInfo {
  profile: string;
  platform: 'windows' | 'linux' | 'other';
  taskName: string;
  /** The command the task runs, as one line: `<app> --run <profile> --kind scheduled`. */
  command: string;
  /** The stored profile has no schedule yet (nothing can be installed). */
  noSchedule?: boolean;
  windows?: TaskStatusView;
  linux?: LinuxScheduleView;
  /** Plain words about the last action (installed, removed, event source registered ...). */
  message?: string;
}

/** One set in a retention plan, with the engine's decision and its reason in plain words. */
export interface RetentionEntryView {
  setName: string;
  action: 'keep' | 'delete';
  code: string;
  reason: string;
  complete: boolean;
  pinned: boolean;
  startedAt?: string;
  ageHours?: number;
  label?: string;
  bytes: number;
  /** Every folder holding a copy of the set (one per destination). */
  paths: string[];
}

export interface RetentionPlanView {
  profile: string;
  computedAt: string;
  entries: RetentionEntryView[];
  toDelete: string[];
  bytesToFree: number;
  problems: string[];
}

export interface PruneRequest {
  profile: string;
  /** The sets the admin confirmed; only those that the plan made now still deletes are deleted. */
  setNames: string[];
}

export interface PruneResultView {
  deleted: string[];
  failed: { path: string; error: string }[];
  skipped: { path: string; reason: string }[];
  /** Confirmed sets that the plan no longer deletes (a newer rule or state keeps them). */
  notDeleted: string[];
}

export interface TestEmailRequest {
  email: SmtpAlertConfig;
  /** A typed, unsaved password; otherwise the stored one of `profileName`, else `passwordEnv`. */
  password?: string;
  profileName?: string;
}

export interface TestEmailResult {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

/** What "Import from Octane installation" found (engine: importOctaneConfig). */
export interface OctaneImportView {
  dir: string;
  filesRead: string[];
  found: { key: string; value: string; source: { file: string; key: string; line?: number } }[];
  /** Where passwords were seen: never imported. */
  secretsNotImported: { file: string; key: string; line?: number }[];
  problems: string[];
  octaneVersion?: string;
  /** Profile values by dotted key ("database.server"), ready for the form. */
  draft: Record<string, string | number | boolean | string[]>;
}
