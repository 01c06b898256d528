// The set being restored, as read and verified before anything is touched. The set is untrusted
// input: a manifest that cannot be read or has the wrong shape stops the restore here; every
// artifact is re-hashed (the verify use-case) and a component whose files do not match is not
// restorable. A component kept on its own destination is read from there.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Manifest } from '../../contract/manifest.js';
import type { ComponentId } from '../../contract/profile.js';
import type { VerifyReport } from '../../contract/sets.js';
import { readManifest } from '../backup-set/manifest-io.js';
import { ExpectedError } from '../errors.js';
import type { RestoreSetView } from '../steps/restore/primitive.js';
import type { VerifyVerdict } from '../use-cases/verify-set.js';

export type SetVerification = VerifyReport & { verdict: VerifyVerdict };

export interface SetUnderRestore {
  path: string;
  manifest: Manifest;
  /** Absent only for the runbook written at backup time (the set was just written and hashed). */
  verify?: SetVerification;
  /** The folder holding `id`'s component folder: this set folder, or the component's own destination. */
  rootOf(id: ComponentId): string;
  /** What a primitive reads the set through. */
  viewOf(id: ComponentId): RestoreSetView;
  /** Why verify does not vouch for this component's files (undefined when it does). */
  damage(id: ComponentId): string | undefined;
}

export async function readSetManifest(path: string): Promise<Manifest> {
  let m: unknown;
  try {
    m = await readManifest(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ExpectedError(
      'RESTORE_SET_UNREADABLE',
      // MANIFEST_MISSING: the reader since manifests are validated on read; ENOENT: a folder gone.
      code === 'MANIFEST_MISSING' || code === 'ENOENT'
        ? `${path} holds no manifest.json: it is not a backup set (or its run never started writing it).`
        : `The manifest of ${path} cannot be read (${(err as Error).message}).`,
      {
        step: 'restore',
        cause: err,
        fix: 'Give the set folder itself (the one holding manifest.json), or choose another set (octane-backup list <destination>).',
      },
    );
  }
  const o = m as Partial<Manifest> | null;
  if (
    !o ||
    typeof o !== 'object' ||
    !Array.isArray(o.components) ||
    typeof o.setName !== 'string' ||
    typeof o.setId !== 'string'
  )
    throw new ExpectedError(
      'RESTORE_SET_MANIFEST_INVALID',
      `The manifest of ${path} is not a backup manifest.`,
      {
        step: 'restore',
        fix: 'The set was edited or damaged: restore from another set, or from an untouched copy of this one.',
      },
    );
  return o as Manifest;
}

export function setUnderRestore(path: string, manifest: Manifest, verify?: SetVerification): SetUnderRestore {
  const setPath = resolve(path);
  const rootOf = (id: ComponentId): string => {
    if (existsSync(join(setPath, id))) return setPath;
    const c = manifest.components.find((x) => x?.id === id);
    const elsewhere = typeof c?.location === 'string' ? resolve(c.location) : undefined;
    return elsewhere && existsSync(join(elsewhere, id)) ? elsewhere : setPath;
  };
  return {
    path: setPath,
    manifest,
    ...(verify && { verify }),
    rootOf,
    viewOf: (id) => ({ root: rootOf(id), manifest }),
    damage: (id) => {
      if (!verify) return undefined;
      const bad = verify.checks.filter((c) => c.component === id && c.status !== 'ok');
      const first = bad[0];
      if (!first) return undefined;
      if (bad.every((c) => c.status === 'elsewhere'))
        return `its files are on another destination that is not reachable now (${first.location})`;
      return `${bad.length} of its files ${bad.length === 1 ? 'is' : 'are'} missing or altered (first: ${first.artifact.path}, ${first.status})`;
    },
  };
}
