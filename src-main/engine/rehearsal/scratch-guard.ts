// A rehearsal never touches the live installation: its scratch targets are refused when they are
// (or lie inside, or contain) what the profile describes as live. Database and index names are
// safe by construction (`<db>__rehearsal_<set id>`, `rehearsal-<set id>-<index>`, and the
// primitives refuse a scratch name that already exists); the folders are where a wrong setting
// could point a rehearsal at live data, so they are checked here, before anything is created.
import { resolve } from 'node:path';
import { isSameOrInside, pathPlatform } from '../../contract/local-paths.js';
import type { Profile } from '../../contract/profile.js';
import { ExpectedError } from '../errors.js';

/** Plain name of the scratch folder a rehearsal extracts the repository into. */
export function scratchFolderName(setId: string, rehearsalId: string): string {
  return `octane-rehearsal-${setId}-${rehearsalId}`;
}

/** Only folders named like this are ever removed by a rehearsal cleanup. */
export const SCRATCH_FOLDER_PATTERN = /^octane-rehearsal-[0-9a-f]+-[0-9a-f]+$/;

/**
 * Throws REHEARSAL_TARGET_IS_LIVE when `scratchParent` is the live repository folder or lies inside
 * it, or lies inside the set being rehearsed.
 */
export function refuseLiveFolder(profile: Profile, scratchParent: string, setPath: string): void {
  const platform = pathPlatform(process.platform);
  const scratch = resolve(scratchParent);
  const live = profile.repository?.path;
  // The scratch folder is a new folder made inside `scratchParent`: it can only land in live data
  // when its parent is the live folder or lies inside it.
  if (live !== undefined && isSameOrInside(scratch, resolve(live), platform))
    throw new ExpectedError(
      'REHEARSAL_TARGET_IS_LIVE',
      `The rehearsal's scratch folder ${scratch} is (or lies inside) the live repository folder ${live}: a rehearsal never restores into the live installation.`,
      {
        step: 'rehearsal',
        fix: 'Give a scratch folder outside the repository folder (octane-backup rehearse … --scratch <folder>), on a volume with room for the extracted repository.',
      },
    );
  if (isSameOrInside(scratch, resolve(setPath), platform))
    throw new ExpectedError(
      'REHEARSAL_TARGET_IS_LIVE',
      `The rehearsal's scratch folder ${scratch} lies inside the set being rehearsed (${setPath}).`,
      { step: 'rehearsal', fix: 'Give a scratch folder outside the backup set.' },
    );
}

/** The database scratch folder must not be the live databases' own folder on the server. */
export function refuseLiveDatabaseFolder(profile: Profile): void {
  const db = profile.database;
  if (db?.engine !== 'sqlserver' || !db.rehearsalDir) return;
  const backupDir = db.serverBackupDir;
  if (backupDir && sameServerPath(db.rehearsalDir, backupDir))
    throw new ExpectedError(
      'REHEARSAL_TARGET_IS_LIVE',
      `database.rehearsalDir (${db.rehearsalDir}) is the server's backup folder (database.serverBackupDir): the rehearsal's scratch database files would mix with the live backups.`,
      {
        step: 'rehearsal',
        fix: 'Set database.rehearsalDir to a folder of its own on the SQL Server host (e.g. D:\\OctaneRehearsal).',
      },
    );
}

function sameServerPath(a: string, b: string): boolean {
  const norm = (p: string): string =>
    p
      .replace(/[\\/]+$/, '')
      .replace(/\//g, '\\')
      .toLowerCase();
  return norm(a) === norm(b);
}
