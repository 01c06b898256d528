// Puts Octane's config files back from a pre-upgrade set. Every copy is checked against the
// manifest before anything changes; each current file is moved aside (`<file>.before-restore-
// <stamp>`, never deleted) and the copy is written next to it first, so the destination is
// without a file only for the instant of a rename; the result is hashed again in place.
import {
  existsSync,
  mkdirSync,
  chownSync,
  chmodSync,
  copyFileSync,
  lstatSync,
  openSync,
  fsyncSync,
  closeSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { ErrorInfo } from '../../../contract/errors.js';
import type { Manifest } from '../../../contract/manifest.js';
import { hashFile } from '../../backup-set/verify.js';
import { ExpectedError, isAbortError, throwIfAborted, toErrorInfo } from '../../errors.js';
import { asideName } from '../repository/target-folder.js';
import { restoreTargetError } from '../repository/target-errors.js';
import { configRestoreItems, type ConfigRestoreItem } from './config-items.js';

export interface ConfigFileState {
  copy: string;
  destination: string;
  /** The file at the destination before the restore (when there was one). */
  previousSha256?: string;
  current: 'missing' | 'same' | 'different';
  /** The destination's folder does not exist (a new server): the restore creates it. */
  folderMissing?: boolean;
}

export interface ConfigFileOutcome extends ConfigFileState {
  status: 'restored' | 'unchanged' | 'failed' | 'not-started';
  /** Where the previous file now is (kept). */
  movedAside?: string;
  /** SHA-256 of the file in place after the restore (equal to the set's). */
  restoredSha256?: string;
  error?: ErrorInfo;
}

export interface ConfigRestoreResult {
  status: 'restored' | 'failed' | 'cancelled';
  files: ConfigFileOutcome[];
  error?: ErrorInfo;
}

export interface ConfigRestoreOptions {
  signal: AbortSignal;
  now?: Date;
  /** Other destinations by copy ("octane-config/octane.conf" -> path). */
  targets?: Record<string, string>;
}

/** Checks every copy against the manifest and looks at every destination; changes nothing. */
export async function inspectConfigRestore(
  setPath: string,
  manifest: Manifest,
  opts: { signal?: AbortSignal; targets?: Record<string, string> } = {},
): Promise<{ items: ConfigRestoreItem[]; states: ConfigFileState[] }> {
  const items = configRestoreItems(setPath, manifest, opts.targets);
  const states: ConfigFileState[] = [];
  for (const item of items) {
    const copy = await hashFile(item.copyPath, opts.signal).catch((err: unknown) => {
      if (isAbortError(err)) throw err;
      return undefined;
    });
    if (!copy || copy.sha256 !== item.sha256 || copy.bytes !== item.bytes)
      throw new ExpectedError(
        'CONFIG_COPY_DAMAGED',
        `The copy ${item.copy} in the set is ${copy ? 'altered (its SHA-256 differs from the manifest)' : 'missing or unreadable'}; no config file was changed.`,
        {
          step: 'restore',
          fix: 'Restore the config files from another pre-upgrade set, or by hand from copies you trust.',
          details: { copy: item.copy },
        },
      );
    item.destination = followLink(item.destination);
    const st = lstatSync(item.destination, { throwIfNoEntry: false });
    if (st && !st.isFile())
      throw new ExpectedError(
        'CONFIG_TARGET_NOT_A_FILE',
        `${item.destination} exists but is not a file; no config file was changed.`,
        {
          step: 'restore',
          fix: 'Check the destination; move what is there away by hand if it does not belong there.',
          details: { destination: item.destination },
        },
      );
    const previous = st ? (await hashFile(item.destination, opts.signal)).sha256 : undefined;
    states.push({
      copy: item.copy,
      destination: item.destination,
      ...(previous && { previousSha256: previous }),
      current: previous === undefined ? 'missing' : previous === item.sha256 ? 'same' : 'different',
      ...(!existsSync(dirname(item.destination)) && { folderMissing: true }),
    });
  }
  return { items, states };
}

export async function restoreConfigFiles(
  setPath: string,
  manifest: Manifest,
  opts: ConfigRestoreOptions,
): Promise<ConfigRestoreResult> {
  const files: ConfigFileOutcome[] = [];
  let inspected: Awaited<ReturnType<typeof inspectConfigRestore>>;
  try {
    inspected = await inspectConfigRestore(setPath, manifest, opts);
  } catch (err) {
    return {
      status: isAbortError(err) ? 'cancelled' : 'failed',
      files,
      error: toErrorInfo(err, { where: 'restore' }),
    };
  }
  const now = opts.now ?? new Date();
  let stop: unknown;
  inspected.items.forEach((item, i) => {
    const state = inspected.states[i] as ConfigFileState;
    if (stop !== undefined) return void files.push({ ...state, status: 'not-started' });
    if (state.current === 'same') return void files.push({ ...state, status: 'unchanged' });
    try {
      throwIfAborted(opts.signal);
      const out = putBack(item, state, now);
      files.push(out);
      if (out.status === 'failed') stop = out.error; // one failure stops the rest: no half-mixed config
    } catch (err) {
      stop = err;
      files.push({
        ...state,
        status: isAbortError(err) ? 'not-started' : 'failed',
        ...(!isAbortError(err) && { error: toErrorInfo(err, { where: 'restore' }) }),
      });
    }
  });
  for (const f of files.filter((f) => f.status === 'restored')) {
    const after = await hashFile(f.destination, opts.signal).catch(() => ({ sha256: 'unreadable' }));
    f.restoredSha256 = after.sha256;
    const item = inspected.items.find((x) => x.destination === f.destination);
    if (after.sha256 !== item?.sha256) {
      f.status = 'failed';
      f.error = toErrorInfo(
        new ExpectedError(
          'CONFIG_RESTORED_ALTERED',
          `${f.destination} does not hold the set's copy after the restore (its SHA-256 differs).`,
          {
            step: 'restore',
            fix: 'Something changed the file right after it was written (Octane running? a deployment tool?). Stop it and restore again.',
          },
        ),
      );
    }
  }
  const failed = files.find((f) => f.status === 'failed');
  if (stop !== undefined && isAbortError(stop)) return { status: 'cancelled', files };
  return { status: failed ? 'failed' : 'restored', files, ...(failed?.error && { error: failed.error }) };
}

/** Writes the copy next to the destination, moves the current file aside, renames the copy into place. */
function putBack(item: ConfigRestoreItem, state: ConfigFileState, now: Date): ConfigFileOutcome {
  const dest = item.destination;
  const partial = asideName(dest, now, 'restore-partial');
  let aside: string | undefined;
  try {
    if (state.folderMissing) mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(item.copyPath, partial);
    const current = statSync(dest, { throwIfNoEntry: false });
    if (current && process.platform !== 'win32') {
      chmodSync(partial, current.mode & 0o7777);
      if (process.getuid?.() === 0) chownSync(partial, current.uid, current.gid);
    }
    syncFile(partial);
    if (lstatSync(dest, { throwIfNoEntry: false })) {
      aside = asideName(dest, now);
      renameSync(dest, aside);
    }
    renameSync(partial, dest);
    syncFile(dirname(dest));
    return { ...state, status: 'restored', ...(aside && { movedAside: aside }) };
  } catch (err) {
    rmSync(partial, { force: true });
    if (aside) {
      try {
        renameSync(aside, dest); // the previous file back in its place
        aside = undefined;
      } catch {
        /* it stays aside; the outcome says where */
      }
    }
    const e = restoreTargetError(err, dest, 'restore');
    return {
      ...state,
      status: 'failed',
      ...(aside && { movedAside: aside }),
      error: toErrorInfo(e, { where: 'restore' }),
    };
  }
}

function syncFile(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    /* folders cannot be opened for fsync on Windows; the rename is still done */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A destination that is a link: the file it names is restored (the link itself is Octane's layout). */
function followLink(path: string): string {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st?.isSymbolicLink()) return path;
  try {
    return realpathSync(path);
  } catch {
    return path; // a dangling link: replaced by the file
  }
}
