// Which config copies a pre-upgrade set holds and where each one goes back. The manifest is
// untrusted input: a copy's path must stay inside the set's octane-config folder, and a destination
// must be an absolute path (the original one recorded at backup time, or one the admin gives).
import { isAbsolute, join, resolve } from 'node:path';
import type { Manifest } from '../../../contract/manifest.js';
import { OCTANE_CONFIG_FOLDER } from '../../octane-config/config-copies.js';
import { ExpectedError } from '../../errors.js';
import { checkEntryName } from '../repository/safe-name.js';

export interface ConfigRestoreItem {
  /** Relative to the set ("octane-config/octane.conf"). */
  copy: string;
  copyPath: string;
  destination: string;
  bytes: number;
  sha256: string;
}

const DESCRIPTION = /^Copy of Octane config file (.+)$/;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The copies and their destinations. `targets` maps a copy ("octane-config/octane.conf") to another
 * destination (a restore onto a new server).
 */
export function configRestoreItems(
  setPath: string,
  manifest: Manifest,
  targets: Record<string, string> = {},
): ConfigRestoreItem[] {
  const items: ConfigRestoreItem[] = [];
  for (const a of manifest.octane?.artifacts ?? []) {
    const name = checkEntryName(String(a.path), undefined, 'linux');
    if (
      !name.ok ||
      !name.name.key.startsWith(`${OCTANE_CONFIG_FOLDER}/`) ||
      !SHA256.test(String(a.sha256)) ||
      !Number.isSafeInteger(a.bytes)
    )
      throw new ExpectedError(
        'CONFIG_COPY_RECORD_INVALID',
        `The manifest lists a config copy "${String(a.path)}" that is not a valid record inside ${OCTANE_CONFIG_FOLDER}/.`,
        {
          step: 'restore',
          fix: 'The manifest was altered: restore the config files from another set, or by hand from the copies you trust.',
          details: { path: a.path },
        },
      );
    const destination = targets[name.name.key] ?? a.source ?? DESCRIPTION.exec(a.description ?? '')?.[1];
    if (destination === undefined || !isAbsolute(destination))
      throw new ExpectedError(
        'CONFIG_ORIGINAL_PATH_UNKNOWN',
        `The set does not say where ${name.name.key} was copied from.`,
        {
          step: 'restore',
          fix: `Name its destination explicitly (for example ${name.name.key}=/opt/octane/conf/${name.name.key.slice(OCTANE_CONFIG_FOLDER.length + 1)}).`,
          details: { copy: name.name.key },
        },
      );
    if (items.some((i) => i.destination === resolve(destination)))
      throw new ExpectedError(
        'CONFIG_DESTINATION_TWICE',
        `Two config copies in the set go back to ${destination}.`,
        {
          step: 'restore',
          fix: 'Name a distinct destination for one of them.',
          details: { destination },
        },
      );
    items.push({
      copy: name.name.key,
      copyPath: join(setPath, ...name.name.key.split('/')),
      destination: resolve(destination),
      bytes: a.bytes,
      sha256: a.sha256,
    });
  }
  return items;
}
