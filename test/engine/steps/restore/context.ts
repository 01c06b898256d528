// A RestoreContext for the restore primitives' tests: records progress, statements, warnings and
// the journal (in the order things were journaled), and can check that the journal came first.
import type { Manifest } from '../../../../src-main/contract/manifest.js';
import type { Profile } from '../../../../src-main/contract/profile.js';
import type { ScratchObject } from '../../../../src-main/contract/restore.js';
import { readManifest } from '../../../../src-main/engine/backup-set/manifest-io.js';
import { silentLogger } from '../../../../src-main/engine/logger.js';
import type {
  RestoreContext,
  RestoreLookContext,
  RestoreTarget,
} from '../../../../src-main/engine/steps/restore/primitive.js';

export interface RestoreRecord {
  progress: { fraction: number; message?: string; activity?: string }[];
  statements: string[];
  warnings: { code: string; message: string }[];
  journal: ScratchObject[];
  log: string[];
}

export async function lookContext(
  profile: Profile,
  setRoot: string,
  target: RestoreTarget,
  signal = new AbortController().signal,
): Promise<RestoreLookContext & { manifest: Manifest }> {
  const manifest = await readManifest(setRoot);
  return {
    signal,
    log: silentLogger,
    profile,
    secrets: {},
    env: {},
    set: { root: setRoot, manifest },
    target,
    manifest,
  };
}

export async function restoreContext(
  profile: Profile,
  setRoot: string,
  target: RestoreTarget,
  opts: {
    signal?: AbortSignal;
    onProgress?: (message: string) => void;
    onJournal?: (o: ScratchObject) => void;
  } = {},
): Promise<{ ctx: RestoreContext; rec: RestoreRecord }> {
  const look = await lookContext(profile, setRoot, target, opts.signal);
  const rec: RestoreRecord = { progress: [], statements: [], warnings: [], journal: [], log: [] };
  const ctx: RestoreContext = {
    ...look,
    log: {
      info: (m) => rec.log.push(`info: ${m}`),
      warn: (m) => rec.log.push(`warn: ${m}`),
      error: (m) => rec.log.push(`error: ${m}`),
      child: () => ctx.log,
    },
    progress: {
      report: (fraction, c = {}) => {
        rec.progress.push({
          fraction,
          ...(c.message ? { message: c.message } : {}),
          ...(c.activity ? { activity: c.activity } : {}),
        });
        if (c.message) opts.onProgress?.(c.message);
      },
    },
    statement: (s) => rec.statements.push(s),
    warn: (code, message) => rec.warnings.push({ code, message }),
    journal: (o) => {
      rec.journal.push(o);
      opts.onJournal?.(o);
      return Promise.resolve();
    },
  };
  return { ctx, rec };
}

/** Fractions never go back and end at 1. */
export function monotonic(rec: RestoreRecord): boolean {
  const f = rec.progress.map((p) => p.fraction);
  return f.every((x, i) => i === 0 || x >= (f[i - 1] ?? 0)) && f.at(-1) === 1;
}
