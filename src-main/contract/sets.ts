import type { RunStatus } from './events.js';
import type { ArtifactRecord, Manifest } from './manifest.js';
import type { BackupKind, ComponentId } from './profile.js';
import { COMPONENT_IDS } from './profile-schema.js';

/**
 * A set's state as `list`, History and the Overview show it. "incomplete": interrupted (marker
 * present or no final manifest); "unreadable": the manifest cannot be believed (invalid, of the
 * wrong shape, not a regular file, copied from another set).
 */
export type SetStatus = RunStatus | 'incomplete' | 'unreadable';

/** One set as `list` sees it. */
export interface SetSummary {
  path: string;
  setName: string;
  profile: string;
  kind?: BackupKind;
  label?: string;
  pinned: boolean;
  status: SetStatus;
  /**
   * A full Octane backup, as far as the files can tell without hashing them: the manifest says
   * complete AND names all three components, each succeeded with its artifacts (see claimsComplete).
   */
  complete: boolean;
  startedAt?: string;
  finishedAt?: string;
  bytes: number;
  skewSeconds?: number;
  withinTolerance?: boolean;
  components: { id: ComponentId; status: string }[];
  manifest?: Manifest;
  /** Why the manifest cannot be believed (status "unreadable"). */
  problem?: string;
  /** The newest verification of this set (of any of its copies). */
  verification?: VerificationRecord;
  /** The newest verification of some copy of this set found it damaged: never a good backup. */
  damaged?: boolean;
  /** The newest restore rehearsal of this set (REHEARSAL_FILE). */
  rehearsal?: RehearsalRecord;
  /**
   * What a set that did not finish well (incomplete, cancelled, failed, unreadable) holds on disk,
   * counted from the files themselves (its manifest may never have listed them): so History can
   * say what an interrupted run left and how much space it takes.
   */
  left?: SetLeftovers;
}

/** Files in a set's store folders, by store; `.partial` files are ones a run never finished. */
export interface LeftFiles {
  files: number;
  bytes: number;
  /** Of these, files still named "<name>.partial": written by a run that never finished them. */
  partialFiles: number;
  partialBytes: number;
}

export interface SetLeftovers {
  total: LeftFiles;
  components: Partial<Record<ComponentId | 'octane-config', LeftFiles>>;
  /** True when the count stopped early (very many files); the figures are then a lower bound. */
  truncated: boolean;
}

export type ArtifactCheckStatus =
  | 'ok'
  | 'missing'
  | 'altered'
  | 'size-mismatch'
  | 'elsewhere'
  /** Not read on purpose: a path outside its component's folder, or not a regular file. */
  | 'refused';

export interface ArtifactCheck {
  artifact: ArtifactRecord;
  component: ComponentId | 'octane-config';
  status: ArtifactCheckStatus;
  /** Where it was looked for. */
  location: string;
  actualSha256?: string;
  actualBytes?: number;
  /** Why it was refused or not found, in plain words. */
  note?: string;
}

/**
 * intact: every artifact matches and the set is a full backup; intact-partial: every artifact
 * matches, but the profile left components out on purpose (not damage); damaged: anything else.
 */
export type VerifyVerdict = 'intact' | 'intact-partial' | 'damaged';

/** What verify can say about the manifest's keyed seal (engine/backup-set/seal.ts). */
export type SealState = 'valid' | 'invalid' | 'unsealed' | 'not-checked';

/** Where verify read one component's files. */
export interface ReadPlace {
  component: ComponentId;
  path: string;
  /** False: the set folder given; true: another destination the profile configures for it. */
  configuredElsewhere: boolean;
}

export interface VerifyReport {
  setPath: string;
  ok: boolean;
  verdict: VerifyVerdict;
  /** The set itself was incomplete (interrupted run) even if the artifacts present are intact. */
  incomplete: boolean;
  /** Files are missing, altered, refused or the seal does not match: the set must not be trusted. */
  damaged: boolean;
  checks: ArtifactCheck[];
  problems: string[];
  /** Facts that are not problems (where a component was read, the seal was not checked ...). */
  notes: string[];
  /**
   * The run finished well but the profile left components out: intact, yet NOT a full Octane
   * backup. Not damage: `verify` exits 0 for it and says so.
   */
  notFull?: boolean;
  seal: SealState;
  readFrom: ReadPlace[];
  /** The verification record: where it was written, and where it could not be. */
  record?: { written: string[]; failed: { path: string; error: string }[] };
}

