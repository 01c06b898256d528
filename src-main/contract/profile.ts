// The profile (config file) types. They are inferred from the schema in profile-schema.ts, the one
// place a setting is declared (with its validation, label and documentation); see that file for what
// each key means. Validation runs in the engine (engine/config/validate-profile.ts) so that the CLI
// and the UI apply the same rules.
import type * as z from 'zod';
import type {
  alertsSchema,
  databaseSchema,
  elasticsearchSchema,
  oracleSchema,
  profileSchema,
  repositorySchema,
  rehearsalScheduleSchema,
  retentionSchema,
  rotationDriveSchema,
  rotationSchema,
  scheduleSchema,
  smtpAlertSchema,
  sqlServerSchema,
} from './profile-schema.js';
import {
  ARCHIVE_FORMATS,
  CAPTURE_MODES,
  COMPONENT_IDS,
  COMPRESSION_LEVELS,
  SNAPSHOT_METHODS,
  WEEKDAYS,
  WHEN_CONNECTED_ACTIONS,
} from './profile-schema.js';

export {
  ARCHIVE_FORMATS,
  CAPTURE_MODES,
  COMPONENT_IDS,
  COMPRESSION_LEVELS,
  SNAPSHOT_METHODS,
  WEEKDAYS,
  WHEN_CONNECTED_ACTIONS,
};
export type Weekday = (typeof WEEKDAYS)[number];
export type ComponentId = (typeof COMPONENT_IDS)[number];
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];
export type CompressionLevel = (typeof COMPRESSION_LEVELS)[number];
export type CaptureMode = (typeof CAPTURE_MODES)[number];
export type SnapshotMethod = (typeof SNAPSHOT_METHODS)[number];
/** The repository capture mode when the profile does not say. */
export const DEFAULT_CAPTURE_MODE: CaptureMode = 'bracketed';

export const BACKUP_KINDS = ['manual', 'scheduled', 'pre-upgrade'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export type SqlServerConfig = z.infer<typeof sqlServerSchema>;
export type OracleConfig = z.infer<typeof oracleSchema>;
export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type ElasticsearchConfig = z.infer<typeof elasticsearchSchema>;
export type RepositoryConfig = z.infer<typeof repositorySchema>;
export type ScheduleConfig = z.infer<typeof scheduleSchema>;
export type RehearsalScheduleConfig = z.infer<typeof rehearsalScheduleSchema>;
export type RetentionConfig = z.infer<typeof retentionSchema>;
export type SmtpAlertConfig = z.infer<typeof smtpAlertSchema>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
export type RotationDriveConfig = z.infer<typeof rotationDriveSchema>;
export type RotationConfig = z.infer<typeof rotationSchema>;
export type WhenConnectedAction = (typeof WHEN_CONNECTED_ACTIONS)[number];
export type Profile = z.infer<typeof profileSchema>;

/** Secrets resolved outside the profile (app secret store or environment); never written anywhere. */
export interface RunSecrets {
  databasePassword?: string;
  elasticsearchPassword?: string;
  elasticsearchApiKey?: string;
  smtpPassword?: string;
  /**
   * The key(s) that seal each manifest (HMAC-SHA256): the first seals, every one checks; separated
   * by commas or white space. From the app's secret store or the environment (sealKeyEnv).
   */
  sealKey?: string;
}

export const DEFAULT_SKEW_TOLERANCE_SECONDS = 900;
/** The folder below each rotation drive's root that holds the copies (rotation.folder). */
export const DEFAULT_ROTATION_FOLDER = 'OctaneBackups';
/** "Not more often than every N hours" for the action on connection (rotation.minIntervalHours). */
export const DEFAULT_CONNECTED_MIN_INTERVAL_HOURS = 12;
