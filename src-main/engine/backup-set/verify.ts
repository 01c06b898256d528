// Judges the set folder it is given by the files under it. The manifest is untrusted input: it is
// validated, its seal checked where a key is, its `complete` believed only when every component has
// its artifacts, and its paths read only inside their own component folders. A component kept on
// another destination is read there only when the caller names that place (the profile configures
// it) — never at a location the manifest names — and the report says which path was read. Every
// verify leaves a verification record in the folders it checked.
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { IN_PROGRESS_MARKER, type ArtifactRecord, type Manifest } from '../../contract/manifest.js';
import type { ComponentId } from '../../contract/profile.js';
import {
  claimsComplete,
  type ArtifactCheck,
  type ReadPlace,
  type VerifyReport,
} from '../../contract/sets.js';
import { checkArtifact, type CheckEnv } from './artifact-check.js';
import { readSetManifest } from './manifest-io.js';
import { checkSeal, sealText } from './seal.js';
import { describeChecks, findPartials, judge, writeRecords } from './verify-report.js';
import { SET_NAME_PATTERN } from './set-layout.js';
import { pathExists } from '../path-exists.js';

export { hashFile } from './hash-file.js';

export interface VerifyOptions {
  signal?: AbortSignal;
  /** Bytes hashed so far out of the total listed in the manifest. */
  onProgress?: (bytesDone: number, bytesTotal: number, current: string) => void;
  /**
   * The set folder of each component on the destination the profile configures for it
   * (engine/backup-set/set-layout.ts setRoots). A component missing here is read there, and only there.
   */
  places?: Partial<Record<ComponentId, string>>;
  /** Seal keys: every one is tried (the first seals new sets). None: the seal is not checked. */
  sealKeys?: readonly string[];
  /** Leave a verification record in the folders checked (default true). */
  record?: boolean;
  now?: () => Date;
}

function emptyReport(setPath: string): VerifyReport {
  return {
    setPath,
    ok: false,
    verdict: 'damaged',
    incomplete: false,
    damaged: false,
    checks: [],
    problems: [],
    notes: [],
    seal: 'unsealed',
    readFrom: [],
  };
}

export async function verifySet(setPathInput: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const setPath = resolve(setPathInput);
  const report = emptyReport(setPath);
  const isDir = await stat(setPath).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const read = isDir ? await readSetManifest(setPath) : undefined;
  if (!read?.ok) {
    report.incomplete = true;
    if (!isDir) report.problems.push(`${setPath} is not a folder that can be read.`);
    else if (read?.reason === 'missing')
      report.problems.push(
        `No manifest.json in ${setPath}: this is not a backup set, or its run never started writing it.`,
      );
    else {
      report.damaged = true;
      report.problems.push(`UNREADABLE: ${read?.problem ?? ''} Nothing in this set can be trusted.`);
    }
    judge(report);
    if (read?.reason === 'unreadable' && SET_NAME_PATTERN.test(basename(setPath)))
      await writeRecords(report, opts);
    return report;
  }
  const manifest = read.manifest;
  await judgeCompleteness(report, manifest);
  report.seal = checkSeal(read.raw, opts.sealKeys ?? []);
  if (report.seal === 'invalid') report.damaged = true;
  (report.seal === 'invalid' ? report.problems : report.notes).push(
    sealText(report.seal, manifest.seal?.keyId),
  );

  const places = await placeComponents(report, manifest, opts);
  await checkAll(report, manifest, places, opts);
  describeChecks(report);
  for (const root of new Set([setPath, ...report.readFrom.map((r) => r.path)]))
    for (const partial of await findPartials(root))
      report.problems.push(
        `LEFTOVER: ${root === setPath ? partial : join(root, partial)} is an unfinished file from an interrupted run.`,
      );
  judge(report);
  if (opts.record !== false) await writeRecords(report, opts);
  return report;
}

const succeeded = (s: string): boolean => s === 'succeeded' || s === 'succeeded-with-warnings';

