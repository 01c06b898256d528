// Octane's config files (octane.conf, setup.xml, octane.yml …) from a pre-upgrade set, put back
// where they were copied from, after the databases and indices and before the repository folder
// (Octane's rollback order). Each current file is moved aside, never deleted. The files go back on
// THIS machine: a destination folder that does not exist here means the restore runs on the wrong
// machine, so it is refused rather than created.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAbortError, toErrorInfo } from '../errors.js';
import { planConfigRestore } from '../restore/octane-config/plan-config.js';
import { configRestoreItems } from '../restore/octane-config/config-items.js';
import {
  restoreConfigFiles,
  type ConfigRestoreResult,
} from '../restore/octane-config/restore-config-files.js';
import { splitFilePlan } from './file-plans.js';
import type { RestoreStage, StageEnv } from './stage.js';

function copies(env: StageEnv): number {
  const a = env.set.manifest.octane?.artifacts;
  return Array.isArray(a) ? a.length : 0;
}

const LEAVES =
  'Config files already put back stay; the others stay as they were. Every replaced file is kept beside it as <file>.before-restore-<time>.';

export const configStage: RestoreStage = {
  id: 'config',
  unavailable: (env) =>
    copies(env) === 0
      ? "the set holds no copies of Octane's config files (only pre-upgrade sets do)"
      : undefined,
  title: (env) =>
    copies(env)
      ? `Octane's config files (${copies(env)} file(s) of a pre-upgrade set)`
      : "Octane's config files",
  bytes: (env) =>
    (env.set.manifest.octane?.artifacts ?? []).reduce((a, x) => a + (x.bytes > 0 ? x.bytes : 0), 0),
  async look(env) {
    const p = await planConfigRestore(env.set.path, env.set.manifest, { now: env.now });
    const out = splitFilePlan('config', p, "Put Octane's config files back where they were copied from");
    let items: ReturnType<typeof configRestoreItems> = [];
    try {
      items = configRestoreItems(env.set.path, env.set.manifest);
    } catch {
      /* the plan above already says why the copies cannot be used */
    }
    const missing = items.filter((i) => !existsSync(dirname(i.destination)));
    if (missing.length)
      out.checks.push({
        id: 'config.here',
        scope: 'config',
        title: 'This is the Octane server',
        status: 'failed',
        message: `${missing.map((i) => dirname(i.destination)).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist on this machine: the config files go back where they were copied from, on the Octane server.`,
        fix: "Run the restore of Octane's config files on the Octane server (every node has its own octane.conf), or leave them out (--only database,elasticsearch,repository).",
      });
    return out;
  },
  async run(env, hooks) {
    hooks.progress(0, { message: "Putting Octane's config files back" }, LEAVES);
    let r: ConfigRestoreResult;
    try {
      r = await restoreConfigFiles(env.set.path, env.set.manifest, { signal: env.signal, now: env.now });
    } catch (err) {
      if (isAbortError(err)) return { status: 'cancelled', state: LEAVES };
      const error = toErrorInfo(err, { where: 'restore' });
      return { status: 'failed', state: `No config file was changed. ${error.message}`, error };
    }
    hooks.progress(1, { message: `${r.files.length} config file(s) handled` }, LEAVES);
    const state = r.files
      .map(
        (f) =>
          `${f.destination}: ${f.status}${f.movedAside ? ` (the previous file is kept at ${f.movedAside})` : ''}`,
      )
      .join('; ');
    const status = r.status === 'restored' ? 'succeeded' : r.status;
    return {
      status,
      state: state || 'No config file to put back.',
      ...(r.error && { error: r.error }),
      details: r,
    };
  },
  cleanup: () => Promise.resolve({ removed: [], absent: [], failed: [] }),
};
