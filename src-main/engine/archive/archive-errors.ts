// Archive damage and unsupported content as named errors. An archive is untrusted input: every
// message names the archive and, where known, the entry, and the fix never suggests trusting it.
import { ExpectedError } from '../errors.js';
import { isAbortError } from '../errors.js';

const USE_ANOTHER_SET =
  'Run verify on the set. If the archive is damaged, restore from another set (an older one, or a copy on another drive).';

export function archiveCorrupt(
  archive: string,
  what: string,
  details: Record<string, unknown> = {},
): ExpectedError {
  return new ExpectedError('ARCHIVE_CORRUPT', `The archive ${archive} is damaged: ${what}`, {
    step: 'repository',
    fix: USE_ANOTHER_SET,
    details: { archive, ...details },
  });
}

export function archiveTruncated(
  archive: string,
  what: string,
  details: Record<string, unknown> = {},
): ExpectedError {
  return new ExpectedError('ARCHIVE_TRUNCATED', `The archive ${archive} ends too early: ${what}`, {
    step: 'repository',
    fix: `The file was cut short (an interrupted copy, a full disk when it was written). ${USE_ANOTHER_SET}`,
    details: { archive, ...details },
  });
}

export function archiveUnsupported(
  archive: string,
  what: string,
  details: Record<string, unknown> = {},
): ExpectedError {
  return new ExpectedError(
    'ARCHIVE_UNSUPPORTED',
    `The archive ${archive} uses something this tool does not read: ${what}`,
    {
      step: 'repository',
      fix: 'Sets written by Octane Backup Manager never contain this. Extract the archive by hand with 7-Zip or bsdtar, or restore from a set this tool wrote.',
      details: { archive, ...details },
    },
  );
}

/** A failure while reading the archive file itself (gone, unreadable), or a decompression error. */
export function archiveReadError(archive: string, err: unknown): Error {
  if (err instanceof ExpectedError || isAbortError(err)) return err as Error;
  const code = (err as { code?: string }).code;
  const message = (err as Error).message ?? String(err);
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message))
    return archiveTruncated(archive, 'the compressed data stops in the middle of a gzip member.');
  if (
    code?.startsWith('Z_') ||
    /incorrect (header|data) check|invalid (block|distance|code|stored)/i.test(message)
  )
    return archiveCorrupt(archive, `the compressed data does not decompress (${message}).`);
  if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO' || code === 'EIO')
    return new ExpectedError(
      'ARCHIVE_UNREADABLE',
      `The archive ${archive} can no longer be read (${code}).`,
      {
        step: 'repository',
        cause: err,
        fix: 'Check that the drive or share holding the set is still connected, then start again.',
        details: { archive },
      },
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new ExpectedError(
      'ARCHIVE_UNREADABLE',
      `This account may not read the archive ${archive} (${code}).`,
      {
        step: 'repository',
        cause: err,
        fix: 'Run the restore as an account that can read the backup set.',
        details: { archive },
      },
    );
  return err instanceof Error ? err : new Error(message);
}
