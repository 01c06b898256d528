export {
  importOctaneConfig,
  type OctaneConfigImport,
  type FoundValue,
  type ProfileDraft,
  type ValueSource,
} from './import-octane-config.js';
export { parseJdbcUrl, type JdbcInfo } from './jdbc-url.js';
export { detectOctaneVersion, type OctaneVersion } from './octane-version.js';
export { defaultOctaneConfigDir, OCTANE_CONFIG_FILE_NAMES } from './default-dirs.js';
export { preUpgradeExtras, createPreUpgradeExtras, OCTANE_CONFIG_FOLDER } from './pre-upgrade-extras.js';
export { verifyOctaneConfigCopies } from './verify-copies.js';
