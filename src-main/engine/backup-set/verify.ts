// Re-hashes every artifact a set's manifest lists and names each one that is missing or altered.
// Artifacts of components kept on another destination are checked there when it is reachable.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { IN_PROGRESS_MARKER, type ArtifactRecord, type Manifest } from '../../contract/manifest.js';
import type { ArtifactCheck, VerifyReport } from '../../contract/sets.js';
import { PARTIAL_SUFFIX } from './component-writer.js';
import { readManifest } from './manifest-io.js';
import { verifyOctaneConfigCopies } from '../octane-config/verify-copies.js';
import { pathExists } from '../path-exists.js';

export interface VerifyOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far out of the total listed in the manifest. */
  onProgress?: (bytesDone: number, bytesTotal: number, current: string) => void;
}

export async function hashFile(
  path: string,
  signal?: AbortSignal,
  onBytes?: (n: number) => void,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const opts: { highWaterMark: number; signal?: AbortSignal } = { highWaterMark: 1024 * 1024 };
  if (signal) opts.signal = signal;
  for await (const chunk of createReadStream(path, opts)) {
    const b = chunk as Buffer;
    hash.update(b);
    bytes += b.length;
    onBytes?.(b.length);
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function verifySet(setPathInput: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const setPath = resolve(setPathInput);
  const report: VerifyReport = { setPath, ok: false, incomplete: false, checks: [], problems: [] };
  let manifest: Manifest;
  try {
    manifest = await readManifest(setPath);
  } catch (err) {
    const code = (err as { code?: string }).code;
    report.incomplete = true;
    report.problems.push(
      code === 'ENOENT'
        ? `No manifest.json in ${setPath}: this is not a backup set, or its run never started writing it.`
        : `The manifest in ${setPath} cannot be read (${(err as Error).message}).`,
    );
    return report;
  }
  if (await pathExists(join(setPath, IN_PROGRESS_MARKER))) {
    report.incomplete = true;
    report.problems.push(
      manifest.status === 'running'
        ? 'The run that wrote this set was interrupted (in-progress marker present): it is NOT a complete backup.'
        : 'The in-progress marker is still present: the set is NOT a complete backup.',
    );
  } else if (manifest.status === 'running') {
    report.incomplete = true;
    report.problems.push('The manifest says the run never finished: the set is NOT a complete backup.');
  } else if (!manifest.complete) {
    report.incomplete = true;
    const finishedWell = manifest.status === 'succeeded' || manifest.status === 'succeeded-with-warnings';
    const onlySkipped = manifest.components.every(
      (c) => c.status === 'succeeded' || c.status === 'succeeded-with-warnings' || c.status === 'skipped',
    );
    if (finishedWell && onlySkipped) report.notFull = true;
    report.problems.push(
      `The set is not complete (${manifest.status}): ${(manifest.completenessNote ?? 'see the manifest').replace(/\.$/, '')}.`,
    );
  }

  const total = manifest.components.reduce((a, c) => a + c.artifacts.reduce((b, x) => b + x.bytes, 0), 0);
  let done = 0;
  for (const comp of manifest.components) {
    for (const artifact of comp.artifacts) {
      opts.signal?.throwIfAborted();
      const local = join(setPath, ...artifact.path.split('/'));
      let where = local;
      // A component kept on another destination is checked there — but only when this set
      // folder does not hold that component: a copy of the set on another drive must be judged
      // by its own files, never by the original's.
      const heldHere = await pathExists(join(setPath, comp.id));
      if (!heldHere && comp.location && resolve(comp.location) !== setPath) {
        if (await pathExists(join(comp.location, comp.id)))
          where = join(comp.location, ...artifact.path.split('/'));
        else {
          report.checks.push({ artifact, component: comp.id, status: 'elsewhere', location: comp.location });
          done += artifact.bytes;
          continue;
        }
      }
      const check = await checkArtifact(artifact, comp.id, where, opts, (n) => {
        done += n;
        opts.onProgress?.(done, total, artifact.path);
      });
      report.checks.push(check);
    }
  }
  for (const c of report.checks) {
    if (c.status === 'missing')
      report.problems.push(`MISSING: ${c.artifact.path} (expected at ${c.location}).`);
    if (c.status === 'size-mismatch')
      report.problems.push(
        `ALTERED: ${c.artifact.path} has ${c.actualBytes} bytes, the manifest says ${c.artifact.bytes}.`,
      );
    if (c.status === 'altered')
      report.problems.push(
        `ALTERED: ${c.artifact.path} has SHA-256 ${c.actualSha256}, the manifest says ${c.artifact.sha256}.`,
      );
    if (c.status === 'elsewhere')
      report.problems.push(
        `NOT CHECKED: ${c.artifact.path} lives on another destination (${c.location}) that is not reachable now.`,
      );
  }
  for (const partial of await findPartials(setPath))
    report.problems.push(`LEFTOVER: ${partial} is an unfinished file from an interrupted run.`);
  // Pre-upgrade sets also carry copies of Octane's config files (manifest.octane.artifacts).
  const octaneProblems = await verifyOctaneConfigCopies(setPath, manifest, opts.signal);
  report.problems.push(...octaneProblems);
  const damaged = report.checks.some(
    (c) => c.status === 'missing' || c.status === 'altered' || c.status === 'size-mismatch',
  );
  // Not checked is not verified: an unreachable destination keeps the set from passing.
  const unchecked = report.checks.some((c) => c.status === 'elsewhere');
  report.ok = !damaged && !unchecked && !report.incomplete && octaneProblems.length === 0;
  return report;
}

async function checkArtifact(
  artifact: ArtifactRecord,
  component: ArtifactCheck['component'],
  path: string,
  opts: VerifyOptions,
  onBytes: (n: number) => void,
): Promise<ArtifactCheck> {
  const base = { artifact, component, location: path };
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return { ...base, status: 'missing' };
  }
  if (size !== artifact.bytes) return { ...base, status: 'size-mismatch', actualBytes: size };
  const { sha256 } = await hashFile(path, opts.signal, onBytes);
  return sha256 === artifact.sha256
    ? { ...base, status: 'ok', actualSha256: sha256, actualBytes: size }
    : { ...base, status: 'altered', actualSha256: sha256, actualBytes: size };
}

async function findPartials(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await findPartials(dir, r)));
    else if (e.name.endsWith(PARTIAL_SUFFIX)) out.push(r);
  }
  return out;
}
