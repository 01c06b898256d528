// The app's rehearsal channels: History → "Rehearse restore…" starts a rehearsal of one set of a
// stored profile; its stage events stream like a restore's, and the record it wrote comes back.
import type { Result } from './result.js';
import type { RestoreEvent } from './restore-run.js';
import type { RehearsalRecord } from './sets.js';

export interface RehearsalStartRequest {
  /** The stored profile whose servers hold the scratch targets. */
  profile: string;
  setPath: string;
}

export interface RehearsalJob {
  jobId: string;
  profile: string;
  setPath: string;
  startedAt: string;
}

export interface RehearsalEventMessage {
  jobId: string;
  event: RestoreEvent;
}

export interface RehearsalDoneMessage {
  jobId: string;
  profile: string;
  setPath: string;
  /** The record written into the set, or why nothing could be rehearsed. */
  result: Result<RehearsalRecord>;
}
