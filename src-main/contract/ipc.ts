// The one IPC contract shared by the main process, the preload and the renderer.
// Every channel's arguments and result live in InvokeMap; every main -> renderer message in EventMap.
// The channel lists below are checked against the maps by type tests (test/contract/ipc.test.ts),
// so adding, renaming or retyping a channel fails the build until all three sides agree.
import type {
  RehearsalDoneMessage,
  RehearsalEventMessage,
  RehearsalJob,
  RehearsalStartRequest,
} from './rehearsal.js';
import type { PreflightReport } from './preflight.js';
import type { EjectResult, RotationStatusView } from './removable.js';
import type { ScheduleConfig } from './profile.js';
import type { Result } from './result.js';
import type {
  RestoreDoneMessage,
  RestoreEventMessage,
  RestoreJob,
  RestorePreparation,
  RestorePrepareRequest,
  RestoreStartRequest,
} from './restore-run.js';
import type { SetSummary, VerifyReport } from './sets.js';
import type {
  AppInfo,
  ConnectionTest,
  DatabaseConnectionRequest,
  DatabaseDiscovery,
  DeleteSetRequest,
  DeleteSetResult,
  DestinationInfo,
  DriveInfo,
  ElasticsearchConnectionRequest,
  ExportDoneMessage,
  ExportEventMessage,
  ExportJob,
  ExportRequest,
  FieldProblem,
  FolderScan,
  OctaneImportView,
  OverviewEntry,
  PickFileOptions,
  PreflightRequest,
  PruneRequest,
  PruneResultView,
  RetentionPlanView,
  ScheduledTaskInfo,
  SchedulePreview,
  TestEmailRequest,
  TestEmailResult,
  ProfileRecord,
  RunDoneMessage,
  RunEventMessage,
  RunJob,
  RunRequest,
  SaveProfileRequest,
  SizeEstimate,
  VerifyProgressMessage,
  VolumeBinding,
} from './ui.js';

export interface InvokeMap {
  'app:info': { args: []; result: AppInfo };
  'profiles:list': { args: []; result: ProfileRecord[] };
  /** Validates with the CLI's rules first; a CONFIG_INVALID error carries details.problems (FieldProblem[]). */
  'profiles:save': { args: [request: SaveProfileRequest]; result: ProfileRecord };
  'profiles:delete': { args: [name: string]; result: null };
  /** The same rules as the CLI; an empty list means valid. */
  'profiles:validate': { args: [draft: unknown]; result: FieldProblem[] };
  'profiles:preflight': { args: [request: PreflightRequest]; result: PreflightReport };
  /** Expected size of one set of this stored profile (last set, else the repository folder). */
  'profiles:estimate': { args: [name: string]; result: SizeEstimate | null };
  'overview:get': { args: []; result: OverviewEntry[] };
  'runs:start': { args: [request: RunRequest]; result: RunJob };
  /** True when a run was cancelled; false when it had already ended. */
  'runs:cancel': { args: [jobId: string]; result: boolean };
  'runs:active': { args: []; result: RunJob[] };
  /** Sets of a stored profile on every one of its destinations, newest first. */
  'sets:list': { args: [profile: string]; result: SetSummary[] };
  /** Only sets under a stored profile's destinations can be verified. */
  'sets:verify': { args: [setPath: string]; result: VerifyReport };
  /**
   * Deletes every copy of a set that is not a usable backup (interrupted, cancelled, failed,
   * damaged). A usable set is refused: retention decides about those.
   */
  'sets:delete': { args: [request: DeleteSetRequest]; result: DeleteSetResult };
  'drives:list': { args: []; result: DriveInfo[] };
  /** The drives of a stored profile's rotation (connected, newest copy, last seen, warnings), or null without one. */
  /**
   * "Copy to drive…": starts exporting a set of a stored profile; resolves once the job exists
   * (export:event and export:done follow). A set or target that cannot be used rejects.
   */
  'sets:export': { args: [request: ExportRequest]; result: ExportJob };
  /** True when an export was cancelled; false when it had already ended. */
  'exports:cancel': { args: [jobId: string]; result: boolean };
  'exports:active': { args: []; result: ExportJob[] };
  'rotation:status': { args: [profile: string]; result: RotationStatusView | null };
  /** Safely removes a listed drive; says when it can be unplugged, or why not. */
  'drives:eject': { args: [root: string]; result: EjectResult };
  /** Writes (or reads) the volume marker on a drive and returns the binding for a folder on it. */
  'drives:bind': { args: [folder: string]; result: VolumeBinding };
  'destinations:inspect': { args: [path: string]; result: DestinationInfo };
  'repository:scan': { args: [path: string]; result: FolderScan };
  'discovery:test-database': { args: [request: DatabaseConnectionRequest]; result: ConnectionTest };
  /** SQL Server databases or Oracle schemas that could be Octane's. */
  'discovery:list-databases': { args: [request: DatabaseConnectionRequest]; result: DatabaseDiscovery };
  'discovery:test-elasticsearch': { args: [request: ElasticsearchConnectionRequest]; result: ConnectionTest };
  'dialog:pick-folder': { args: [options: { title?: string; defaultPath?: string }]; result: string | null };
  /** A file to pick (a CA certificate); null when the dialog was cancelled. */
  'dialog:pick-file': { args: [options: PickFileOptions]; result: string | null };
  /** Opens the app's log folder in the file manager (created when missing). */
  'app:open-log-folder': { args: []; result: null };
  /** Opens a set or destination folder in the file manager (only paths under a stored profile's destinations). */
  'shell:open-path': { args: [path: string]; result: null };
  /** The schedule a config gives (interval, start times, next five runs, reasons), in main's time zone. */
  'schedule:propose': { args: [config: ScheduleConfig]; result: SchedulePreview };
  /** The stored profile's task: Windows Task Scheduler state, or the Linux timer files to install. */
  'schedule:status': { args: [profile: string]; result: ScheduledTaskInfo };
  /** Windows only: registers the stored profile's task (app headless mode, --kind scheduled). */
  'schedule:install': { args: [profile: string]; result: ScheduledTaskInfo };
  'schedule:remove': { args: [profile: string]; result: ScheduledTaskInfo };
  /** Dry run of retention with the stored profile's rules: every set with keep/delete and why. */
  'retention:plan': { args: [profile: string]; result: RetentionPlanView };
  /** Deletes the confirmed sets that a fresh plan still deletes. */
  'retention:prune': { args: [request: PruneRequest]; result: PruneResultView };
  /** Sends a test message with these settings; the password never comes back. */
  'alerts:test-email': { args: [request: TestEmailRequest]; result: TestEmailResult };
  /** Octane's default conf folder on this machine. */
  'octane:default-dir': { args: []; result: string };
  /** Reads Octane's configuration (passwords are never imported). */
  'octane:import': { args: [dir: string]; result: OctaneImportView };
  /**
   * What a restore of this set into the stored profile's installation would do: the set verified
   * (progress on verify:progress), Octane's state, every check and plan. Changes nothing.
   */
  'restore:prepare': { args: [request: RestorePrepareRequest]; result: RestorePreparation };
  /** Starts the restore (checked again first); resolves once it runs, rejects with why it cannot. */
  'restore:start': { args: [request: RestoreStartRequest]; result: RestoreJob };
  /** True when a running restore was told to stop; false when it had already ended. */
  'restore:cancel': { args: [jobId: string]; result: boolean };
  /** Starts a restore rehearsal of the set onto scratch targets; the record comes on rehearsal:done. */
  'rehearsal:start': { args: [request: RehearsalStartRequest]; result: RehearsalJob };
  /** True when a running rehearsal was told to stop (its scratch objects are still removed). */
  'rehearsal:cancel': { args: [jobId: string]; result: boolean };
}

