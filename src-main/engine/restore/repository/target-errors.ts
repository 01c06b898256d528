// File-system errors on the restore target, in plain words with a fix. The restore never deletes
// the folder it moved aside, so every fix can point at it.
import type { ErrorWhere } from '../../../contract/errors.js';
import { ExpectedError, isAbortError } from '../../errors.js';

export function restoreTargetError(err: unknown, path: string, step: ErrorWhere = 'repository'): Error {
  if (err instanceof ExpectedError || isAbortError(err)) return err as Error;
  const code = (err as { code?: string }).code;
  const base = { step, cause: err, details: { path, ...(code && { errno: code }) } };
  switch (code) {
    case 'ENOSPC':
      return new ExpectedError('RESTORE_TARGET_FULL', `The disk is full while restoring ${path}.`, {
        ...base,
        fix: 'Free space on that volume (the folder moved aside still takes its space there), or restore onto a larger volume, then start the restore again.',
      });
    case 'EDQUOT':
      return new ExpectedError(
        'RESTORE_TARGET_QUOTA',
        `The disk quota is exhausted while restoring ${path}.`,
        {
          ...base,
          fix: 'Raise the quota of the account that runs the restore on that volume, then start again.',
        },
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ExpectedError(
        'RESTORE_TARGET_NOT_WRITABLE',
        `This account may not write ${path} (${code}).`,
        {
          ...base,
          fix: 'Run the restore as an account that may write the repository folder and its parent folder (the account Octane runs as, or an administrator/root).',
        },
      );
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
    case 'EIO':
    case 'ESTALE':
      return new ExpectedError(
        'RESTORE_TARGET_GONE',
        `The restore target is no longer reachable (${code}) at ${path}.`,
        {
          ...base,
          fix: 'Check that the volume or share holding the repository folder is still mounted and reachable, then start again.',
        },
      );
    case 'EFBIG':
      return new ExpectedError(
        'RESTORE_TARGET_FILE_TOO_LARGE',
        `The target file system refused a file this large at ${path}.`,
        {
          ...base,
          fix: 'The target is probably FAT32 (4 GiB per file): restore onto an NTFS, ext4 or XFS volume.',
        },
      );
    case 'ENAMETOOLONG':
      return new ExpectedError(
        'RESTORE_NAME_TOO_LONG',
        `The path ${path} is too long for the target file system.`,
        {
          ...base,
          fix: 'Restore into a folder with a shorter path (on Windows, enable long paths: LongPathsEnabled).',
        },
      );
    default:
      return new ExpectedError('RESTORE_WRITE_FAILED', `Writing ${path} failed: ${(err as Error).message}`, {
        ...base,
        fix: 'Check the target volume (space, permissions, health), then start the restore again.',
      });
  }
}

export function unsafeEntryError(archive: string, entry: string, reason: string): ExpectedError {
  return new ExpectedError('ARCHIVE_ENTRY_UNSAFE', `The archive entry "${entry}" is refused: ${reason}.`, {
    step: 'repository',
    fix: `Sets written by Octane Backup Manager never hold such an entry: ${archive} was altered or not written by this tool. Do not restore from it; restore from another set.`,
    details: { archive, entry, reason },
  });
}
