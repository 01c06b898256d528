// What a restore or a rehearsal will do, as data: printed by `restore --plan`, written into a set's
// RESTORE.md and shown in the app with a Copy button per statement. Each store's primitive builds
// its plan from the same function that later produces the statements it runs, so the plan and the
// run cannot drift apart.
import type { ComponentId } from './profile.js';

/**
 * What a restore puts back, in the order it runs (Octane's own rollback order): the database (site
 * and every space), the Elasticsearch indices, Octane's config files (pre-upgrade sets), the
 * repository folder. The database is the authority: extra files in the repository are harmless,
 * missing ones are errors users see, so the repository comes last.
 */
export const RESTORE_STAGES = ['database', 'elasticsearch', 'config', 'repository'] as const;
export type RestoreStageId = (typeof RESTORE_STAGES)[number];

/**
 * in-place: restore over the live installation the profile describes.
 * scratch: rehearsal under scratch names (databases, schemas, indices) that are dropped at the end.
 */
export type RestoreTargetKind = 'in-place' | 'scratch';

export type RestoreActionKind =
  /** T-SQL batch sent to SQL Server. */
  | 'sql'
  /** SQL or PL/SQL block sent to Oracle (binds shown after it). */
  | 'plsql'
  /** Elasticsearch REST call: "METHOD /path body". */
  | 'http'
  /** A file or folder copy (from the set to where the server can read it). */
  | 'copy'
  /** Removal of something this restore created (a staged file, a temporary repository). */
  | 'remove'
  /** Something the tool checks or waits for between the other actions. */
  | 'check'
  /** A change to files on this machine: a folder moved aside, created, extracted into. */
  | 'file';

export interface RestoreAction {
  kind: RestoreActionKind;
  /** Plain words: what this does and why. */
  title: string;
  /** The exact statement, call or copy (what the Copy button takes); absent for pure checks. */
  text?: string;
  /** True when the action changes the target (data, files, registrations); false when it only reads. */
  changes: boolean;
}

export interface RestorePlan {
  component: RestoreStageId;
  target: RestoreTargetKind;
  /** One line: what is restored from where to where. */
  summary: string;
  /** In the order they run. */
  actions: RestoreAction[];
  /** What the admin must know before confirming (data lost since the set, what stays untouched, guesses). */
  notes: string[];
}

export type ScratchObjectKind =
  | 'sqlserver-database'
  | 'sqlserver-file'
  | 'oracle-schema'
  | 'oracle-file'
  | 'es-index'
  | 'es-repository'
  | 'folder';

/**
 * Something a restore or rehearsal creates only for itself: a scratch database, schema or index, a
 * staged backup file, a temporary repository registration. Each is handed to the caller (which
 * writes it to its journal) before it is created, so a crash leaves a list of exactly what to remove.
 */
export interface ScratchObject {
  component: ComponentId;
  kind: ScratchObjectKind;
  /** Database, schema, index or repository name; file or folder path as the server (or this machine) sees it. */
  name: string;
  /** Where it lives: the server, DIRECTORY or cluster, in plain words. */
  where?: string;
}
