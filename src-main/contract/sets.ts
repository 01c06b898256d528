import type { RunStatus } from './events.js';
import type { ArtifactRecord, Manifest } from './manifest.js';
import type { BackupKind, ComponentId } from './profile.js';

/** One set as `list` sees it. */
export interface SetSummary {
  path: string;
  setName: string;
  profile: string;
  kind?: BackupKind;
  label?: string;
  pinned: boolean;
  /** "incomplete" = interrupted (marker present or no final manifest). */
  status: RunStatus | 'incomplete';
  complete: boolean;
  startedAt?: string;
  finishedAt?: string;
  bytes: number;
  skewSeconds?: number;
  withinTolerance?: boolean;
  components: { id: ComponentId; status: string }[];
  manifest?: Manifest;
}

export type ArtifactCheckStatus = 'ok' | 'missing' | 'altered' | 'size-mismatch' | 'elsewhere';

export interface ArtifactCheck {
  artifact: ArtifactRecord;
  component: ComponentId;
  status: ArtifactCheckStatus;
  /** Where it was looked for. */
  location: string;
  actualSha256?: string;
  actualBytes?: number;
}

export interface VerifyReport {
  setPath: string;
  ok: boolean;
  /** The set itself was incomplete (interrupted run) even if the artifacts present are intact. */
  incomplete: boolean;
  checks: ArtifactCheck[];
  problems: string[];
  /**
   * The run finished well but the profile left components out: intact, yet NOT a full Octane
   * backup. Not damage: `verify` exits 0 for it and says so.
   */
  notFull?: boolean;
}