/** Marker, final status, and whether `complete` may be believed. */
async function judgeCompleteness(report: VerifyReport, manifest: Manifest): Promise<void> {
  if (await pathExists(join(report.setPath, IN_PROGRESS_MARKER))) {
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
    const finishedWell = succeeded(manifest.status);
    const onlySkipped = manifest.components.every((c) => succeeded(c.status) || c.status === 'skipped');
    if (finishedWell && onlySkipped) report.notFull = true;
    report.problems.push(
      `The set is not complete (${manifest.status}): ${(manifest.completenessNote ?? 'see the manifest').replace(/\.$/, '')}.`,
    );
  } else if (!claimsComplete(manifest)) {
    // "complete: true" that its own components contradict: forged or damaged.
    report.incomplete = true;
    report.damaged = true;
    report.problems.push(`NOT COMPLETE: the manifest says complete, but ${contradiction(manifest)}.`);
  }
  for (const c of manifest.components)
    if (succeeded(c.status) && c.artifacts.length === 0) {
      report.damaged = true;
      report.problems.push(`EMPTY: the ${c.id} component says ${c.status} but lists no files.`);
    }
}

function contradiction(m: Manifest): string {
  if (!succeeded(m.status)) return `its run ${m.status}`;
  for (const id of ['database', 'elasticsearch', 'repository'] as const) {
    const c = m.components.find((x) => x.id === id);
    if (!c) return `it does not list the ${id} component`;
    if (!succeeded(c.status)) return `its ${id} component is ${c.status}`;
    if (c.artifacts.length === 0) return `its ${id} component lists no files`;
  }
  return 'it contradicts itself';
}

/** Where each component's files are read: here, or at the place the caller configures for it. */
async function placeComponents(
  report: VerifyReport,
  manifest: Manifest,
  opts: VerifyOptions,
): Promise<Map<ComponentId, string | undefined>> {
  const out = new Map<ComponentId, string | undefined>();
  for (const comp of manifest.components) {
    if (comp.artifacts.length === 0) continue;
    const here = report.setPath;
    const configured = opts.places?.[comp.id];
    const elsewhere =
      configured !== undefined && resolve(configured) !== here ? resolve(configured) : undefined;
    if ((await isFolder(join(here, comp.id))) || elsewhere === undefined) {
      out.set(comp.id, here);
      continue;
    }
    // The profile keeps this component on another destination: read it there, and say so.
    const reachable = await pathExists(join(elsewhere, '..', '..'));
    out.set(comp.id, reachable ? elsewhere : undefined);
    const place: ReadPlace = { component: comp.id, path: elsewhere, configuredElsewhere: true };
    if (reachable) {
      report.readFrom.push(place);
      report.notes.push(
        `The ${comp.id} files were read at ${elsewhere}, the destination the profile configures for them.`,
      );
    }
  }
  for (const [id, root] of out)
    if (root === report.setPath)
      report.readFrom.push({ component: id, path: root, configuredElsewhere: false });
  return out;
}

const isFolder = (p: string): Promise<boolean> =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );

async function checkAll(
  report: VerifyReport,
  manifest: Manifest,
  places: Map<ComponentId, string | undefined>,
  opts: VerifyOptions,
): Promise<void> {
  const all: { artifact: ArtifactRecord; component: ArtifactCheck['component']; root: string | undefined }[] =
    [];
  for (const comp of manifest.components)
    for (const artifact of comp.artifacts)
      all.push({ artifact, component: comp.id, root: places.get(comp.id) });
  // Pre-upgrade sets also hold copies of Octane's config files, always in the main set folder.
  for (const artifact of manifest.octane?.artifacts ?? [])
    all.push({ artifact, component: 'octane-config', root: report.setPath });
  const total = all.reduce((a, x) => a + x.artifact.bytes, 0);
  let done = 0;
  const env: CheckEnv = {
    realpaths: new Map(),
    onBytes: () => undefined,
  };
  if (opts.signal) env.signal = opts.signal;
  for (const { artifact, component, root } of all) {
    opts.signal?.throwIfAborted();
    if (root === undefined) {
      const where = opts.places?.[component as ComponentId] ?? '';
      report.checks.push({ artifact, component, status: 'elsewhere', location: where });
      done += artifact.bytes;
      continue;
    }
    env.onBytes = (n) => {
      done += n;
      opts.onProgress?.(done, total, artifact.path);
    };
    const check = await checkArtifact(artifact, component, root, env);
    if (check.status === 'missing' && root === report.setPath && component !== 'octane-config')
      check.note = missingHint(manifest, component, report.setPath);
    report.checks.push(check);
  }
}

/** Why a component's file is missing here, with the manifest's location named but never read. */
function missingHint(manifest: Manifest, component: ComponentId, setPath: string): string | undefined {
  const loc = manifest.components.find((c) => c.id === component)?.location;
  if (!loc || resolve(loc) === setPath) return undefined;
  return `the run wrote the ${component} files to ${loc}; verify that copy, or verify with the profile (--config) so the destination it configures is read`;
}
