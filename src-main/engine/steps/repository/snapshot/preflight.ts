// The preflight's word on snapshot mode: can this machine freeze the repository's volume (rights,
// a local volume of a kind the method handles)? Only checks; nothing is created. A share or a
// missing right proposes bracketed capture, which needs neither.
import type { PreflightCheck } from '../../../../contract/preflight.js';
import { ExpectedError } from '../../../errors.js';
import type { RepositorySettings } from '../config.js';
import { chooseProvider, defaultSnapshotEnv } from './choose.js';
import { SnapshotJournal } from './journal.js';
import type { SnapshotEnv } from './provider.js';

export async function snapshotCheck(
  s: RepositorySettings,
  root: string,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv,
  over: Partial<SnapshotEnv> | undefined,
): Promise<PreflightCheck> {
  const id = 'repository:snapshot';
  const title = 'Repository can be frozen (snapshot mode)';
  const provider = chooseProvider(s.snapshotMethod, {
    configured: s.path,
    root,
    name: 'preflight',
    setName: 'preflight',
    journal: SnapshotJournal.inProfileFolder(s.profileFolder),
    snapshotDir: s.snapshotDir,
    lvmSnapshotSize: s.lvmSnapshotSize,
    env: defaultSnapshotEnv(env, over),
  });
  try {
    await provider.prepare(signal);
    return {
      id,
      component: 'repository',
      title,
      status: 'ok',
      message: `The repository folder can be frozen with ${provider.method} at the database's consistency point.`,
    };
  } catch (err) {
    const e = err instanceof ExpectedError ? err : undefined;
    return {
      id,
      component: 'repository',
      title,
      // A run still makes a complete set (archived live after the point), with a wider window.
      status: 'warning',
      message: `${e?.message ?? (err as Error).message} A run would archive the repository live after the database's point instead (a wider consistency window).`,
      fix: e?.fix ?? 'Use repository.capture "bracketed", which needs no rights and works on shares.',
    };
  }
}
