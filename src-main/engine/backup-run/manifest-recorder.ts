// The manifest of the set being written, kept in one place: the runner and the steps record into
// it, and write() puts the same text in every place the set lives (atomically: temp file, fsync,
// rename). Nothing else edits a manifest while a run is going.
import { hostname } from 'node:os';
import {
  MANIFEST_FORMAT_VERSION,
  TOOL_NAME,
  type ComponentRecord,
  type Manifest,
  type Warning,
} from '../../contract/manifest.js';
import {
  COMPONENT_IDS,
  DEFAULT_SKEW_TOLERANCE_SECONDS,
  type BackupKind,
  type ComponentId,
  type Profile,
} from '../../contract/profile.js';
import { writeManifestAtomic } from '../backup-set/manifest-io.js';
import { sealManifest } from '../backup-set/seal.js';
import { TOOL_VERSION } from '../version.js';

export interface SetIdentity {
  setName: string;
  setId: string;
  kind: BackupKind;
  label?: string;
  startedAt: Date;
  /** Where each component's folder lives, and every distinct set folder. */
  byComponent: Record<ComponentId, string>;
  roots: string[];
}

export class ManifestRecorder {
  readonly manifest: Manifest;

  constructor(
    profile: Profile,
    private readonly set: SetIdentity,
    /** Seals every manifest written (HMAC-SHA256, engine/backup-set/seal.ts); none: not sealed. */
    private readonly sealKey?: string,
  ) {
    this.manifest = {
      formatVersion: MANIFEST_FORMAT_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      setName: set.setName,
      setId: set.setId,
      profile: profile.profile,
      kind: set.kind,
      pinned: set.kind === 'pre-upgrade',
      host: hostname(),
      status: 'running',
      complete: false,
      startedAt: set.startedAt.toISOString(),
      components: COMPONENT_IDS.map((id) => ({
        id,
        status: 'not-run',
        location: set.byComponent[id],
        artifacts: [],
        warnings: [],
        statements: [],
      })),
      skew: {
        toleranceSeconds: profile.skewToleranceSeconds ?? DEFAULT_SKEW_TOLERANCE_SECONDS,
        clock: 'local',
      },
      warnings: [],
    };
    if (set.label !== undefined) this.manifest.label = set.label;
  }

  component(id: ComponentId): ComponentRecord {
    // COMPONENT_IDS built the list, so every id has its record.
    return this.manifest.components.find((c) => c.id === id) as ComponentRecord;
  }

  warn(w: Warning): void {
    this.manifest.warnings.push(w);
  }

  /** The same manifest into every place of the set; resolves with the paths written. */
  async write(): Promise<string[]> {
    const sealed = sealManifest(this.manifest, this.sealKey);
    return Promise.all(this.set.roots.map((r) => writeManifestAtomic(r, sealed)));
  }
}
