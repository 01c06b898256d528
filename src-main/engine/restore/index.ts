// The per-store restore primitives the restore, rehearsal and verify use-cases build on.
export {
  deepVerifyArchive,
  type DeepVerifyReport,
  type DeepVerifyProgress,
} from './repository/deep-verify.js';
export {
  extractArchive,
  Extraction,
  type ExtractOptions,
  type ExtractProgress,
  type ExtractSummary,
  type ExtractedEntry,
  type RestoreWarning,
} from './repository/extract.js';
export {
  restoreRepository,
  putBackMovedAside,
  type RepositoryRestoreOptions,
  type RepositoryRestoreProgress,
  type RepositoryRestoreResult,
  type TargetState,
} from './repository/restore-repository.js';
export {
  rehearseRepositoryRestore,
  type RepositoryRehearsalOptions,
  type RepositoryRehearsalResult,
} from './repository/rehearse-repository.js';
export { planRepositoryRestore, planRepositoryRehearsal } from './repository/plan-repository.js';
export {
  FileListCheck,
  type FileListReport,
  type NamedCount,
  type ObservedEntry,
} from './file-list/file-list-check.js';
export { observeTree } from './file-list/observe-tree.js';
export {
  restoreConfigFiles,
  inspectConfigRestore,
  type ConfigRestoreResult,
  type ConfigFileOutcome,
} from './octane-config/restore-config-files.js';
export { planConfigRestore } from './octane-config/plan-config.js';
export type { PlanAction, PlanActionKind, RestorePlan } from './plan.js';
