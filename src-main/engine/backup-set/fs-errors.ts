// Turns file-system errors on a destination into plain words with a fix.
import { ExpectedError } from '../errors.js';
import type { ErrorWhere } from '../../contract/errors.js';

export function destinationError(err: unknown, path: string, step?: ErrorWhere): ExpectedError {
  const code = (err as { code?: string }).code;
  const base = { step, cause: err, details: { path } } as const;
  switch (code) {
    case 'ENOSPC':
      return new ExpectedError('DESTINATION_FULL', `The destination is full while writing ${path}.`, {
        ...base,
        fix: 'Free space on the destination drive or choose a larger one, then run the backup again.',
      });
    case 'EDQUOT':
      return new ExpectedError('DESTINATION_QUOTA', `The disk quota is exhausted while writing ${path}.`, {
        ...base,
        fix: 'Raise the quota for this account on the destination or choose another destination.',
      });
    case 'ENOENT':
    case 'ENODEV':
    case 'EIO':
    case 'ENXIO':
      return new ExpectedError(
        'DESTINATION_GONE',
        `The destination is no longer reachable (${code}) at ${path}.`,
        {
          ...base,
          fix: 'Check that the drive is still connected (or the share still reachable) and run the backup again.',
        },
      );
    case 'ENOTDIR':
      return new ExpectedError('DESTINATION_NOT_A_FOLDER', `A part of ${path} is a file, not a folder.`, {
        ...base,
        fix: "Choose a destination folder (not a file), or rename the file that has the folder's name.",
      });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ExpectedError('DESTINATION_NOT_WRITABLE', `This account may not write ${path} (${code}).`, {
        ...base,
        fix: 'Give the account that runs the backup write access to the destination, or choose another folder.',
      });
    case 'EFBIG':
      return new ExpectedError(
        'DESTINATION_FILE_TOO_LARGE',
        `The destination file system refused a file this large at ${path}.`,
        {
          ...base,
          fix: 'The destination is probably FAT32 (4 GiB limit per file): reformat it as NTFS/exFAT or choose another destination.',
        },
      );
    default:
      return new ExpectedError(
        'DESTINATION_WRITE_FAILED',
        `Writing ${path} failed: ${(err as Error).message}`,
        {
          ...base,
          fix: 'Check the destination drive and its free space, then run the backup again.',
        },
      );
  }
}
