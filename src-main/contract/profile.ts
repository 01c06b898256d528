// The profile (config file) schema. Types only: validation lives in the engine
// (engine/config/validate-profile.ts) so that the CLI and the UI apply the same rules.

export const COMPONENT_IDS = ['database', 'elasticsearch', 'repository'] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];

export const BACKUP_KINDS = ['manual', 'scheduled', 'pre-upgrade'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export const ARCHIVE_FORMATS = ['zip', 'tar', 'tar.gz'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

export const COMPRESSION_LEVELS = ['none', 'fast', 'best'] as const;
export type CompressionLevel = (typeof COMPRESSION_LEVELS)[number];

export interface SqlServerConfig {
  engine: 'sqlserver';
  server: string;
  port?: number;
  instance?: string;
  user?: string;
  /** Clear-text password: allowed in a config file but `passwordEnv` or the app's secret store is preferred. */
  password?: string;
  passwordEnv?: string;
  /** Windows domain: when set, the login is a Windows account (NTLM). */
  domain?: string;
  encrypt?: boolean;
  trustServerCertificate?: boolean;
  databases: string[];
  /** Folder on the SQL Server host (or a UNC share) where the server writes the .bak files. */
  serverBackupDir: string;
  /** The same folder as this machine sees it; without it the .bak stays on the server. */
  copyFrom?: string;
  deleteServerCopy?: boolean;
  /** RESTORE VERIFYONLY after each backup; default true. */
  verify?: boolean;
}

export interface OracleConfig {
  engine: 'oracle';
  /** Easy Connect (host:port/service) or a connect descriptor. */
  connectString: string;
  user: string;
  password?: string;
  passwordEnv?: string;
  schemas: string[];
  /** DIRECTORY object for dump and log files; default DATA_PUMP_DIR. */
  directory?: string;
  copyFrom?: string;
  /** Split size for dump pieces, Data Pump syntax (e.g. "2G"). */
  fileSize?: string;
  deleteServerCopy?: boolean;
}

export type DatabaseConfig = SqlServerConfig | OracleConfig;

export interface ElasticsearchConfig {
  node?: string;
  nodes?: string[];
  username?: string;
  password?: string;
  passwordEnv?: string;
  apiKeyEnv?: string;
  caFile?: string;
  caFingerprint?: string;
  insecureSkipVerify?: boolean;
  /** Name of the snapshot repository registered in Elasticsearch. */
  repository: string;
  /** The `fs` repository folder as the Elasticsearch nodes see it (must be in path.repo). */
  location: string;
  /** Index patterns; default: every non-system index. */
  indices?: string[];
  allowPartial?: boolean;
  /** The repository folder as this machine sees it; when set the whole folder is copied into the set. */
  copyFrom?: string;
  /** Keep the newest N snapshots this tool made in the ES repository. */
  keepSnapshots?: number;
}

export interface RepositoryConfig {
  path: string;
  format?: ArchiveFormat;
  compression?: CompressionLevel;
  /** An empty repository folder is expected (a new installation); otherwise it fails the step as "not mounted?". */
  allowEmpty?: boolean;
}

export interface ScheduleConfig {
  /** Tolerated data loss (RPO) in hours; the schedule runs at least this often. */
  targetIntervalHours: number;
  /** Local wall-clock window "HH:MM" in which runs should start (reduces skew). */
  quietWindow?: { start: string; end: string };
}

export interface RetentionConfig {
  keepLast?: number;
  keepDays?: number;
  pruneAfterRun?: boolean;
}

export interface SmtpAlertConfig {
  host: string;
  port?: number;
  secure?: boolean;
  user?: string;
  passwordEnv?: string;
  from: string;
  to: string[];
  when: 'failure' | 'warnings' | 'always';
  /** PEM file of the CA that signed the mail server's certificate (self-signed relays). */
  caFile?: string;
}

export interface AlertsConfig {
  eventLog?: boolean;
  email?: SmtpAlertConfig;
}

export interface Profile {
  profile: string;
  /** Default destination for every component. */
  destination: string;
  /** Per-component destinations so that one lost drive does not lose everything. */
  destinations?: Partial<Record<ComponentId, string>>;
  /** Largest acceptable time between the DB consistency point and the end of the repository capture. */
  skewToleranceSeconds?: number;
  database?: DatabaseConfig;
  elasticsearch?: ElasticsearchConfig;
  repository?: RepositoryConfig;
  schedule?: ScheduleConfig;
  retention?: RetentionConfig;
  /** Octane's conf folder, read for pre-upgrade copies and config import. */
  octaneConfigDir?: string;
  /** More Octane config files to copy in pre-upgrade runs (e.g. the Synchronizer's wrapper.conf). */
  octaneConfigFiles?: string[];
  alerts?: AlertsConfig;
}

/** Secrets resolved outside the profile (app secret store or environment); never written anywhere. */
export interface RunSecrets {
  databasePassword?: string;
  elasticsearchPassword?: string;
  elasticsearchApiKey?: string;
  smtpPassword?: string;
}

export const DEFAULT_SKEW_TOLERANCE_SECONDS = 900;
