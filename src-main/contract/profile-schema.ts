// The profile (config file) schema: the one place a setting is declared. Its TypeScript type
// (contract/profile.ts), its validation and messages (engine/config/validate-profile.ts), its label
// and hint in the form (contract/profile-fields.ts) and the JSON Schema for editors all come from here.
// A new setting is one line in the right section below; a rule that spans several keys goes in
// PROFILE_RULES.
import * as z from 'zod';
import {
  anyString,
  fieldMeta,
  flag,
  listOf,
  matching,
  names,
  numberAtLeast,
  oneOf,
  section,
  text,
  wholeNumber,
} from './schema-kit.js';
import { isSameOrInside, isSystemRoot, localPathProblem, type PathPlatform } from './local-paths.js';

export const COMPONENT_IDS = ['database', 'elasticsearch', 'repository'] as const;
export const ARCHIVE_FORMATS = ['zip', 'tar', 'tar.gz'] as const;
export const COMPRESSION_LEVELS = ['none', 'fast', 'best'] as const;
export const EMAIL_WHEN = ['failure', 'warnings', 'always'] as const;
/** How the repository folder is captured against the database's consistency point (docs/repository-step.md). */
export const CAPTURE_MODES = ['bracketed', 'snapshot', 'sequential'] as const;
/** What freezes the repository in snapshot mode; auto: VSS on Windows, btrfs on Linux. */
export const SNAPSHOT_METHODS = ['auto', 'vss', 'btrfs', 'lvm'] as const;
/** What happens when a drive of the rotation is connected. */
export const WHEN_CONNECTED_ACTIONS = ['backup', 'export'] as const;

/** A Windows service name or systemd unit: handed to PowerShell and systemctl, so plain characters only. */
export const OCTANE_SERVICE_PATTERN = /^[A-Za-z0-9_.@-][A-Za-z0-9 _.@-]{0,127}$/;

/** Profile names become folder names on removable drives: keep them portable. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
/** Names Windows keeps for devices, with or without an extension ("NUL", "com1.backup"). */
const RESERVED_WINDOWS_NAME =
  /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i;

/**
 * Why a name cannot be a profile's own folder on every destination (undefined when it can). Two
 * profiles whose names differ only in case share one folder on NTFS, FAT32 and exFAT: the app's
 * profile store refuses such a pair, and retention refuses to delete where it finds one.
 */
export function profileNameProblem(name: string): string | undefined {
  if (!PROFILE_NAME_PATTERN.test(name))
    return 'may use letters, digits, space, dot, dash and underscore only (it becomes a folder name).';
  if (RESERVED_WINDOWS_NAME.test(name.trim()))
    return 'is a device name Windows reserves (CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9), so it cannot be a folder name.';
  if (/[. ]$/.test(name))
    return 'must not end with a dot or a space (Windows drops them, so the folder would get another name).';
  return undefined;
}

const ENV_VAR = 'the name of an environment variable';
// Labels name their store: the form shows the database's and Elasticsearch's side by side, and a
// screen reader (or the error summary) must tell them apart.
const DB_FOLDER_HERE = 'Database backup folder as this PC sees it';

