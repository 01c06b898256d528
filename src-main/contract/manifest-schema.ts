// The manifest as a reader must find it. A set folder is untrusted input (copied, edited, damaged or
// planted by anyone who can write to a USB drive or a share), so every reader (list, verify,
// retention, History, the Overview) validates the manifest with this schema before believing a word
// of it. Declared once, like the profile schema; the `satisfies` lines below keep it equal to the
// types in manifest.ts, which the writer uses.
import * as z from 'zod';
import { ERROR_PLACES, type ErrorInfo } from './errors.js';
import type { SkewInfo } from './events.js';
import {
  MANIFEST_FORMAT_VERSION,
  SEAL_ALGORITHM,
  type ArtifactRecord,
  type ComponentRecord,
  type ConsistencyPoint,
  type DatabasePoint,
  type DbClockInfo,
  type Manifest,
  type OctaneConfigCopy,
  type ManifestSeal,
  type ServerInfo,
  type Warning,
} from './manifest.js';
import { CAPTURE_MODES, COMPONENT_IDS } from './profile-schema.js';
import { REHEARSAL_STORES, type RehearsalRecord, type VerificationRecord } from './sets.js';

const BACKUP_KINDS = ['manual', 'scheduled', 'pre-upgrade'] as const;
const RUN_STATUSES = ['succeeded', 'succeeded-with-warnings', 'failed', 'cancelled'] as const;
const COMPONENT_STATUSES = [...RUN_STATUSES, 'running', 'skipped', 'not-run'] as const;

/** Texts are bounded: a planted manifest must not make a reader build megabytes of one string. */
const str = (max = 10_000) => z.string().max(max);
const time = z
  .string()
  .max(64)
  .refine((v) => !Number.isNaN(Date.parse(v)), { error: 'is not a date and time.' });
const component = z.enum(COMPONENT_IDS);

export const artifactRecordSchema = z.object({
  path: z.string().min(1).max(4096),
  bytes: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex digits.' }),
  description: str().optional(),
}) satisfies z.ZodType<ArtifactRecord>;

// A pre-upgrade set's config copy also says where the file came from: the restore puts it back there.
const configCopySchema = artifactRecordSchema.extend({
  source: str(4096).optional(),
}) satisfies z.ZodType<OctaneConfigCopy>;

const warningSchema = z.object({
  code: str(200),
  message: str(),
  step: component.optional(),
  subject: str(4096).optional(),
}) satisfies z.ZodType<Warning>;

const errorInfoSchema = z.object({
  code: str(200),
  message: str(),
  fix: str().optional(),
  step: z.enum([...COMPONENT_IDS, ...ERROR_PLACES]).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
}) satisfies z.ZodType<ErrorInfo>;

const serverSchema = z.object({
  engine: str(200),
  version: str(200).optional(),
  edition: str(500).optional(),
  name: str(500).optional(),
}) satisfies z.ZodType<ServerInfo>;

const lsnSchema = z.object({ first: str(100), last: str(100), databaseBackup: str(100).optional() });

const databasePointSchema = z.object({
  name: str(500),
  time,
  lsn: lsnSchema.optional(),
}) satisfies z.ZodType<DatabasePoint>;

const consistencyPointSchema = z.object({
  time,
  scn: str(100).optional(),
  lsn: lsnSchema.optional(),
  databases: z.array(databasePointSchema).max(10_000).optional(),
  spreadSeconds: z.number().min(0).optional(),
  notBefore: time.optional(),
  localTime: time.optional(),
  description: str(),
}) satisfies z.ZodType<ConsistencyPoint>;

export const componentRecordSchema = z.object({
  id: component,
  status: z.enum(COMPONENT_STATUSES),
  location: str(4096).optional(),
  startedAt: time.optional(),
  finishedAt: time.optional(),
  startedAtDb: time.optional(),
  finishedAtDb: time.optional(),
  consistencyPoint: consistencyPointSchema.optional(),
  server: serverSchema.optional(),
  artifacts: z.array(artifactRecordSchema).max(2_000_000),
  warnings: z.array(warningSchema).max(1_000_000),
  statements: z.array(str(100_000)).max(100_000),
  details: z.record(z.string(), z.unknown()).optional(),
  error: errorInfoSchema.optional(),
  skippedReason: str().optional(),
}) satisfies z.ZodType<ComponentRecord>;

const dbClockSchema = z.object({
  offsetMs: z.number(),
  serverUtcOffset: str(20).optional(),
  measuredAt: time,
  uncertaintyMs: z.number().optional(),
}) satisfies z.ZodType<DbClockInfo>;

