// Counts what a set folder holds in its store folders, from the files themselves: an interrupted
// run (kill -9, power cut) never wrote a manifest that lists them, and a cancelled one may have
// left unfinished ".partial" files. Links are never followed and the walk stops after
// MAX_ENTRIES, so a planted or huge folder cannot stall History.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeftFiles, SetLeftovers } from '../../contract/sets.js';
import { COMPONENT_IDS } from '../../contract/profile.js';
import { PARTIAL_SUFFIX } from './component-writer.js';

const STORE_FOLDERS = [...COMPONENT_IDS, 'octane-config'] as const;
export const MAX_ENTRIES = 200_000;

const empty = (): LeftFiles => ({ files: 0, bytes: 0, partialFiles: 0, partialBytes: 0 });

export function addLeft(a: LeftFiles, b: LeftFiles): LeftFiles {
  return {
    files: a.files + b.files,
    bytes: a.bytes + b.bytes,
    partialFiles: a.partialFiles + b.partialFiles,
    partialBytes: a.partialBytes + b.partialBytes,
  };
}

/** Regular files under `dir` (recursively, links not followed), at most `budget.left` entries. */
async function walk(dir: string, into: LeftFiles, budget: { left: number }): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (budget.left-- <= 0) return;
    const path = join(dir, name);
    const st = await lstat(path).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) await walk(path, into, budget);
    else if (st.isFile()) {
      into.files++;
      into.bytes += st.size;
      if (name.endsWith(PARTIAL_SUFFIX)) {
        into.partialFiles++;
        into.partialBytes += st.size;
      }
    }
  }
}

/** What the store folders of one set folder hold (the manifest, log and markers are not counted). */
export async function countLeftovers(setPath: string): Promise<SetLeftovers> {
  const out: SetLeftovers = { total: empty(), components: {}, truncated: false };
  const budget = { left: MAX_ENTRIES };
  for (const id of STORE_FOLDERS) {
    const dir = join(setPath, id);
    const st = await lstat(dir).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    const c = empty();
    await walk(dir, c, budget);
    out.components[id] = c;
    out.total = addLeft(out.total, c);
  }
  out.truncated = budget.left < 0;
  return out;
}

/** One count for a set kept in several places (per-component destinations). */
export function mergeLeftovers(all: SetLeftovers[]): SetLeftovers | undefined {
  if (all.length === 0) return undefined;
  const out: SetLeftovers = { total: empty(), components: {}, truncated: all.some((l) => l.truncated) };
  for (const l of all) {
    out.total = addLeft(out.total, l.total);
    for (const [id, c] of Object.entries(l.components) as [keyof SetLeftovers['components'], LeftFiles][])
      out.components[id] = addLeft(out.components[id] ?? empty(), c);
  }
  return out;
}
