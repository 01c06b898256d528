// The FAT32 rule while the scanner runs ahead: a file of 4 GiB or more (or an uncompressed archive
// that will pass 4 GiB) on a FAT destination stops the run as soon as it is known, and always
// before any byte of such a file is written.
import { ExpectedError } from '../../errors.js';
import type { StepContext } from '../../step.js';
import type { RepositorySettings } from './config.js';
import { FAT32_MAX_FILE } from './fs-type.js';
import { fatLimitProblem } from './preflight.js';
import { emptyTotals, type TreeTotals, type WalkEntry } from './walk.js';

export interface FatGuard {
  /** For the scanner: judges the totals so far (the archive's estimated size). */
  onScanned: (t: TreeTotals, e: WalkEntry) => void;
  /** Before each entry is written: judges the file alone. */
  check: (e: WalkEntry) => void;
}

export function fatGuard(ctx: StepContext, s: RepositorySettings, fsType: string | undefined): FatGuard {
  let warned = false;
  const judge = (t: TreeTotals): void => {
    const fat = fatLimitProblem(fsType, s, t);
    if (fat?.status === 'failed')
      throw new ExpectedError('DESTINATION_FAT32_LIMIT', fat.message, {
        step: 'repository',
        fix: fat.fix,
        details: { destination: s.destination },
      });
    if (fat && !warned) {
      warned = true;
      ctx.log.warn(fat.message);
    }
  };
  return {
    onScanned: (t) => judge(t),
    // The file alone (bytes 0 keeps the whole-archive estimate out of it): refused before it is opened.
    check: (e) => {
      if (e.kind === 'file' && e.stats.size > FAT32_MAX_FILE)
        judge({ ...emptyTotals(), files: 1, largestFile: e.stats.size, largestFilePath: e.rel });
    },
  };
}
