// Finds the sets on a destination from their manifests. A set with the in-progress marker,
// or whose manifest never reached a final status, is listed as "incomplete" — never as complete.
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { IN_PROGRESS_MARKER, type Manifest } from '../../contract/manifest.js';
import type { SetSummary } from '../../contract/sets.js';
import { readManifest } from './manifest-io.js';
import type { Profile } from '../../contract/profile.js';
import { profileDestinations, SET_NAME_PATTERN } from './set-layout.js';
import { pathExists } from '../path-exists.js';

async function dirs(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Lists sets under `destination` (which may be a destination root holding profile folders,
 * or one profile folder). Newest first.
 */
export async function listSets(destination: string, opts: { profile?: string } = {}): Promise<SetSummary[]> {
  const root = resolve(destination);
  const candidates: { path: string; profile: string }[] = [];
  for (const name of await dirs(root)) {
    if (SET_NAME_PATTERN.test(name)) {
      candidates.push({ path: join(root, name), profile: basename(root) });
      continue;
    }
    if (opts.profile !== undefined && name !== opts.profile) continue;
    for (const sub of await dirs(join(root, name)))
      if (SET_NAME_PATTERN.test(sub)) candidates.push({ path: join(root, name, sub), profile: name });
  }
  const out = await Promise.all(candidates.map((c) => summarize(c.path, c.profile)));
  return out.sort((a, b) => b.setName.localeCompare(a.setName));
}

/**
 * The sets of one profile over every place it writes (per-component destinations hold their own
 * copy of each set folder): one entry per set, the main destination's copy first. Newest first.
 */
export async function listProfileSets(profile: Profile): Promise<SetSummary[]> {
  const lists = await Promise.all(
    profileDestinations(profile).map((d) => listSets(d, { profile: profile.profile })),
  );
  const byName = new Map<string, SetSummary>();
  for (const list of lists)
    for (const s of list)
      if (s.profile === profile.profile && !byName.has(s.setName)) byName.set(s.setName, s);
  return [...byName.values()].sort((a, b) => b.setName.localeCompare(a.setName));
}

export async function summarize(path: string, profile: string): Promise<SetSummary> {
  const setName = basename(path);
  const marker = await pathExists(join(path, IN_PROGRESS_MARKER));
  let manifest: Manifest | undefined;
  try {
    manifest = await readManifest(path);
  } catch {
    manifest = undefined;
  }
  const kindMatch = SET_NAME_PATTERN.exec(setName);
  const summary: SetSummary = {
    path,
    setName,
    profile: manifest?.profile ?? profile,
    pinned: manifest?.pinned ?? kindMatch?.[2] === 'pre-upgrade',
    status: 'incomplete',
    complete: false,
    bytes: 0,
    components: [],
  };
  const kind = manifest?.kind ?? (kindMatch?.[2] as SetSummary['kind']);
  if (kind) summary.kind = kind;
  if (!manifest) return summary;
  summary.manifest = manifest;
  if (manifest.label !== undefined) summary.label = manifest.label;
  summary.startedAt = manifest.startedAt;
  if (manifest.finishedAt !== undefined) summary.finishedAt = manifest.finishedAt;
  summary.components = manifest.components.map((c) => ({ id: c.id, status: c.status }));
  summary.bytes = manifest.components
    .filter((c) => !c.location || resolve(c.location) === resolve(path))
    .reduce((a, c) => a + c.artifacts.reduce((b, x) => b + x.bytes, 0), 0);
  if (manifest.skew.windowSeconds !== undefined) summary.skewSeconds = manifest.skew.windowSeconds;
  if (manifest.skew.withinTolerance !== undefined) summary.withinTolerance = manifest.skew.withinTolerance;
  if (!marker && manifest.status !== 'running') {
    summary.status = manifest.status;
    summary.complete = manifest.complete;
  }
  return summary;
}