export const sqlServerSchema = section(
  {
    engine: z.literal('sqlserver').register(fieldMeta, { label: 'Engine' }),
    server: text({ label: 'SQL Server host', what: 'the SQL Server host name' }),
    port: wholeNumber(1, 65535, {
      label: 'SQL Server port',
      description: 'TCP port; give either port or instance.',
    }).optional(),
    instance: text({
      label: 'Instance',
      description: 'Named instance (SQL Server Browser finds its port).',
    }).optional(),
    user: text({ label: 'Database user' }).optional(),
    password: anyString({
      label: 'Database password',
      description:
        "Clear-text password: allowed in a config file but `passwordEnv` or the app's secret store is preferred.",
    }).optional(),
    passwordEnv: text({ label: 'Database password environment variable', what: ENV_VAR }).optional(),
    domain: text({
      label: 'Domain',
      description: 'Windows domain: when set, the login is a Windows account (NTLM).',
    }).optional(),
    encrypt: flag({
      label: 'Encrypt the connection',
      description: 'Encrypt the connection (TLS); default true.',
    }).optional(),
    trustServerCertificate: flag({ label: "Trust the server's certificate (self-signed)" }).optional(),
    databases: names({
      label: 'Databases to back up',
      hint: 'The site database and one per space; the set records the list.',
      what: 'the Octane site and space databases to back up',
    }),
    serverBackupDir: text({
      label: 'Backup folder on the SQL Server host',
      hint: 'SQL Server writes the .bak here as its service account: a folder on its own host or a UNC share, not a mapped drive.',
      what: 'a folder on the SQL Server host or a UNC share',
      description: 'Folder on the SQL Server host (or a UNC share) where the server writes the .bak files.',
    }),
    copyFrom: text({
      label: DB_FOLDER_HERE,
      hint: 'The backup file is copied from here into the set. Leave empty to keep it on the server.',
      description: 'The same folder as this machine sees it; without it the .bak stays on the server.',
    }).optional(),
    deleteServerCopy: flag({ label: 'Delete the server copy after copying' }).optional(),
    verify: flag({
      label: 'RESTORE VERIFYONLY after each backup',
      description: 'RESTORE VERIFYONLY after each backup; default true.',
    }).optional(),
    rehearsalDir: text({
      label: 'Folder for rehearsal databases',
      what: 'a folder on the SQL Server host for rehearsal databases',
      hint: "On the SQL Server host; needs room for the largest set's databases.",
      description:
        "Folder on the SQL Server host where a restore rehearsal puts its scratch databases' files (RESTORE ... WITH MOVE).",
    }).optional(),
  },
  { label: 'SQL Server' },
);

export const oracleSchema = section(
  {
    engine: z.literal('oracle').register(fieldMeta, { label: 'Engine' }),
    connectString: text({
      label: 'Connect string',
      hint: 'host:port/service',
      what: 'host:port/service',
      description: 'Easy Connect (host:port/service) or a connect descriptor.',
    }),
    user: text({ label: 'Database user' }),
    password: anyString({
      label: 'Database password',
      description:
        "Clear-text password: allowed in a config file but `passwordEnv` or the app's secret store is preferred.",
    }).optional(),
    passwordEnv: text({ label: 'Database password environment variable', what: ENV_VAR }).optional(),
    schemas: names({
      label: 'Schemas to export',
      hint: 'The site schema and one per space; the set records the list.',
      what: 'the Octane site and space schemas to export',
    }),
    directory: text({
      label: 'Data Pump directory object',
      hint: 'Default DATA_PUMP_DIR',
      what: 'an Oracle DIRECTORY object name',
      description: 'DIRECTORY object for dump and log files; default DATA_PUMP_DIR.',
    }).optional(),
    copyFrom: text({
      label: DB_FOLDER_HERE,
      hint: 'The backup file is copied from here into the set. Leave empty to keep it on the server.',
      description:
        "The DIRECTORY's folder as this machine sees it; without it the dump is read over the connection.",
    }).optional(),
    fileSize: matching(/^\d+[KMGT]?B?$/i, 'must be a size such as "2G" or "500M".', {
      label: 'Dump file size',
      hint: 'Split size, e.g. "2G"',
      description: 'Split size for dump pieces, Data Pump syntax (e.g. "2G").',
    }).optional(),
    deleteServerCopy: flag({ label: 'Delete the server copy after copying' }).optional(),
  },
  { label: 'Oracle' },
);

export const databaseSchema = z
  .discriminatedUnion('engine', [sqlServerSchema, oracleSchema], {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? 'must be "sqlserver" or "oracle" (Octane supports only these two).'
        : 'must be an object.',
  })
  .register(fieldMeta, {
    label: 'Database',
    description: 'Taken first: the database is the authority for time.',
  });