export interface EventMap {
  'run:event': RunEventMessage;
  'run:done': RunDoneMessage;
  'verify:progress': VerifyProgressMessage;
  'export:event': ExportEventMessage;
  'export:done': ExportDoneMessage;
  'restore:event': RestoreEventMessage;
  'restore:done': RestoreDoneMessage;
  'rehearsal:event': RehearsalEventMessage;
  'rehearsal:done': RehearsalDoneMessage;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type InvokeArgs<K extends InvokeChannel> = InvokeMap[K]['args'];
export type InvokeResult<K extends InvokeChannel> = InvokeMap[K]['result'];

/** Runtime lists: the preload refuses any channel not listed here. */
export const INVOKE_CHANNELS = [
  'app:info',
  'profiles:list',
  'profiles:save',
  'profiles:delete',
  'profiles:validate',
  'profiles:preflight',
  'profiles:estimate',
  'overview:get',
  'runs:start',
  'runs:cancel',
  'runs:active',
  'sets:list',
  'sets:verify',
  'sets:delete',
  'drives:list',
  'rotation:status',
  'drives:eject',
  'sets:export',
  'exports:cancel',
  'exports:active',
  'drives:bind',
  'destinations:inspect',
  'repository:scan',
  'discovery:test-database',
  'discovery:list-databases',
  'discovery:test-elasticsearch',
  'dialog:pick-folder',
  'dialog:pick-file',
  'app:open-log-folder',
  'shell:open-path',
  'schedule:propose',
  'schedule:status',
  'schedule:install',
  'schedule:remove',
  'retention:plan',
  'retention:prune',
  'alerts:test-email',
  'octane:default-dir',
  'octane:import',
  'restore:prepare',
  'restore:start',
  'restore:cancel',
  'rehearsal:start',
  'rehearsal:cancel',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = [
  'run:event',
  'run:done',
  'verify:progress',
  'export:event',
  'export:done',
  'restore:event',
  'restore:done',
  'rehearsal:event',
  'rehearsal:done',
] as const satisfies readonly EventChannel[];

/** The object the preload exposes as `window[API_GLOBAL]`; the renderer's only way to main. */
export interface OctaneApi {
  // Properties, not methods: the functions are handed around detached from the object.
  invoke: <K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>) => Promise<Result<InvokeResult<K>>>;
  /** Subscribes to a main -> renderer message; returns the unsubscribe function. */
  on: <E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void) => () => void;
}

export const API_GLOBAL = 'octane';

/** Main-side implementation of every invoke channel (the envelope and sender check are added by the binding). */
export type ApiHandlers = { [K in InvokeChannel]: (...args: InvokeArgs<K>) => Promise<InvokeResult<K>> };

/** How main-side code sends a message to the renderer. */
export type EmitEvent = <E extends EventChannel>(channel: E, payload: EventMap[E]) => void;
