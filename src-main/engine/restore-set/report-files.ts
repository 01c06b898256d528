// Where a restore leaves its report and journal: in the set folder's restore-reports/ (the report
// travels with the set it is about; like run.log it is not a manifest artifact), or, when the set
// is read-only (a share, a DVD), in the system's temp folder, said in the report. Files are written
// whole (temp file, fsync, rename): a reader never sees half a report.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { RestoreReport } from '../../contract/restore-run.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../backup-set/private-modes.js';
import { reportMarkdown } from './markdown.js';

export const RESTORE_REPORTS_FOLDER = 'restore-reports';
/** The runbook every set carries (written at backup time, refreshed on demand). */
export const RUNBOOK_FILE = 'RESTORE.md';

export async function reportsFolder(setPath: string): Promise<{ dir: string; inSet: boolean }> {
  const inSet = join(setPath, RESTORE_REPORTS_FOLDER);
  try {
    await mkdir(inSet, { recursive: true, mode: PRIVATE_DIR_MODE });
    const probe = join(inSet, `.probe-${randomBytes(4).toString('hex')}`);
    await writeWhole(probe, '');
    await rm(probe, { force: true });
    return { dir: inSet, inSet: true };
  } catch {
    const dir = join(tmpdir(), 'octane-backup-restore-reports', basename(setPath));
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    return { dir, inSet: false };
  }
}

export async function writeWhole(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Writes <base>.json and <base>.md; returns the JSON's path (also set in the report). */
export async function writeReportFiles(dir: string, base: string, report: RestoreReport): Promise<string> {
  const json = join(dir, `${base}.json`);
  report.reportPath = json;
  await writeWhole(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeWhole(join(dir, `${base}.md`), reportMarkdown(report));
  return json;
}