export const elasticsearchSchema = section(
  {
    node: text({ label: 'URL', description: 'The address of one node, e.g. "http://127.0.0.1:9200".' })
      .refine((v) => /^https?:\/\//.test(v), { error: 'must start with http:// or https://.' })
      .optional(),
    nodes: names({
      label: 'Node URLs',
      description: 'The addresses of several nodes, instead of node.',
    }).optional(),
    username: text({ label: 'Elasticsearch user' }).optional(),
    password: anyString({
      label: 'Elasticsearch password',
      description: "Clear-text password: `passwordEnv` or the app's secret store is preferred.",
    }).optional(),
    passwordEnv: text({ label: 'Elasticsearch password environment variable', what: ENV_VAR }).optional(),
    apiKeyEnv: text({ label: 'Elasticsearch API key environment variable' }).optional(),
    caFile: text({
      label: 'Elasticsearch CA certificate file',
      hint: "PEM file of the CA that signed the node's certificate",
    }).optional(),
    caFingerprint: text({ label: 'CA fingerprint (SHA-256)' }).optional(),
    insecureSkipVerify: flag({ label: 'Do not check the certificate (not recommended)' }).optional(),
    repository: text({
      label: 'Snapshot repository name',
      what: 'the snapshot repository name, e.g. "octane_backup"',
      description: 'Name of the snapshot repository registered in Elasticsearch.',
    }),
    location: text({
      label: 'Repository location on the Elasticsearch nodes',
      hint: 'As the nodes see it; it must be listed in path.repo.',
      what: 'the repository folder as the Elasticsearch nodes see it',
      description: 'The `fs` repository folder as the Elasticsearch nodes see it (must be in path.repo).',
    }),
    indices: names({
      label: 'Indices',
      hint: 'Comma-separated patterns; empty = every non-system index',
      description: 'Index patterns; default: every non-system index.',
    }).optional(),
    allowPartial: flag({ label: 'Accept a partial snapshot' }).optional(),
    copyFrom: text({
      label: 'Snapshot folder as this PC sees it',
      hint: 'When set, the whole snapshot repository folder is copied into the set.',
      description:
        'The repository folder as this machine sees it; when set the whole folder is copied into the set.',
    }).optional(),
    keepSnapshots: wholeNumber(1, 10_000, {
      label: 'Snapshots to keep in Elasticsearch',
      description: 'Keep the newest N snapshots this tool made in the ES repository.',
    }).optional(),
    restoreLocation: text({
      label: 'Restore folder (as Elasticsearch sees it)',
      hint: 'Under path.repo; default: next to the repository folder, named octane-restore-<set id>.',
      description:
        "Where a restore copies a set's repository folder when the snapshot is gone from the live repository: a folder under path.repo as the nodes see it.",
    }).optional(),
    restoreCopyFrom: text({
      label: 'Restore folder (as this PC sees it)',
      hint: 'The same folder as the restore folder, seen from this PC; default: next to the copy folder.',
      description: 'The restore folder as this machine sees it (default: next to copyFrom).',
    }).optional(),
  },
  { label: 'Elasticsearch' },
);

export const repositorySchema = section(
  {
    path: text({
      label: "Octane's repository folder",
      what: "Octane's repository folder, e.g. C:\\octane\\repo",
    }),
    format: oneOf(ARCHIVE_FORMATS, { label: 'Archive format' }).optional(),
    compression: oneOf(COMPRESSION_LEVELS, { label: 'Compression' }).optional(),
    allowEmpty: flag({
      label: 'The repository folder may be empty',
      description: 'An empty repository folder is expected (e.g. a new installation).',
    }).optional(),
    capture: oneOf(CAPTURE_MODES, {
      label: 'Capture mode',
      hint: 'bracketed (default): archived before the database, then what changed after it; snapshot: frozen at the database point (needs admin rights, not on a share); sequential: archived after Elasticsearch.',
      description:
        'How the repository folder is captured against the database consistency point: "bracketed" (default; no rights needed) archives it before the database backup and appends what changed after it; "snapshot" freezes the volume at the database point (Volume Shadow Copy on Windows, btrfs or LVM on Linux) and archives the frozen view; "sequential" archives it after Elasticsearch, as older versions did.',
    }).optional(),
    snapshotMethod: oneOf(SNAPSHOT_METHODS, {
      label: 'Snapshot method',
      hint: 'auto: Volume Shadow Copy on Windows, btrfs on Linux. LVM only when chosen here.',
      description:
        'What freezes the repository in snapshot mode: "auto" (default: Volume Shadow Copy on Windows, a read-only btrfs snapshot on Linux), "vss", "btrfs" or "lvm" (the logical volume that holds the folder).',
    }).optional(),
    snapshotDir: text({
      label: 'Snapshot folder (btrfs)',
      hint: 'A folder on the same btrfs file system; default: .octane-backup-snapshots next to the subvolume.',
      description:
        'btrfs: where the read-only snapshot is created during a run (a folder on the same btrfs file system as the repository). LVM: where the snapshot is mounted.',
    }).optional(),
    lvmSnapshotSize: matching(
      /^\d+(\.\d+)?([kKmMgGtT]|%ORIGIN)$/,
      'must be a size such as "10G" or a share of the volume such as "20%ORIGIN".',
      {
        label: 'LVM snapshot size',
        hint: 'Copy-on-write space for the run, e.g. 10G or 20%ORIGIN (default). The snapshot is lost if it fills up.',
        description:
          'LVM: the copy-on-write space of the snapshot (lvcreate -L, or -l with %ORIGIN). Default "20%ORIGIN".',
      },
    ).optional(),
  },
  { label: 'Repository folder' },
);

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIME_MESSAGE = 'must be a time "HH:MM" (24-hour clock).';

export const scheduleSchema = section(
  {
    targetIntervalHours: numberAtLeast(0.25, {
      label: 'Tolerated data loss (hours)',
      hint: 'The schedule runs at least this often, and the Overview warns when the newest good backup is older.',
      what: 'e.g. 24',
      description: 'Tolerated data loss (RPO) in hours; the schedule runs at least this often.',
    }),
    quietWindow: section(
      {
        start: matching(HH_MM, TIME_MESSAGE, { label: 'Window starts', hint: 'HH:MM, 24-hour clock' }),
        end: matching(HH_MM, TIME_MESSAGE, { label: 'Window ends', hint: 'HH:MM, 24-hour clock' }),
      },
      {
        label: 'Prefer a quiet window (few users, no imports)',
        description: 'Local wall-clock window "HH:MM" in which runs should start (reduces skew).',
      },
      'must be { "start": "HH:MM", "end": "HH:MM" }.',
    ).optional(),
  },
  { label: 'Schedule' },
);

/** Days of the week for a weekly job, Sunday first (as cron and Task Scheduler count them). */
export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

export const rehearsalScheduleSchema = section(
  {
    day: oneOf(WEEKDAYS, {
      label: 'Day of the week',
      description: 'Day of the week on which the scheduled rehearsal runs.',
    }),
    time: matching(HH_MM, TIME_MESSAGE, {
      label: 'Time',
      hint: 'HH:MM, 24-hour clock, in the time zone of the schedule',
      description: 'Local wall-clock start time "HH:MM" of the weekly rehearsal.',
    }),
  },
  {
    label: 'Rehearse the newest usable set every week',
    description:
      'A weekly job, installed next to the backup schedule, that rehearses a restore of the newest usable set (rehearse --newest).',
  },
  'must be an object such as { "day": "sunday", "time": "03:00" }.',
);

export const rehearsalSchema = section(
  { schedule: rehearsalScheduleSchema.optional() },
  { label: 'Restore rehearsal' },
  'must be an object such as { "schedule": { "day": "sunday", "time": "03:00" } }.',
);

export const retentionSchema = section(
  {
    keepLast: wholeNumber(1, 100_000, {
      label: 'Keep the newest (sets)',
      hint: 'Complete sets kept; pinned ones do not count.',
    }).optional(),
    keepDays: numberAtLeast(0, {
      label: 'Keep sets younger than (days)',
      hint: 'With both, a set stays when either rule keeps it.',
    }).optional(),
    pruneAfterRun: flag({ label: 'Delete old sets after every run that produced a complete set' }).optional(),
  },
  { label: 'Retention' },
);

export const smtpAlertSchema = section(
  {
    host: text({ label: 'SMTP server', what: 'the SMTP server name' }),
    port: wholeNumber(1, 65535, { label: 'SMTP port', hint: '587 STARTTLS, 465 TLS' }).optional(),
    secure: flag({ label: 'TLS from the start (port 465)' }).optional(),
    user: text({
      label: 'Login',
      hint: 'Empty for a relay without login. With a login, the password only travels over TLS.',
    }).optional(),
    passwordEnv: text({ label: 'SMTP password environment variable', what: ENV_VAR }).optional(),
    from: text({ label: 'From', what: 'the sender address' }),
    to: names({ label: 'To', hint: 'Addresses separated by commas.', what: 'the recipient addresses' }),
    when: oneOf(EMAIL_WHEN, { label: 'Send when' }),
    caFile: text({
      label: 'Mail server CA certificate file (PEM)',
      hint: 'Only for a mail server with a self-signed certificate.',
      what: 'a PEM file',
      description: "PEM file of the CA that signed the mail server's certificate (self-signed relays).",
    }).optional(),
  },
  { label: 'Send e-mail alerts' },
  'must be an object with host, from, to and when.',
);

export const alertsSchema = section(
  {
    eventLog: flag({
      label: 'Write every run to the Windows Event Log (Application, source “Octane Backup Manager”)',
    }).optional(),
    email: smtpAlertSchema.optional(),
    rehearsalMaxAgeDays: numberAtLeast(1, {
      label: 'Alert when no set was rehearsed for (days)',
      hint: 'Empty = no alert. After every run: Event Log (id 1011) and e-mail when the newest good set has not been proven restorable by a rehearsal in this many days.',
      what: 'e.g. 7',
      description:
        'Raise an alert (Event Log 1011, e-mail) after a run when no good set of the profile passed a restore rehearsal in this many days.',
    }).optional(),
  },
  { label: 'Alerts' },
  'must be an object such as { "eventLog": true }.',
);

/** A folder below a drive's root: relative, forward or back slashes, no "..", no drive letter. */
// eslint-disable-next-line no-control-regex
const DRIVE_FOLDER = /^(?![\\/])(?!.*(^|[\\/])\.\.?([\\/]|$))[^:*?"<>|\u0000-\u001f]+$/;

export const rotationDriveSchema = section(
  {
    id: text({
      label: 'Drive id',
      what: "the id in the drive's marker file (octane-backup drives)",
      description:
        "The id in the drive's marker file (.octane-backup-volume.json at its root): the drive is found by it whatever its letter or mount point.",
    }),
    name: text({ label: 'Drive name', hint: 'For people: "Offsite A".' }).optional(),
  },
  { label: 'Drive' },
  'must be an object such as { "id": "<id from the marker file>", "name": "Offsite A" }.',
);

export const rotationSchema = section(
  {
    drives: listOf(rotationDriveSchema, {
      label: 'Drives of the rotation',
      what: 'the drives by the id in their marker file',
      hint: 'Whichever of them is connected receives the copies.',
      description:
        'Removable drives used in turn (one at the office, the others offsite), each found by the id in its marker file.',
    }),
    folder: matching(DRIVE_FOLDER, 'must be a folder below the drive root, such as "OctaneBackups".', {
      label: 'Folder on each drive',
      hint: 'Default OctaneBackups; sets go to <folder>/<profile>/<set>.',
      description: 'Folder below each drive root that holds the copies (default "OctaneBackups").',
    }).optional(),
    keepLast: wholeNumber(1, 10_000, {
      label: 'Sets kept on each drive',
      hint: 'The newest usable sets on that drive; the newest one is never deleted. Empty = keep all.',
    }).optional(),
    warnAfterDays: numberAtLeast(1, {
      label: 'Warn when a drive was not connected for (days)',
      hint: 'The Overview warns about a drive of the rotation that has been away longer.',
    }).optional(),
    exportAfterRun: flag({
      label: 'Copy each new usable set to the connected drive(s)',
      hint: 'After every run that produced a usable set (verified when "verify after every run" is on).',
    }).optional(),
    whenConnected: oneOf(WHEN_CONNECTED_ACTIONS, {
      label: 'When a drive of the rotation is connected',
      hint: '"backup": take a backup (copied to the drive when the option above is on); "export": copy the newest usable set to it.',
      description:
        'What the app (or `octane-backup watch`) does when a drive of the rotation is connected: "backup" or "export".',
    }).optional(),
    minIntervalHours: numberAtLeast(0, {
      label: 'Not more often than every (hours)',
      hint: 'For the action on connection. Default 12.',
    }).optional(),
    eject: flag({
      label: 'Eject the drive when the copy is verified',
      hint: 'Safely removes the drive and says when it can be unplugged (or why not).',
    }).optional(),
  },
  {
    label: 'Drive rotation',
    description:
      'Copies of the sets on removable drives used in turn: per-drive retention, copy after each run, action on connection, eject.',
  },
  'must be an object such as { "drives": [{ "id": "…" }], "exportAfterRun": true }.',
);

const destinationFor = (what: string) =>
  text({ label: `Destination for ${what}`, hint: 'Empty = the destination above' }).optional();

/** The settings of a profile, as the engine reads them. */
const profileShape = {
  profile: text({
    label: 'Name',
    hint: 'Becomes a folder name on the destination.',
    what: 'a short name such as "nightly"',
  }).superRefine((v, ctx) => {
    const problem = v.trim() === '' ? undefined : profileNameProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  destination: text({
    label: 'Destination',
    what: 'the folder or drive the sets are written to',
    description: 'Default destination for every component.',
  }),
  destinations: section(
    {
      database: destinationFor('the database'),
      elasticsearch: destinationFor('Elasticsearch'),
      repository: destinationFor('the repository folder'),
    },
    {
      label: 'A separate destination for each component',
      description: 'Per-component destinations so that one lost drive does not lose everything.',
    },
    'must be an object such as { "database": "F:\\\\db" }.',
  ).optional(),
  skewToleranceSeconds: numberAtLeast(0, {
    label: 'Skew tolerance (seconds)',
    hint: "Largest acceptable time between the database's consistency point and the end of the repository capture. Default 900.",
    description:
      'Largest acceptable time between the DB consistency point and the end of the repository capture.',
  }).optional(),
  database: databaseSchema.optional(),
  elasticsearch: elasticsearchSchema.optional(),
  repository: repositorySchema.optional(),
  schedule: scheduleSchema.optional(),
  rehearsal: rehearsalSchema.optional(),
  retention: retentionSchema.optional(),
  octaneConfigDir: text({
    label: "Octane's conf folder",
    hint: 'octane.conf, octane.yml or setup.xml live here.',
    description: "Octane's conf folder, read for pre-upgrade copies and config import.",
  }).optional(),
  octaneConfigFiles: names({
    label: 'More Octane config files',
    what: 'paths of more Octane config files',
    description:
      "More Octane config files to copy in pre-upgrade runs (e.g. the Synchronizer's wrapper.conf).",
  }).optional(),
  octaneService: text({
    label: 'Octane service',
    hint: 'Windows service name or systemd unit of Octane on this machine (e.g. "octane"): a restore checks that it is stopped.',
    what: 'a service name such as "octane"',
    description:
      'The Octane service on this machine (Windows service name or systemd unit); a restore refuses to start while it runs.',
  })
    .refine((v) => v.trim() === '' || OCTANE_SERVICE_PATTERN.test(v), {
      error: 'may use letters, digits, space, dot, dash, underscore and @ only.',
    })
    .optional(),
  octaneUrl: text({
    label: 'Octane URL',
    hint: 'e.g. http://octane.example.com:8080 — a restore checks that it does not answer (Octane stopped).',
    description: "Octane's address; a restore refuses to start while it answers.",
  })
    .refine((v) => /^https?:\/\//.test(v), { error: 'must start with http:// or https://.' })
    .optional(),
  alerts: alertsSchema.optional(),
  verifyAfterRun: flag({
    label: 'Verify the set after every run',
    hint: 'Re-reads every file the run wrote and checks its SHA-256 before retention runs; a damaged set stops retention.',
    description: 'Verify each new set right after its run, before retention deletes anything.',
  }).optional(),
  sealKeyEnv: text({
    label: 'Seal key environment variable',
    hint: 'Default OCTANE_BACKUP_SEAL_KEY. The app keeps its own key in its secret store.',
    what: ENV_VAR,
    description:
      'Environment variable holding the key that seals each manifest (HMAC-SHA256); default OCTANE_BACKUP_SEAL_KEY.',
  }).optional(),
  rotation: rotationSchema.optional(),
};

const ROOT_META = { label: 'Profile' };
const NOT_AN_OBJECT = 'must be a JSON object.';

export const profileSchema = section(profileShape, ROOT_META, NOT_AN_OBJECT);

/** A profile as a file holds it: the settings plus two keys for people and editors. */
export const profileFileSchema = section(
  {
    ...profileShape,
    $schema: anyString({
      label: 'JSON Schema',
      description: 'The JSON Schema editors check this file against.',
    }).optional(),
    comment: z
      .unknown()
      .register(fieldMeta, { label: 'Comment', description: 'Free text for people; ignored.' })
      .optional(),
  },
  ROOT_META,
  NOT_AN_OBJECT,
);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const sectionOf = (root: Obj, key: string): Obj | undefined => (isObj(root[key]) ? root[key] : undefined);
const databaseOf = (root: Obj): Obj | undefined => {
  const db = sectionOf(root, 'database');
  return db && (db.engine === 'sqlserver' || db.engine === 'oracle') ? db : undefined;
};

/** A rule between several keys. It runs on the unvalidated input, so it checks what it reads. */
export interface ProfileRule {
  /** The key the problem is reported under. */
  key: string;
  message: string;
  broken: (root: Obj) => boolean;
}

const eitherPasswordOrEnv = (key: 'database' | 'elasticsearch'): ProfileRule => ({
  key: `${key}.password`,
  message: 'give either password or passwordEnv, not both.',
  broken: (root) => {
    const s = key === 'database' ? databaseOf(root) : sectionOf(root, key);
    return s !== undefined && s.password !== undefined && s.passwordEnv !== undefined;
  },
});

export const PROFILE_RULES: readonly ProfileRule[] = [
  {
    key: 'database.instance',
    message: 'give either port or instance, not both.',
    broken: (root) => {
      const db = databaseOf(root);
      return db?.engine === 'sqlserver' && db.port !== undefined && db.instance !== undefined;
    },
  },
  eitherPasswordOrEnv('database'),
  {
    key: 'elasticsearch.node',
    message: 'is required (for example "http://127.0.0.1:9200").',
    broken: (root) => {
      const es = sectionOf(root, 'elasticsearch');
      return es !== undefined && es.node === undefined && es.nodes === undefined;
    },
  },
  eitherPasswordOrEnv('elasticsearch'),
  {
    key: 'repository.compression',
    message: 'a plain "tar" is not compressed: use format "tar.gz" to compress.',
    broken: (root) => {
      const repo = sectionOf(root, 'repository');
      return repo?.format === 'tar' && repo.compression !== undefined && repo.compression !== 'none';
    },
  },
  {
    key: 'rotation.drives',
    message: 'names the same drive twice.',
    broken: (root) => {
      const drives = sectionOf(root, 'rotation')?.drives;
      if (!Array.isArray(drives)) return false;
      const ids = drives.map((d) => (isObj(d) && typeof d.id === 'string' ? d.id.toLowerCase() : undefined));
      const given = ids.filter((x) => x !== undefined);
      return new Set(given).size !== given.length;
    },
  },
  {
    key: '(root)',
    message: 'configure at least one of database, elasticsearch, repository.',
    broken: (root) => COMPONENT_IDS.every((id) => root[id] === undefined),
  },
];

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f]/;

/** Problems found by looking at several keys at once, with a message that depends on the values. */
export type ProfileCheck = (root: Obj) => { key: string; message: string }[];

/**
 * Keys holding paths THIS computer opens (not database.serverBackupDir, which the database server
 * opens, nor elasticsearch.location, which the Elasticsearch nodes open). The CLI resolves a
 * relative one against the config file's folder; validation refuses relative and foreign paths.
 */
export const LOCAL_PATH_KEYS = [
  'destination',
  'destinations.database',
  'destinations.elasticsearch',
  'destinations.repository',
  'repository.path',
  'database.copyFrom',
  'elasticsearch.copyFrom',
  'elasticsearch.caFile',
  'alerts.email.caFile',
  'octaneConfigDir',
  'octaneConfigFiles',
] as const;

/** The value at a dotted key of unvalidated input, when it is a string or a list of strings. */
export function pathValues(root: Obj, key: string): string[] {
  let at: unknown = root;
  for (const part of key.split('.')) at = isObj(at) ? at[part] : undefined;
  if (typeof at === 'string' && at.trim() !== '') return [at];
  if (Array.isArray(at)) return at.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return [];
}

/** Where the profile writes: its destination and the own destination of each component it takes. */
function writtenPlaces(root: Obj): { key: string; path: string }[] {
  const out = pathValues(root, 'destination').map((path) => ({ key: 'destination', path }));
  for (const id of COMPONENT_IDS)
    if (root[id] !== undefined)
      for (const path of pathValues(root, `destinations.${id}`))
        out.push({ key: `destinations.${id}`, path });
  return out;
}

/** The path rules of a platform: absolute paths of this computer's kind, no system root, no loop. */
export function profilePathChecks(platform: PathPlatform, skip: readonly string[] = []): ProfileCheck {
  return (root) => {
    const out: { key: string; message: string }[] = [];
    for (const key of LOCAL_PATH_KEYS.filter((k) => !skip.includes(k)))
      for (const v of pathValues(root, key)) {
        // A control character ("C:\backups" with one backslash) is reported by the field itself.
        if (CONTROL_CHARACTERS.test(v)) continue;
        const problem = localPathProblem(v, platform);
        if (problem) out.push({ key, message: `"${v}" ${problem}` });
      }
    const repo = pathValues(root, 'repository.path')[0];
    if (repo !== undefined && isSystemRoot(repo, platform))
      out.push({
        key: 'repository.path',
        message: `"${repo}" is the root of a drive or a system folder, not Octane's repository folder: give the repository folder itself.`,
      });
    if (repo !== undefined && root.repository !== undefined)
      for (const w of writtenPlaces(root).filter((x) => !skip.includes(x.key)))
        if (isSameOrInside(w.path, repo, platform))
          out.push({
            key: w.key,
            message: `"${w.path}" is inside the repository folder ${repo}: every set would be archived into the next one. Choose a destination outside it.`,
          });
    return out;
  };
}

/** Paths other machines open (the database server, the Elasticsearch nodes): never judged as this PC's. */
export const SERVER_PATH_KEYS = [
  'database.serverBackupDir',
  'database.rehearsalDir',
  'elasticsearch.location',
  'elasticsearch.restoreLocation',
] as const;

/**
 * "D:\\SQLBackups" is how a JSON file (or a JavaScript string) writes one backslash: typed into the
 * app it is a doubled separator nobody meant, on any machine. A leading "\\" (UNC, "\\?\") is kept.
 * On Linux and macOS a local path with a backslash is refused anyway, so only server paths are
 * judged there.
 */
export function doubledBackslashCheck(platform: PathPlatform): ProfileCheck {
  const keys = platform === 'win32' ? [...LOCAL_PATH_KEYS, ...SERVER_PATH_KEYS] : SERVER_PATH_KEYS;
  return (root) => {
    const out: { key: string; message: string }[] = [];
    for (const key of keys)
      for (const v of pathValues(root, key)) {
        const rest = v.startsWith('\\\\') ? v.slice(2) : v;
        if (!rest.includes('\\\\')) continue;
        const lead = /^\\{2,}/.exec(v)?.[0] ?? '';
        const single = `${lead ? '\\\\' : ''}${v.slice(lead.length).replace(/\\{2,}/g, '\\')}`;
        out.push({
          key,
          message: `"${v}" has doubled backslashes: write one backslash between folders (${single}). Two are how a JSON file writes one.`,
        });
      }
    return out;
  };
}