const skewSchema = z.object({
  consistencyPoint: time.optional(),
  repositoryCaptureEnd: time.optional(),
  points: z.partialRecord(component, time).optional(),
  captureMode: z.enum(CAPTURE_MODES).optional(),
  windowSeconds: z.number().optional(),
  toleranceSeconds: z.number(),
  withinTolerance: z.boolean().optional(),
  clock: z.enum(['database', 'local']),
  note: str().optional(),
}) satisfies z.ZodType<SkewInfo>;

const sealSchema = z.object({
  algorithm: z.literal(SEAL_ALGORITHM),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
}) satisfies z.ZodType<ManifestSeal>;

export const manifestSchema = z
  .object({
    formatVersion: z
      .int()
      .min(1)
      .max(MANIFEST_FORMAT_VERSION, {
        error: `is newer than this tool reads (${MANIFEST_FORMAT_VERSION}): use a newer Octane Backup Manager.`,
      }),
    tool: z.object({ name: str(200), version: str(200) }),
    setName: str(200),
    setId: str(200),
    profile: str(200),
    kind: z.enum(BACKUP_KINDS),
    label: str(1000).optional(),
    pinned: z.boolean(),
    host: str(1000),
    status: z.enum([...RUN_STATUSES, 'running']),
    complete: z.boolean(),
    completenessNote: str().optional(),
    startedAt: time,
    finishedAt: time.optional(),
    dbClock: dbClockSchema.optional(),
    components: z.array(componentRecordSchema).max(COMPONENT_IDS.length),
    skew: skewSchema,
    warnings: z.array(warningSchema).max(1_000_000),
    error: errorInfoSchema.optional(),
    octane: z
      .object({
        version: str(200).optional(),
        versionSource: str(4096).optional(),
        configFiles: z.array(str(4096)).max(10_000).optional(),
        artifacts: z.array(configCopySchema).max(10_000).optional(),
      })
      .optional(),
    seal: sealSchema.optional(),
  })
  .refine((m) => new Set(m.components.map((c) => c.id)).size === m.components.length, {
    error: 'lists a component twice.',
    path: ['components'],
  }) satisfies z.ZodType<Manifest>;

const CHECK_STATUSES = ['ok', 'missing', 'altered', 'size-mismatch', 'elsewhere', 'refused'] as const;

const verificationRecordSchema = z.object({
  at: time,
  host: str(1000),
  toolVersion: str(200),
  checkedPath: str(4096),
  readFrom: z
    .array(z.object({ component, path: str(4096), configuredElsewhere: z.boolean() }))
    .max(COMPONENT_IDS.length),
  verdict: z.enum(['intact', 'intact-partial', 'damaged']),
  damaged: z.boolean(),
  incomplete: z.boolean(),
  seal: z.enum(['valid', 'invalid', 'unsealed', 'not-checked']),
  counts: z.record(z.enum(CHECK_STATUSES), z.int().min(0)),
  problems: z.array(str()).max(100),
}) satisfies z.ZodType<VerificationRecord>;

/** The verification file of a set folder (VERIFICATION_FILE): its records, newest last. */
export const verificationFileSchema = z.object({
  formatVersion: z.literal(1),
  records: z.array(verificationRecordSchema).max(1000),
});

const rehearsalRecordSchema = z.object({
  at: time,
  startedAt: time,
  rehearsalId: str(100),
  host: str(1000),
  toolVersion: str(200),
  result: z.enum(['passed', 'failed', 'cancelled']),
  durationMs: z.number().min(0),
  stores: z
    .array(
      z.object({
        id: z.enum(REHEARSAL_STORES),
        status: z.enum(['passed', 'failed', 'cancelled', 'not-run']),
        durationMs: z.number().min(0).optional(),
        checked: z.array(str(2000)).max(1000),
        problem: str().optional(),
      }),
    )
    .max(REHEARSAL_STORES.length),
  problems: z.array(str()).max(100),
  leftovers: z.array(str(4096)).max(1000),
}) satisfies z.ZodType<RehearsalRecord>;

/** The rehearsal file of a set folder (REHEARSAL_FILE): its records, newest last. */
export const rehearsalFileSchema = z.object({
  formatVersion: z.literal(1),
  records: z.array(rehearsalRecordSchema).max(1000),
});

/** The first problems of a manifest that does not fit the schema, in plain words ("components.0.status: ..."). */
export function manifestProblems(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((i) => {
    const key = i.path.map(String).join('.');
    return `${key === '' ? '(root)' : key}: ${i.message}`;
  });
  const more = error.issues.length - max;
  return parts.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
