// The plan of a config-file restore: each copy checked against the manifest, each current file
// looked at, then per file the move aside, the copy and the check after. Reads only.
import { dirname } from 'node:path';
import type { Manifest } from '../../../contract/manifest.js';
import { ExpectedError } from '../../errors.js';
import { PlanBuilder, type RestorePlan } from '../plan.js';
import { asideName } from '../repository/target-folder.js';
import { inspectConfigRestore } from './restore-config-files.js';

export async function planConfigRestore(
  setPath: string,
  manifest: Manifest,
  opts: { now?: Date; targets?: Record<string, string> } = {},
): Promise<RestorePlan> {
  const b = new PlanBuilder("Octane's config files");
  let inspected: Awaited<ReturnType<typeof inspectConfigRestore>>;
  try {
    inspected = await inspectConfigRestore(setPath, manifest, opts);
  } catch (err) {
    const e = err instanceof ExpectedError ? err : undefined;
    b.check(
      false,
      'The config copies in the set cannot be restored.',
      e ? `${e.message}${e.fix ? ` ${e.fix}` : ''}` : String(err),
    );
    return b.build();
  }
  if (inspected.items.length === 0) {
    b.check(true, 'The set holds no config copies (only pre-upgrade sets do): nothing to restore.');
    return b.build();
  }
  const now = opts.now ?? new Date();
  inspected.items.forEach((item) =>
    b.check(
      true,
      `${item.copy} in the set matches the manifest (${item.bytes} bytes, SHA-256 ${item.sha256.slice(0, 12)}…).`,
    ),
  );
  inspected.items.forEach((item, i) => {
    const state = inspected.states[i];
    if (state?.current === 'same') {
      b.check(true, `${item.destination} already holds that copy (same SHA-256): left as it is.`);
      return;
    }
    if (state?.folderMissing) b.step('create', `Create the folder ${dirname(item.destination)}.`);
    if (state?.current === 'different')
      b.step(
        'move',
        `Move ${item.destination} aside to ${asideName(item.destination, now)} (kept; SHA-256 ${state.previousSha256?.slice(0, 12)}…).`,
      );
    b.step(
      'copy',
      `Copy ${item.copy} to ${item.destination}${state?.current === 'different' ? ', keeping the current file’s permissions and owner' : ''} (written beside it first, then renamed into place).`,
    );
    b.step(
      'compare',
      `Check that ${item.destination} has SHA-256 ${item.sha256.slice(0, 12)}… (the manifest's).`,
    );
  });
  return b.build();
}
