// Turns file-system errors on a destination into plain words with a fix. Every code a disk, a share
// or a removable drive gives is named for what it is: a read-only drive is read-only (not "gone"),
// a full one is full (space or file entries), a failing one says so.
import { ExpectedError } from '../errors.js';
import type { ErrorWhere } from '../../contract/errors.js';

interface Words {
  code: string;
  message: (path: string, errno: string) => string;
  fix: string;
}

const RECONNECT =
  'Check that the drive is still connected (or the share still reachable) and run the backup again.';

const WORDS: Record<string, Words> = {
  ENOSPC: {
    code: 'DESTINATION_FULL',
    message: (p) => `The destination is full (no free space, or no free file entries) while writing ${p}.`,
    fix: 'Free space on the destination drive (or delete old sets with retention) or choose a larger one, then run the backup again.',
  },
  EDQUOT: {
    code: 'DESTINATION_QUOTA',
    message: (p) => `The disk quota is exhausted while writing ${p}.`,
    fix: 'Raise the quota for this account on the destination or choose another destination.',
  },
  EROFS: {
    code: 'DESTINATION_READ_ONLY',
    message: (p) => `The destination is read-only (EROFS): ${p} cannot be written.`,
    fix: 'The drive or share is mounted read-only or write-protected (a switch on the drive, a read-only share, or a file system mounted read-only after errors): make it writable, or choose another destination.',
  },
  ENOENT: {
    code: 'DESTINATION_GONE',
    message: (p, e) => `The destination is no longer reachable (${e}) at ${p}.`,
    fix: RECONNECT,
  },
  ENODEV: {
    code: 'DESTINATION_GONE',
    message: (p, e) => `The destination is no longer reachable (${e}) at ${p}.`,
    fix: RECONNECT,
  },
  ENXIO: {
    code: 'DESTINATION_GONE',
    message: (p, e) => `The destination is no longer reachable (${e}) at ${p}.`,
    fix: RECONNECT,
  },
  ESTALE: {
    code: 'DESTINATION_GONE',
    message: (p, e) => `The destination share was disconnected (${e}) at ${p}.`,
    fix: RECONNECT,
  },
  ENOTCONN: {
    code: 'DESTINATION_GONE',
    message: (p, e) => `The destination is no longer connected (${e}) at ${p}.`,
    fix: RECONNECT,
  },
  EIO: {
    code: 'DESTINATION_IO_ERROR',
    message: (p) =>
      `The destination reported an input/output error (EIO) at ${p}: the drive failed or was disconnected.`,
    fix: 'Check the drive (its cable, its health, the system log) and run the backup again; if it repeats, replace the drive.',
  },
  ENOTDIR: {
    code: 'DESTINATION_NOT_A_FOLDER',
    message: (p) => `A part of ${p} is a file, not a folder.`,
    fix: "Choose a destination folder (not a file), or rename the file that has the folder's name.",
  },
  EEXIST: {
    code: 'DESTINATION_NOT_A_FOLDER',
    message: (p) => `${p} already exists as something else than the folder this run needs.`,
    fix: 'Remove or rename what is in the way, or choose another destination.',
  },
  EACCES: {
    code: 'DESTINATION_NOT_WRITABLE',
    message: (p, e) => `This account may not write ${p} (${e}).`,
    fix: 'Give the account that runs the backup write access to the destination, or choose another folder.',
  },
  EFBIG: {
    code: 'DESTINATION_FILE_TOO_LARGE',
    message: (p) => `The destination file system refused a file this large at ${p}.`,
    fix: 'The destination is probably FAT32 (4 GiB limit per file; some drivers and old shares stop at 2 GiB): reformat it as NTFS/exFAT, or choose another destination.',
  },
  ENAMETOOLONG: {
    code: 'DESTINATION_PATH_TOO_LONG',
    message: (p) => `The path ${p} is too long for the destination's file system.`,
    fix: 'Choose a destination folder with a shorter path.',
  },
  EMFILE: {
    code: 'TOO_MANY_OPEN_FILES',
    message: (p, e) => `The system ran out of file handles (${e}) while writing ${p}.`,
    fix: 'Close other programs or raise the open-file limit of the account, then run the backup again.',
  },
};
WORDS.EPERM = WORDS.EACCES as Words;
WORDS.ENFILE = WORDS.EMFILE as Words;
WORDS.ELOOP = WORDS.ENOTDIR as Words;
WORDS.EISDIR = WORDS.EEXIST as Words;

export function destinationError(err: unknown, path: string, step?: ErrorWhere): ExpectedError {
  if (err instanceof ExpectedError) return err;
  const errno = (err as { code?: string }).code ?? '';
  const base = { step, cause: err, details: { path, errno } } as const;
  const words = WORDS[errno];
  if (words) return new ExpectedError(words.code, words.message(path, errno), { ...base, fix: words.fix });
  return new ExpectedError('DESTINATION_WRITE_FAILED', `Writing ${path} failed: ${(err as Error).message}`, {
    ...base,
    fix: 'Check the destination drive and its free space, then run the backup again.',
  });
}
