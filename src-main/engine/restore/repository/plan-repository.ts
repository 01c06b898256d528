// The plans of the repository restore and its rehearsal: every check, move, extraction and
// comparison in order, computed from the same helpers the restore uses. Reads only.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatBytes, plural } from '../../../contract/format.js';
import { detectArchiveFormat } from '../../archive/open-archive.js';
import { ExpectedError } from '../../errors.js';
import { FileListCheck } from '../file-list/file-list-check.js';
import { PlanBuilder, type RestorePlan } from '../plan.js';
import {
  asideName,
  checkSpace,
  inspectTarget,
  mountPointError,
  ownerFor,
  spaceError,
  type TargetFolder,
} from './target-folder.js';

interface Sources {
  archive: string;
  fileList: string;
  checkSpace?: boolean;
}

type Totals = FileListCheck['totals'];

/** Checks the archive and the file list; returns the list's totals when it can be read. */
async function checkSources(b: PlanBuilder, s: Sources): Promise<Totals | undefined> {
  try {
    const format = await detectArchiveFormat(s.archive);
    b.check(
      true,
      `The set's archive ${s.archive} is a ${format} file of ${formatBytes(statSync(s.archive).size)}.`,
    );
  } catch (err) {
    b.check(false, `The set's archive ${s.archive} cannot be used.`, problem(err));
  }
  try {
    const list = await FileListCheck.load(s.fileList);
    const t = list.totals;
    const p = list.listProblems;
    b.check(
      p.invalidLines === 0 && p.unsafePaths === 0,
      `The file list ${s.fileList} lists ${plural(t.files, 'file')} (${formatBytes(t.bytes)}), ${plural(t.directories, 'folder')} and ${plural(t.symlinks, 'link')}.`,
      `The file list ${s.fileList} has ${plural(p.invalidLines, 'invalid line')} and ${plural(p.unsafePaths, 'unsafe path')}: the set was altered or damaged; restore from another set.`,
    );
    return t;
  } catch (err) {
    b.check(false, `The file list ${s.fileList} cannot be read.`, problem(err));
    return undefined;
  }
}

export async function planRepositoryRestore(
  o: Sources & { target: string; now?: Date },
): Promise<RestorePlan> {
  const b = new PlanBuilder('Repository folder');
  const totals = await checkSources(b, o);
  let t: TargetFolder;
  try {
    t = inspectTarget(o.target);
  } catch (err) {
    b.check(false, `The repository folder ${resolve(o.target)} cannot be used.`, problem(err));
    return b.build();
  }
  if (t.viaLink)
    b.check(
      true,
      `${t.configured} is a link to ${t.real}: the restore goes into ${t.real} (the link stays).`,
    );
  if (!t.exists) b.check(true, `${t.real} does not exist: the restore creates it.`);
  else {
    const e = mountPointError(t);
    b.check(
      !t.mountPoint,
      `${t.real} can be moved aside by renaming it (same volume as its parent folder).`,
      `${e.message} ${e.fix ?? ''}`,
    );
  }
  if (o.checkSpace !== false && totals) {
    const s = checkSpace(t.real, totals.bytes);
    const e = spaceError(s, t.real);
    b.check(s.enough, s.text, `${e.message} ${e.fix ?? ''}`);
  }
  const aside = asideName(t.real, o.now ?? new Date());
  const owner = ownerFor(t);
  if (t.exists)
    b.step('move', `Move ${t.real} aside to ${aside} (a rename on the same volume; nothing is deleted).`);
  b.step(
    'create',
    `Create the empty folder ${t.real}${t.mode !== undefined ? ` with permissions ${t.mode.toString(8).padStart(4, '0')}` : ''}${owner ? ` owned by ${owner.uid}:${owner.gid} (everything restored gets this owner)` : ''}.`,
  );
  b.step(
    'extract',
    `Extract ${o.archive} into ${t.real}${totals ? ` (${plural(totals.entries, 'entry', 'entries')}, ${formatBytes(totals.bytes)})` : ''}: ` +
      'entries that would land outside it are refused, nothing is written through a link, a later entry for the same path replaces an earlier one, ' +
      'modification times are restored (folders after their contents).',
  );
  b.step(
    'compare',
    `Compare ${t.real} with the file list: every entry present with its type and size, and each file's SHA-256 (computed while it is written) where the list has one.`,
  );
  if (t.exists)
    b.step(
      'keep',
      `Keep ${aside} until Octane runs correctly on the restored folder; then delete it by hand.`,
    );
  return b.build();
}

export async function planRepositoryRehearsal(o: Sources & { scratch: string }): Promise<RestorePlan> {
  const b = new PlanBuilder('Repository folder (rehearsal)');
  const totals = await checkSources(b, o);
  const scratch = resolve(o.scratch);
  const exists = statSync(scratch, { throwIfNoEntry: false }) !== undefined;
  b.check(
    !exists,
    `The scratch folder ${scratch} does not exist yet.`,
    `The scratch folder ${scratch} already exists; the rehearsal never uses a folder it did not create. Choose another one.`,
  );
  if (o.checkSpace !== false && totals) {
    const s = checkSpace(scratch, totals.bytes);
    b.check(
      s.enough,
      s.text,
      `${spaceError(s, scratch).message} Choose a scratch folder on a larger volume.`,
    );
  }
  b.step('create', `Create the scratch folder ${scratch}.`);
  b.step(
    'extract',
    `Extract ${o.archive} into ${scratch}${totals ? ` (${plural(totals.entries, 'entry', 'entries')}, ${formatBytes(totals.bytes)})` : ''}, timed.`,
  );
  b.step(
    'compare',
    `Read every file back from ${scratch} and compare it with the file list: type, size and SHA-256 where the list has one.`,
  );
  b.step('remove', `Remove ${scratch} (also after a failure or a cancel).`);
  return b.build();
}

function problem(err: unknown): string {
  return err instanceof ExpectedError
    ? `${err.message}${err.fix ? ` ${err.fix}` : ''}`
    : `${(err as Error).message ?? String(err)}`;
}
