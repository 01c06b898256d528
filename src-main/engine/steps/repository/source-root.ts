// The repository folder itself: it must exist, be a folder and be listable, and it must not be a
// system root ("/", "C:\\") or a kernel file system (/proc, /sys, /dev): walking those would archive
// the whole machine, or hang. A configured path that is a link (e.g. /opt/octane/repo -> /data/repo)
// is resolved once, here; links inside it never are.
import { opendir, realpath, stat } from 'node:fs/promises';
import { ExpectedError } from '../../errors.js';

export async function openSourceRoot(path: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (err) {
    throw sourceError(err, path);
  }
  const system = systemFolder(real);
  if (system !== undefined)
    throw new ExpectedError(
      'REPOSITORY_IS_SYSTEM_ROOT',
      `The repository path ${path} is ${system}, not Octane's repository folder; it is never archived.`,
      {
        step: 'repository',
        fix: "Set repository.path to Octane's repository folder (RepositoryFolder in setup.xml / octane.conf), e.g. /opt/octane/repo or C:\\octane\\repo.",
        details: { path, real },
      },
    );
  let isDir: boolean;
  try {
    isDir = (await stat(real)).isDirectory();
  } catch (err) {
    throw sourceError(err, path);
  }
  if (!isDir)
    throw new ExpectedError(
      'REPOSITORY_NOT_A_FOLDER',
      `The repository path ${path} is a file, not a folder.`,
      {
        step: 'repository',
        fix: "Set repository.path to Octane's repository folder (RepositoryFolder in setup.xml / octane.conf), e.g. /opt/octane/repo or C:\\octane\\repo.",
        details: { path },
      },
    );
  try {
    const dir = await opendir(real);
    await dir.close();
  } catch (err) {
    throw sourceError(err, path);
  }
  return real;
}

/** Why `real` may never be a repository folder, or undefined. */
export function systemFolder(real: string): string | undefined {
  if (real === '/' || /^[A-Za-z]:[\\/]?$/.test(real))
    return `the root of ${real === '/' ? 'the file system' : 'a drive'} (${real})`;
  const kernel = /^\/(proc|sys|dev)(\/|$)/.exec(real);
  if (kernel && process.platform !== 'win32') return `inside /${kernel[1]}, a kernel file system`;
  return undefined;
}

function sourceError(err: unknown, path: string): ExpectedError {
  const code = (err as { code?: string }).code;
  const base = { step: 'repository' as const, cause: err, details: { path, code } };
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new ExpectedError('REPOSITORY_NOT_FOUND', `The repository folder ${path} does not exist.`, {
      ...base,
      fix: "Check repository.path: it must be Octane's repository folder as this machine sees it (a local path or a reachable share).",
    });
  if (code === 'EACCES' || code === 'EPERM')
    return new ExpectedError(
      'REPOSITORY_UNREADABLE',
      `This account may not read the repository folder ${path} (${code}).`,
      {
        ...base,
        fix: 'Run the backup as an account that can read the whole repository folder (for example the account Octane runs as, or an administrator).',
      },
    );
  return new ExpectedError(
    'REPOSITORY_UNREADABLE',
    `The repository folder ${path} cannot be read (${code ?? (err as Error).message}).`,
    {
      ...base,
      fix: 'Check that the drive or share holding the repository folder is reachable, then try again.',
    },
  );
}
