// Checks one artifact of a set against its manifest record, treating the set as untrusted: the path
// must stay inside its component's folder (no "..", no absolute path, no link out of the folder),
// the file must be a regular file (a FIFO or a device would hang the reader), and its size must
// match before a single byte is hashed.
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { ArtifactRecord } from '../../contract/manifest.js';
import type { ArtifactCheck } from '../../contract/sets.js';
import { confinedSegments } from './artifact-paths.js';
import { notReadableText, openRegularFile } from './safe-read.js';

export interface CheckEnv {
  signal?: AbortSignal;
  /** Bytes hashed, as they are read. */
  onBytes: (n: number) => void;
  /** realpath() of folders already resolved in this verify (an Elasticsearch copy has thousands of files). */
  realpaths: Map<string, string | undefined>;
}

async function cachedRealpath(path: string, env: CheckEnv): Promise<string | undefined> {
  if (env.realpaths.has(path)) return env.realpaths.get(path);
  const r = await realpath(path).catch(() => undefined);
  env.realpaths.set(path, r);
  return r;
}

/**
 * `root`: the set folder holding this component (the one verify was given, or a configured
 * destination's copy); `folder`: the component's folder name ("database", "octane-config").
 */
export async function checkArtifact(
  artifact: ArtifactRecord,
  component: ArtifactCheck['component'],
  root: string,
  env: CheckEnv,
): Promise<ArtifactCheck> {
  const where = confinedSegments(artifact.path, component);
  if (!where.ok)
    return {
      artifact,
      component,
      status: 'refused',
      location: root,
      note: `not read: ${where.reason}`,
    };
  const folder = join(root, component);
  const path = join(folder, ...where.segments);
  const base = { artifact, component, location: path };
  const realRoot = await cachedRealpath(root, env);
  const realFolder = await cachedRealpath(folder, env);
  const realParent = await cachedRealpath(dirname(path), env);
  if (realRoot === undefined || realFolder === undefined || realParent === undefined)
    return { ...base, status: 'missing', note: 'its folder does not exist' };
  const inside = (p: string, top: string): boolean => p === top || p.startsWith(top + sep);
  if (realFolder !== join(realRoot, component) || !inside(realParent, realFolder))
    return {
      ...base,
      status: 'refused',
      note: `not read: its folder leads outside the set (to ${realParent})`,
    };
  const opened = await openRegularFile(path);
  if (!opened.ok)
    return opened.reason === 'missing'
      ? { ...base, status: 'missing' }
      : { ...base, status: 'refused', note: `not read: ${notReadableText(opened)}` };
  try {
    if (opened.bytes !== artifact.bytes)
      return { ...base, status: 'size-mismatch', actualBytes: opened.bytes };
    const hash = createHash('sha256');
    let got = 0;
    if (artifact.bytes > 0) {
      const opts: {
        start: number;
        end: number;
        highWaterMark: number;
        autoClose: boolean;
        signal?: AbortSignal;
      } = { start: 0, end: artifact.bytes - 1, highWaterMark: 1024 * 1024, autoClose: false };
      if (env.signal) opts.signal = env.signal;
      for await (const chunk of opened.handle.createReadStream(opts)) {
        const b = chunk as Buffer;
        hash.update(b);
        got += b.length;
        env.onBytes(b.length);
      }
    }
    if (got !== artifact.bytes) return { ...base, status: 'size-mismatch', actualBytes: got };
    const sha256 = hash.digest('hex');
    return {
      ...base,
      status: sha256 === artifact.sha256 ? 'ok' : 'altered',
      actualSha256: sha256,
      actualBytes: got,
    };
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}
