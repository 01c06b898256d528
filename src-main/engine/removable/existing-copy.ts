// What the target already holds under the set's name: nothing, this very set verified intact
// (nothing to copy), an interrupted copy (in-progress marker: replaced), or something else (refused,
// never overwritten).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IN_PROGRESS_MARKER, MANIFEST_FILE } from '../../contract/manifest.js';
import type { VerifyVerdict } from '../../contract/sets.js';
import { latestVerification } from '../backup-set/verification-record.js';
import { ExpectedError } from '../errors.js';
import { pathExists } from '../path-exists.js';
import type { ExportSource } from './export-source.js';

export type ExistingCopy =
  { kind: 'none' } | { kind: 'interrupted' } | { kind: 'intact'; at: string; verdict: VerifyVerdict };

export async function existingCopy(copyRoot: string, source: ExportSource): Promise<ExistingCopy> {
  if (!(await pathExists(copyRoot))) return { kind: 'none' };
  if (await pathExists(join(copyRoot, IN_PROGRESS_MARKER))) return { kind: 'interrupted' };
  const manifest = await readFile(join(copyRoot, MANIFEST_FILE)).catch(() => undefined);
  const last = await latestVerification(copyRoot);
  if (
    manifest?.equals(source.manifestBytes) &&
    last &&
    !last.damaged &&
    (last.verdict === 'intact' || last.verdict === 'intact-partial')
  )
    return { kind: 'intact', at: last.at, verdict: last.verdict };
  throw new ExpectedError(
    'EXPORT_TARGET_EXISTS',
    `${copyRoot} already exists and is not a verified copy of this set: it is left as it is.`,
    {
      step: 'export',
      fix: 'Verify that folder (octane-backup verify) and delete it if it is damaged, or export to another drive.',
      details: { path: copyRoot },
    },
  );
}
