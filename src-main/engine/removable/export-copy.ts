// The copy of an export: every file through a ".partial" name, hashed while written and compared
// with the source's manifest, fsynced and renamed; then the re-read of every copied file from the
// target. The in-progress marker stays in the copy until that re-read found it intact.
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, RUN_LOG_FILE } from '../../contract/manifest.js';
import type { ExportPhase } from '../../contract/removable.js';
import type { VerifyReport } from '../../contract/sets.js';
import { ComponentWriter, PARTIAL_SUFFIX, syncDir } from '../backup-set/component-writer.js';
import { destinationError } from '../backup-set/fs-errors.js';
import { PRIVATE_FILE_MODE } from '../backup-set/private-modes.js';
import { verifySet } from '../backup-set/verify.js';
import { ExpectedError, throwIfAborted } from '../errors.js';
import type { ExportSource } from './export-source.js';

export type CopyProgress = (phase: ExportPhase, bytesDone: number, current: string) => void;

/** Copies the artifacts, then manifest.json and run.log. Throws a named error on any difference. */
export async function copySetFiles(
  source: ExportSource,
  copyRoot: string,
  signal: AbortSignal,
  progress: CopyProgress,
): Promise<void> {
  let done = 0;
  for (const f of source.files) {
    throwIfAborted(signal);
    const writer = new ComponentWriter(f.component, copyRoot);
    const name = f.rel.slice(f.component.length + 1);
    const before = done;
    const record = await writer.copyFile(f.src, name, {
      signal,
      expectedBytes: f.bytes,
      onBytes: (n) => progress('copy', before + n, f.rel),
    });
    done = before + f.bytes;
    if (record.sha256 !== f.sha256) {
      await rm(join(copyRoot, ...f.rel.split('/')), { force: true }).catch(() => undefined);
      throw new ExpectedError(
        'EXPORT_SOURCE_DAMAGED',
        `${f.rel} of ${source.setName} does not match its manifest (SHA-256 ${record.sha256}, the manifest says ${f.sha256}): the set is damaged and is not copied.`,
        {
          step: 'export',
          fix: 'Verify the set (octane-backup verify) to record the damage; export another set or take a new backup.',
          details: { path: f.src },
        },
      );
    }
  }
  await writeWhole(copyRoot, MANIFEST_FILE, source.manifestBytes);
  if (source.runLog) await writeWhole(copyRoot, RUN_LOG_FILE, source.runLog);
}

/** A small file of the set folder: ".partial", fsync, rename. */
async function writeWhole(root: string, name: string, data: Buffer): Promise<void> {
  const final = join(root, name);
  const partial = final + PARTIAL_SUFFIX;
  try {
    const fh = await open(partial, 'wx', PRIVATE_FILE_MODE);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(partial, final);
    await syncDir(root);
  } catch (err) {
    await rm(partial, { force: true }).catch(() => undefined);
    throw destinationError(err, final, 'export');
  }
}

/**
 * Re-reads every copied file on the target and checks it against the manifest (and the seal,
 * with the keys given). The marker is still there: it is this export's own. Throws when the copy
 * is not intact; returns the report to record once the marker is gone.
 */
export async function reReadCopy(
  copyRoot: string,
  opts: { signal: AbortSignal; sealKeys: readonly string[]; progress: CopyProgress },
): Promise<VerifyReport> {
  const report = await verifySet(copyRoot, {
    signal: opts.signal,
    sealKeys: opts.sealKeys,
    record: false,
    markerOwnedByCaller: true,
    onProgress: (done, _total, current) => opts.progress('verify', done, current),
  });
  if (report.verdict === 'intact' || report.verdict === 'intact-partial') return report;
  throw new ExpectedError(
    'EXPORT_COPY_DAMAGED',
    `The copy at ${copyRoot} does not read back as written: ${report.problems.slice(0, 3).join(' ')}`,
    {
      step: 'export',
      fix: 'The drive may be failing or was disturbed during the copy: check it (or use another drive) and export again.',
      details: { path: copyRoot, problems: report.problems.slice(0, 20) },
    },
  );
}
