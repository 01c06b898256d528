// A rehearsal's stage reports turned into the record kept in the set (REHEARSAL_FILE): per store
// whether it came back, how long that took (the measured recovery time) and what was checked, in
// lines an admin can read ("octane_site → octane_site__rehearsal_…: CHECKDB passed, 12 tables, 3400 rows").
import { hostname } from 'node:os';
import type { RestoreStageReport } from '../../contract/restore-run.js';
import {
  REHEARSAL_STORES,
  type RehearsalRecord,
  type RehearsalResult,
  type RehearsalStoreId,
  type RehearsalStoreRecord,
} from '../../contract/sets.js';
import { TOOL_VERSION } from '../version.js';
import type { DatabaseOutcome } from '../steps/sqlserver/restore/index.js';
import type { SchemaOutcome } from '../steps/oracle/restore/run.js';
import type { IndexOutcome } from '../steps/elasticsearch/restore/run.js';
import type { RepositoryRehearsalDetails } from './repository-stage.js';

const n = (v: number | undefined, what: string): string | undefined =>
  v === undefined ? undefined : `${v} ${what}`;
const join = (parts: (string | undefined)[]): string => parts.filter((p) => p !== undefined).join(', ');

function databaseLines(details: unknown): string[] {
  const d = details as { databases?: DatabaseOutcome[]; schemas?: SchemaOutcome[] } | undefined;
  const sql = (d?.databases ?? []).map(
    (o) =>
      `${o.source} → ${o.target}: ${join([
        o.status,
        o.checkDb === 'passed' ? 'DBCC CHECKDB passed' : undefined,
        n(o.tables, 'tables'),
        n(o.rows, 'rows'),
      ])}`,
  );
  const ora = (d?.schemas ?? []).map(
    (s) =>
      `${s.schema} → ${s.target}: ${join([
        n(s.objects, 'objects'),
        n(s.tables, 'tables'),
        n(s.rows, 'rows'),
        s.invalid.length ? `${s.invalid.length} invalid object(s) (reported, not a failure)` : undefined,
      ])}`,
  );
  return [...sql, ...ora];
}

function esLines(details: unknown): string[] {
  const d = details as { indices?: IndexOutcome[]; skipped?: string[] } | undefined;
  return [
    ...(d?.indices ?? []).map(
      (i) =>
        `${i.index} → ${i.target}: ${i.docs ?? '?'} documents${
          i.check === 'ok'
            ? ` (the backup counted ${i.expected?.before ?? '?'} before and ${i.expected?.after ?? '?'} after the snapshot)`
            : ' (no count recorded at backup time)'
        }`,
    ),
    ...(d?.skipped?.length ? [`not in the snapshot (PARTIAL): ${d.skipped.join(', ')}`] : []),
  ];
}

function repositoryLines(details: unknown): string[] {
  const d = details as RepositoryRehearsalDetails | undefined;
  if (!d) return [];
  return [
    `${d.filesChecked} file(s) extracted into a scratch folder and read back; ${d.hashed} matched by SHA-256, ${d.listed} listed`,
    ...d.problems.slice(0, 20),
  ];
}

const LINES: Record<RehearsalStoreId, (details: unknown) => string[]> = {
  database: databaseLines,
  elasticsearch: esLines,
  repository: repositoryLines,
};

export function storeRecord(id: RehearsalStoreId, s: RestoreStageReport | undefined): RehearsalStoreRecord {
  if (!s || s.status === 'skipped' || s.status === 'not-run' || s.status === 'running')
    return {
      id,
      status: 'not-run',
      checked: [],
      ...(s?.state && { problem: s.state.replace(/^Not restored/, 'Not rehearsed') }),
    };
  const status =
    s.status === 'succeeded' || s.status === 'succeeded-with-warnings'
      ? 'passed'
      : s.status === 'cancelled'
        ? 'cancelled'
        : 'failed';
  const problem = s.error?.message ?? (status === 'passed' ? undefined : s.state);
  return {
    id,
    status,
    ...(s.durationMs !== undefined && { durationMs: s.durationMs }),
    checked: LINES[id](s.details),
    ...(problem !== undefined && { problem }),
  };
}

export function rehearsalRecord(o: {
  rehearsalId: string;
  startedAt: string;
  durationMs: number;
  stages: RestoreStageReport[];
  /** Problems found before any store ran (the set damaged, a target refused). */
  problems: string[];
  leftovers: string[];
  cancelled: boolean;
}): RehearsalRecord {
  const stores = REHEARSAL_STORES.map((id) =>
    storeRecord(
      id,
      o.stages.find((s) => s.id === id),
    ),
  );
  const ran = stores.filter((s) => s.status !== 'not-run');
  const problems = [
    ...o.problems,
    ...stores.flatMap((s) => (s.status === 'failed' && s.problem ? [`${s.id}: ${s.problem}`] : [])),
  ].slice(0, 20);
  const result: RehearsalResult =
    o.cancelled || stores.some((s) => s.status === 'cancelled')
      ? 'cancelled'
      : problems.length > 0 || ran.length === 0 || stores.some((s) => s.status === 'failed')
        ? 'failed'
        : 'passed';
  if (ran.length === 0 && problems.length === 0 && result === 'failed')
    problems.push('Nothing could be rehearsed: the set holds no store this profile configures.');
  return {
    at: new Date().toISOString(),
    startedAt: o.startedAt,
    rehearsalId: o.rehearsalId,
    host: hostname(),
    toolVersion: TOOL_VERSION,
    result,
    durationMs: Math.max(0, Math.round(o.durationMs)),
    stores,
    problems,
    leftovers: o.leftovers,
  };
}
