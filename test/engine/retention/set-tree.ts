// Writes backup-set folders by hand (manifest, marker, one artifact), so retention can be tested
// on sets of any age. Names and manifests follow the real layout (set-layout.ts, manifest.ts).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  IN_PROGRESS_MARKER,
  MANIFEST_FORMAT_VERSION,
  TOOL_NAME,
  type Manifest,
} from '../../../src-main/contract/manifest.js';
import { COMPONENT_IDS, type BackupKind, type ComponentId } from '../../../src-main/contract/profile.js';
import { setNameFor } from '../../../src-main/engine/backup-set/set-layout.js';

export interface SetSpec {
  startedAt: Date;
  kind?: BackupKind;
  status?: Manifest['status'];
  complete?: boolean;
  pinned?: boolean;
  /** Leave the in-progress marker. */
  marker?: boolean;
  /** Write no manifest at all. */
  noManifest?: boolean;
  toolName?: string;
  label?: string;
  id?: string;
  /** The components taken (default all three, as a full profile takes them). */
  components?: ComponentId[];
  /** The profile named in the manifest (default: the folder's profile). */
  manifestProfile?: string;
}

export async function writeSet(
  destination: string,
  profile: string,
  spec: SetSpec,
  extraDestinations: string[] = [],
): Promise<{ name: string; paths: string[] }> {
  const kind = spec.kind ?? 'scheduled';
  const id = spec.id ?? randomBytes(4).toString('hex');
  const name = setNameFor(spec.startedAt, kind, id);
  const paths: string[] = [];
  for (const dest of [destination, ...extraDestinations]) {
    const root = join(dest, profile, name);
    const taken = spec.components ?? [...COMPONENT_IDS];
    const complete = spec.complete ?? true;
    const components: Manifest['components'] = [];
    for (const id of COMPONENT_IDS) {
      if (!taken.includes(id)) {
        components.push({
          id,
          status: 'skipped',
          location: root,
          artifacts: [],
          warnings: [],
          statements: [],
        });
        continue;
      }
      await mkdir(join(root, id), { recursive: true });
      const data = Buffer.from(`${id} data of ${name}`);
      await writeFile(join(root, id, `${id}.bin`), data);
      components.push({
        id,
        // The last component fails when the set is not complete.
        status: complete || id !== taken.at(-1) ? 'succeeded' : 'failed',
        location: root,
        artifacts: [
          {
            path: `${id}/${id}.bin`,
            bytes: data.length,
            sha256: createHash('sha256').update(data).digest('hex'),
          },
        ],
        warnings: [],
        statements: [],
      });
    }
    if (!spec.noManifest) {
      const full = taken.length === COMPONENT_IDS.length;
      const m: Manifest = {
        formatVersion: MANIFEST_FORMAT_VERSION,
        tool: { name: spec.toolName ?? TOOL_NAME, version: '0.1.0' },
        setName: name,
        setId: id,
        profile: spec.manifestProfile ?? profile,
        kind,
        pinned: spec.pinned ?? kind === 'pre-upgrade',
        host: 'test',
        status: spec.status ?? (complete ? (full ? 'succeeded' : 'succeeded-with-warnings') : 'failed'),
        complete: complete && full,
        startedAt: spec.startedAt.toISOString(),
        finishedAt: new Date(spec.startedAt.getTime() + 600_000).toISOString(),
        components,
        skew: { toleranceSeconds: 900, clock: 'local' },
        warnings: [],
      };
      if (spec.label) m.label = spec.label;
      await writeFile(join(root, 'manifest.json'), JSON.stringify(m, null, 2));
    }
    if (spec.marker) await writeFile(join(root, IN_PROGRESS_MARKER), 'in progress');
    paths.push(root);
  }
  return { name, paths };
}

export const hoursAgo = (now: Date, h: number): Date => new Date(now.getTime() - h * 3_600_000);