/** What a verify leaves in the set folder it checked (VERIFICATION_FILE), newest last. */
export interface VerificationRecord {
  /** ISO time of the verify. */
  at: string;
  host: string;
  toolVersion: string;
  /** The set folder verify was given: which copy was checked. */
  checkedPath: string;
  readFrom: ReadPlace[];
  verdict: VerifyVerdict;
  damaged: boolean;
  incomplete: boolean;
  seal: SealState;
  counts: Record<ArtifactCheckStatus, number>;
  /** The first problems found (at most 20). */
  problems: string[];
}

const succeeded = (s: string): boolean => s === 'succeeded' || s === 'succeeded-with-warnings';

/**
 * Whether a manifest's `complete: true` may be believed: it says so, its run finished well, and
 * every one of the three components is listed, succeeded and has artifacts. A forged or damaged
 * manifest that claims completeness with a component missing or empty is not believed.
 */
export function claimsComplete(m: Manifest): boolean {
  if (!m.complete || !succeeded(m.status)) return false;
  return COMPONENT_IDS.every((id) => {
    const c = m.components.find((x) => x.id === id);
    return c !== undefined && succeeded(c.status) && c.artifacts.length > 0;
  });
}

/**
 * Whether a set holds every component `taken` names (the components its profile configures),
 * each succeeded with artifacts: a usable backup of that profile, full Octane backup or not.
 */
export function holdsComponents(m: Manifest, taken: readonly ComponentId[]): boolean {
  if (m.status === 'running' || m.status === 'cancelled' || taken.length === 0) return false;
  return taken.every((id) => {
    const c = m.components.find((x) => x.id === id);
    return c !== undefined && succeeded(c.status) && c.artifacts.length > 0;
  });
}

/** The one test of "a good backup" for the age alert, the Overview and History. */
export function isGoodSet(s: SetSummary): boolean {
  return s.complete && s.damaged !== true && succeeded(s.status);
}

/** The stores a rehearsal restores onto scratch targets, in the order it restores them. */
export const REHEARSAL_STORES = ['database', 'elasticsearch', 'repository'] as const;
export type RehearsalStoreId = (typeof REHEARSAL_STORES)[number];

export type RehearsalResult = 'passed' | 'failed' | 'cancelled';

/** One store of a rehearsal: restored onto its scratch target, checked, removed again. */
export interface RehearsalStoreRecord {
  id: RehearsalStoreId;
  /** not-run: the set does not hold it, the profile does not configure it, or an earlier store failed. */
  status: 'passed' | 'failed' | 'cancelled' | 'not-run';
  /** Measured recovery time of this store (restore and checks), ms. */
  durationMs?: number;
  /** What came back and was checked, one line each ("octane_site: CHECKDB passed, 12 tables, 3400 rows"). */
  checked: string[];
  /** Why it failed or did not run. */
  problem?: string;
}

/** What a rehearsal leaves in the set folder it rehearsed (REHEARSAL_FILE), newest last. */
export interface RehearsalRecord {
  /** ISO time the rehearsal finished. */
  at: string;
  startedAt: string;
  rehearsalId: string;
  host: string;
  toolVersion: string;
  result: RehearsalResult;
  /** The whole rehearsal, verify included: the measured time to get this set back, ms. */
  durationMs: number;
  stores: RehearsalStoreRecord[];
  /** The first problems found (at most 20). */
  problems: string[];
  /** Scratch objects that could not be removed (still listed in the rehearsal's journal). */
  leftovers: string[];
}

/** "Restore rehearsed on 3 Mar 2025 14:02: OK, 42 min" — History's and the Overview's words for a record. */
export function rehearsalWords(
  r: Pick<RehearsalRecord, 'at' | 'result' | 'durationMs'>,
  when: (iso: string) => string,
  duration: (seconds: number) => string,
): string {
  const result = { passed: 'OK', failed: 'FAILED', cancelled: 'cancelled' }[r.result];
  return `Restore rehearsed on ${when(r.at)}: ${result}, ${duration(r.durationMs / 1000)}`;
}
