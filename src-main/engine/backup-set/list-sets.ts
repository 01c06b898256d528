// Finds the sets on a destination from their manifests. A set with the in-progress marker, or whose
// manifest never reached a final status, is listed as "incomplete"; one whose manifest cannot be
// believed (not a regular file, invalid, wrong shape, another set's) as "unreadable"; one a verify
// found damaged carries `damaged` — and none of them is ever listed as a good backup. A bad set
// never breaks the listing of the others.
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { IN_PROGRESS_MARKER } from '../../contract/manifest.js';
import { claimsComplete, type SetSummary } from '../../contract/sets.js';
import type { Profile } from '../../contract/profile.js';
import { ExpectedError } from '../errors.js';
import { readSetManifest } from './manifest-io.js';
import { latestRehearsal } from './rehearsal-record.js';
import { latestVerification } from './verification-record.js';
import { countLeftovers, mergeLeftovers } from './set-leftovers.js';
import { profileDestinations, profileFolder, SET_NAME_PATTERN } from './set-layout.js';
import { pathExists } from '../path-exists.js';

/** Sub-folders (never links to folders: a link could lead anywhere). */
async function dirs(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** A destination that is not there, not a folder or not readable is said, never listed as "no sets". */
export async function requireDestination(root: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(root)).isDirectory();
    if (isDir) await readdir(root);
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).message;
    throw new ExpectedError(
      code === 'ENOENT' ? 'DESTINATION_MISSING' : 'DESTINATION_UNREADABLE',
      code === 'ENOENT'
        ? `The destination ${root} does not exist: its drive or share is not connected, or nothing was ever written there.`
        : `The destination ${root} cannot be read (${code}).`,
      {
        step: 'verify',
        fix: 'Connect (mount) the backup drive or share, or check the path, then try again.',
        details: { path: root },
      },
    );
  }
  if (!isDir)
    throw new ExpectedError('DESTINATION_NOT_A_FOLDER', `The destination ${root} is a file, not a folder.`, {
      step: 'verify',
      fix: 'Give the folder the sets were written to.',
      details: { path: root },
    });
}

/**
 * Lists sets under `destination` (which may be a destination root holding profile folders,
 * or one profile folder). Newest first. Throws when the destination itself is missing or unreadable.
 */
export async function listSets(destination: string, opts: { profile?: string } = {}): Promise<SetSummary[]> {
  const root = resolve(destination);
  await requireDestination(root);
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
  const out: SetSummary[] = [];
  for (const c of candidates) out.push(await summarize(c.path, c.profile));
  return out.sort((a, b) => b.setName.localeCompare(a.setName));
}

/**
 * The sets of one profile over every place it writes (per-component destinations hold their own
 * copy of each set folder): one entry per set, merged from its copies. Newest first.
 */
export async function listProfileSets(profile: Profile): Promise<SetSummary[]> {
  const byName = new Map<string, SetSummary[]>();
  for (const d of profileDestinations(profile)) {
    await requireDestination(resolve(d));
    // The profile's folder by its path, not by a name in a listing: on a case-insensitive drive
    // the folder may carry another profile's spelling ("Nightly" for "nightly").
    const folder = profileFolder(d, profile.profile);
    if (!(await pathExists(folder))) continue;
    for (const s of await listSets(folder)) {
      if (s.profile !== profile.profile) continue;
      byName.set(s.setName, [...(byName.get(s.setName) ?? []), s]);
    }
  }
  const merged: SetSummary[] = [];
  for (const copies of byName.values()) {
    const m = mergeCopies(copies);
    if (m) merged.push(m);
  }
  return merged.sort((a, b) => b.setName.localeCompare(a.setName));
}

/**
 * One summary for a set kept in several places (main destination's copy first): complete only when
 * every copy is, incomplete when any copy is, unreadable when any copy's manifest is, damaged when
 * the newest verification of any copy found damage.
 */
export function mergeCopies(copies: SetSummary[]): SetSummary | undefined {
  const main = copies.find((s) => s.manifest) ?? copies[0];
  if (!main) return undefined;
  const out: SetSummary = { ...main };
  const unreadable = copies.find((s) => s.status === 'unreadable');
  if (unreadable) {
    out.status = 'unreadable';
    if (unreadable.problem !== undefined) out.problem = unreadable.problem;
  } else if (copies.some((s) => s.status === 'incomplete')) out.status = 'incomplete';
  out.complete = copies.every((s) => s.complete);
  out.pinned = copies.some((s) => s.pinned);
  out.damaged = copies.some((s) => s.damaged === true);
  const records = copies.map((s) => s.verification).filter((v) => v !== undefined);
  const newest = records.sort((a, b) => b.at.localeCompare(a.at))[0];
  if (newest) out.verification = newest;
  else delete out.verification;
  const rehearsals = copies.map((s) => s.rehearsal).filter((r) => r !== undefined);
  const lastRehearsal = rehearsals.sort((a, b) => b.at.localeCompare(a.at))[0];
  if (lastRehearsal) out.rehearsal = lastRehearsal;
  else delete out.rehearsal;
  const left = mergeLeftovers(copies.map((s) => s.left).filter((l) => l !== undefined));
  if (left) out.left = left;
  else delete out.left;
  return out;
}

export async function summarize(path: string, profile: string): Promise<SetSummary> {
  const setName = basename(path);
  const marker = await pathExists(join(path, IN_PROGRESS_MARKER));
  const read = await readSetManifest(path);
  const kindMatch = SET_NAME_PATTERN.exec(setName);
  const manifest = read.ok ? read.manifest : undefined;
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
  const verification = await latestVerification(path);
  if (verification) {
    summary.verification = verification;
    summary.damaged = verification.damaged;
  }
  const rehearsal = await latestRehearsal(path);
  if (rehearsal) summary.rehearsal = rehearsal;
  if (!read.ok) {
    if (read.reason === 'unreadable') {
      summary.status = 'unreadable';
      summary.problem = read.problem;
    }
    summary.left = await countLeftovers(path);
    return summary;
  }
  const m = read.manifest;
  summary.manifest = m;
  if (m.label !== undefined) summary.label = m.label;
  summary.startedAt = m.startedAt;
  if (m.finishedAt !== undefined) summary.finishedAt = m.finishedAt;
  summary.components = m.components.map((c) => ({ id: c.id, status: c.status }));
  // What this folder holds: the components whose folder is here (the others live on their own destination).
  summary.bytes = m.components
    .filter((c) => !c.location || resolve(c.location) === resolve(path))
    .reduce((a, c) => a + c.artifacts.reduce((b, x) => b + x.bytes, 0), 0);
  if (m.skew.windowSeconds !== undefined) summary.skewSeconds = m.skew.windowSeconds;
  if (m.skew.withinTolerance !== undefined) summary.withinTolerance = m.skew.withinTolerance;
  if (!marker && m.status !== 'running') {
    summary.status = m.status;
    summary.complete = claimsComplete(m);
  }
  // A set that did not finish well is counted from its files: its manifest may not list them.
  if (summary.status !== 'succeeded' && summary.status !== 'succeeded-with-warnings')
    summary.left = await countLeftovers(path);
  return summary;
}
