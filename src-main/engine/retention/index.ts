export {
  planRetention,
  isOwnSet,
  setStart,
  INCOMPLETE_GRACE_HOURS,
  type RetentionCandidate,
  type RetentionDecision,
  type RetentionReason,
} from './plan-retention.js';
export {
  scanProfileSets,
  profileDestinations,
  readProfileLock,
  PROFILE_LOCK_FILE,
  type ScannedSet,
  type SetCopy,
} from './scan-sets.js';
export {
  planPrune,
  executePrune,
  pruneAfterRun,
  type PrunePlan,
  type PrunePlanEntry,
  type PruneOutcome,
  type PruneAfterRunResult,
} from './prune.js';
