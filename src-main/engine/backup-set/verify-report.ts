// The words and the verdict of a verify, and the record it leaves in the set.
import { hostname } from 'node:os';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactCheckStatus, VerificationRecord, VerifyReport } from '../../contract/sets.js';
import { TOOL_VERSION } from '../version.js';
import { PARTIAL_SUFFIX } from './component-writer.js';
import { appendVerification } from './verification-record.js';

/** One problem line per artifact that is not intact. */
export function describeChecks(report: VerifyReport): void {
  for (const c of report.checks) {
    const note = c.note ? ` (${c.note})` : '';
    if (c.status === 'missing')
      report.problems.push(`MISSING: ${c.artifact.path} (expected at ${c.location})${note}.`);
    if (c.status === 'size-mismatch')
      report.problems.push(
        `ALTERED: ${c.artifact.path} has ${c.actualBytes} bytes, the manifest says ${c.artifact.bytes}.`,
      );
    if (c.status === 'altered')
      report.problems.push(
        `ALTERED: ${c.artifact.path} has SHA-256 ${c.actualSha256}, the manifest says ${c.artifact.sha256}.`,
      );
    if (c.status === 'refused') report.problems.push(`REFUSED: ${c.artifact.path}${note}.`);
    if (c.status === 'elsewhere')
      report.problems.push(
        `NOT CHECKED: ${c.artifact.path} lives on another destination (${c.location}) that is not reachable now.`,
      );
  }
}

const DAMAGE: readonly ArtifactCheckStatus[] = ['missing', 'altered', 'size-mismatch', 'refused'];

/** The verdict from what was found. */
export function judge(report: VerifyReport): void {
  if (report.checks.some((c) => DAMAGE.includes(c.status))) report.damaged = true;
  const unchecked = report.checks.some((c) => c.status === 'elsewhere');
  const leftovers = report.problems.some((p) => p.startsWith('LEFTOVER:'));
  report.ok =
    !report.damaged && !unchecked && !report.incomplete && !leftovers && report.problems.length === 0;
  const onlyNotFull =
    report.notFull === true &&
    !report.damaged &&
    report.checks.every((c) => c.status === 'ok') &&
    report.problems.length === 1;
  report.verdict = report.ok ? 'intact' : onlyNotFull ? 'intact-partial' : 'damaged';
}

/** Unfinished files (".partial") anywhere under a set folder; links are not followed. */
export async function findPartials(dir: string, rel = '', depth = 0): Promise<string[]> {
  const out: string[] = [];
  if (depth > 64) return out;
  let entries;
  try {
    entries = await readdir(join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await findPartials(dir, r, depth + 1)));
    else if (e.name.endsWith(PARTIAL_SUFFIX)) out.push(r);
  }
  return out;
}

function recordOf(report: VerifyReport, at: Date): VerificationRecord {
  const counts = { ok: 0, missing: 0, altered: 0, 'size-mismatch': 0, elsewhere: 0, refused: 0 };
  for (const c of report.checks) counts[c.status]++;
  return {
    at: at.toISOString(),
    host: hostname(),
    toolVersion: TOOL_VERSION,
    checkedPath: report.setPath,
    readFrom: report.readFrom,
    verdict: report.verdict,
    damaged: report.damaged,
    incomplete: report.incomplete,
    seal: report.seal,
    counts,
    problems: report.problems.slice(0, 20),
  };
}

/**
 * Leaves the record in the set folder checked and in every other copy that was read. A folder that
 * cannot be written (a read-only copy) is said in the report, never a failure of the verify.
 */
export async function writeRecords(
  report: VerifyReport,
  opts: { now?: () => Date; record?: boolean },
): Promise<void> {
  if (opts.record === false) return;
  const record = recordOf(report, opts.now?.() ?? new Date());
  const roots = [report.setPath, ...report.readFrom.filter((r) => r.configuredElsewhere).map((r) => r.path)];
  report.record = { written: [], failed: [] };
  for (const root of new Set(roots)) {
    try {
      const s = await lstat(root);
      if (!s.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      report.record.written.push(await appendVerification(root, record));
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as Error).message;
      report.record.failed.push({ path: root, error: code });
      report.notes.push(`The verification record could not be written in ${root} (${code}).`);
    }
  }
}
