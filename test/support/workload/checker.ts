// The workload's checker: which files existed at the database's consistency point (created before
// it and not deleted before it, on this machine's clock), and what the backup set holds of them.
//   missing         existed at the point, not in the set, and not explained below (must be 0)
//   missingExcused  missing for the reason the mode has by design, counted, never hidden:
//                   bracketed: created after the first pass began and deleted again before the
//                   second pass ended (neither pass could see them); sequential: deleted after the
//                   point while the archive ran, before it reached them; snapshot: deleted in the
//                   instant between the database's point and the freeze (the window, milliseconds).
//   stale / torn    in the set with an older version than at the point / with no version's bytes
//                   (stale must be 0 too, but for the reason below)
//   staleExcused    stale for the bracketed mode's reason, counted, never hidden: the file was
//                   deleted after the point before the second pass ended, so the set keeps the
//                   first pass's copy, older when the file was rewritten between the passes
//   newer, orphans  a later version than at the point / files that did not exist at the point
//                   (harmless: Octane cleans orphans up)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEntry, TreeState } from './workload.js';

export interface CheckInput {
  initial: TreeState;
  journal: JournalEntry[];
  /** The database's consistency point on this machine's clock (the stand-in's own record of it). */
  dbPointMs: number;
  /** The set's repository: path -> SHA-256 of what extraction leaves (a later entry wins). */
  set: Map<string, string>;
  /** Bracketed capture: when the first pass began and the second pass ended (this machine's clock). */
  bracket?: { firstPassStartMs: number; secondPassEndMs: number };
  /** Sequential and snapshot: the repository's point (the end of the live pass, or the freeze), this machine's clock. */
  repositoryPointMs?: number;
}

export interface CheckReport {
  existedAtPoint: number;
  missing: string[];
  missingExcused: string[];
  stale: string[];
  staleExcused: string[];
  torn: string[];
  newer: number;
  orphans: number;
  operations: { create: number; delete: number; rewrite: number };
}

export function check(input: CheckInput): CheckReport {
  const atPoint = new Map<string, number>(
    Object.entries(input.initial.files).map(([p, f]) => [p, f.version]),
  );
  const versions = new Map<string, Map<string, number>>();
  const known = (path: string, sha: string, v: number): void => {
    const m = versions.get(path) ?? new Map<string, number>();
    m.set(sha, v);
    versions.set(path, m);
  };
  for (const [p, f] of Object.entries(input.initial.files)) known(p, f.sha256, f.version);
  const operations = { create: 0, delete: 0, rewrite: 0 };
  for (const e of input.journal) {
    operations[e.op]++;
    if (e.op !== 'delete') known(e.path, e.sha256, e.version);
    if (e.t > input.dbPointMs) continue;
    if (e.op === 'delete') atPoint.delete(e.path);
    else atPoint.set(e.path, e.version);
  }
  const r: CheckReport = {
    existedAtPoint: atPoint.size,
    missing: [],
    missingExcused: [],
    stale: [],
    staleExcused: [],
    torn: [],
    newer: 0,
    orphans: 0,
    operations,
  };
  for (const [path, v] of atPoint) {
    const sha = input.set.get(path);
    if (sha === undefined) {
      (excused(input, path) ? r.missingExcused : r.missing).push(path);
      continue;
    }
    const got = versions.get(path)?.get(sha);
    if (got === undefined) r.torn.push(path);
    else if (got < v) (staleExcused(input, path) ? r.staleExcused : r.stale).push(path);
    else if (got > v) r.newer++;
  }
  for (const path of input.set.keys()) if (!atPoint.has(path)) r.orphans++;
  return r;
}

/** Deleted after the database's point and before `end` (this machine's clock). */
function deletedAfterPointBefore(input: CheckInput, path: string, end: number): boolean {
  return input.journal.some(
    (e) => e.path === path && e.op === 'delete' && e.t > input.dbPointMs && e.t < end,
  );
}

/** Missing for the reason the capture mode has by design (see the header). */
function excused(input: CheckInput, path: string): boolean {
  const deletedBefore = (end: number): boolean => deletedAfterPointBefore(input, path, end);
  const b = input.bracket;
  if (b)
    return (
      input.journal.some((e) => e.path === path && e.op === 'create' && e.t > b.firstPassStartMs) &&
      deletedBefore(b.secondPassEndMs)
    );
  return input.repositoryPointMs !== undefined && deletedBefore(input.repositoryPointMs);
}

/** Stale for the bracketed mode's reason: gone before its second pass could read it again (see the header). */
function staleExcused(input: CheckInput, path: string): boolean {
  const b = input.bracket;
  return b !== undefined && deletedAfterPointBefore(input, path, b.secondPassEndMs);
}

/**
 * What a restore of the archive leaves: extracted by an independent tool (GNU tar; Python's
 * zipfile for a zip), in archive order so a later entry of a path replaces the earlier, then hashed.
 */
export function extractedSet(archive: string): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'obm-check-'));
  try {
    if (archive.endsWith('.zip')) execFileSync('python3', ['-m', 'zipfile', '-e', archive, dir]);
    else execFileSync('tar', ['-xf', archive, '-C', dir]);
    const out = new Map<string, string>();
    const walk = (rel: string): void => {
      for (const name of readdirSync(join(dir, rel))) {
        const r = rel ? `${rel}/${name}` : name;
        const s = statSync(join(dir, r));
        if (s.isDirectory()) walk(r);
        else if (s.isFile())
          out.set(
            r,
            createHash('sha256')
              .update(readFileSync(join(dir, r)))
              .digest('hex'),
          );
      }
    };
    walk('');
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function summary(r: CheckReport): string {
  return (
    `${r.existedAtPoint} files at the DB point; missing ${r.missing.length}, missing by the mode's design ${r.missingExcused.length}, ` +
    `stale ${r.stale.length}, stale by the mode's design ${r.staleExcused.length}, torn ${r.torn.length}, newer ${r.newer}, orphans ${r.orphans}; operations ${r.operations.create} added, ${r.operations.delete} deleted, ${r.operations.rewrite} rewritten`
  );
}
