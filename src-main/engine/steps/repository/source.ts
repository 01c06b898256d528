// The repository folder as the step finds it before any pass (where it is, who it is, what it is
// mounted on, what the last good set held), and the verdict on the capture afterwards
// (source-policy.ts: a capture that holds less than the repository fails the step).
import { relative, sep } from 'node:path';
import type { StepContext } from '../../step.js';
import { setsInsideSource, type RepositorySettings } from './config.js';
import type { MountInfo } from './fs-type.js';
import type { RepositoryStepInternals } from './internals.js';
import {
  captureError,
  compareWithPrevious,
  notMountedError,
  previousCapture,
  rootChange,
  rootIdentity,
  sourceMount,
  type PreviousCapture,
  type RootIdentity,
} from './source-policy.js';
import { openSourceRoot } from './source-root.js';
import { warningSink, type WarningSink } from './warning-sink.js';

export interface RepositorySource {
  /** The real path of the live folder. */
  root: string;
  identity: RootIdentity;
  mount: MountInfo | undefined;
  previous: PreviousCapture | undefined;
  /** Folders left out (the destination when it lies inside the repository). */
  exclude: Set<string>;
  warn: WarningSink;
}

export async function openRepositorySource(
  ctx: StepContext,
  s: RepositorySettings,
  internals: RepositoryStepInternals,
): Promise<RepositorySource> {
  const root = await openSourceRoot(s.path);
  const notMounted = await notMountedError(root, s.path, internals.mountTables);
  if (notMounted) throw notMounted;
  const identity = await rootIdentity(root);
  const mount = await sourceMount(root, internals.mountTables);
  const previous = await previousCapture(s.profileFolder);
  const warn = warningSink(ctx);
  const inside = await setsInsideSource(root, s);
  const exclude = new Set(inside === undefined ? [] : [inside]);
  if (inside !== undefined)
    warn.add(
      'DESTINATION_INSIDE_SOURCE',
      `The backup sets are written inside the repository folder (${inside}); that folder is left out of the archive. Choose a destination outside ${root}.`,
      relative(root, inside).split(sep).join('/'),
    );
  return { root, identity, mount, previous, exclude, warn };
}

/** Throws when the capture is not a complete copy of the repository (after the archive is committed). */
export async function judgeCapture(
  ctx: StepContext,
  s: RepositorySettings,
  src: RepositorySource,
  totals: { files: number; bytes: number },
): Promise<void> {
  const { warn } = src;
  warn.summarize();
  ctx.record.detail('sourceMount', src.mount);
  const comparison = compareWithPrevious(src.previous, {
    files: totals.files,
    bytes: totals.bytes,
    source: src.root,
    mount: src.mount,
  });
  if (comparison.shrank) warn.add('REPOSITORY_SHRANK', comparison.shrank, '');
  if (comparison.mountChanged) warn.add('REPOSITORY_MOUNT_CHANGED', comparison.mountChanged, '');
  const failure = captureError({
    files: totals.files,
    allowEmpty: s.allowEmpty,
    configured: s.path,
    rootChanged: await rootChange(s.path, src.identity),
    comparison,
    warned: warn.count,
  });
  if (failure) throw failure;
}
