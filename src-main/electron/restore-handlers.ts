// The restore channels: prepare (verify the set, check Octane and the targets, make the plans),
// start and cancel. The set must lie under a stored profile's destination; the target is the
// stored profile's installation, with its drives located and its secrets decrypted here in main.
import type { ApiHandlers } from '../contract/ipc.js';
import { requireAllowed, verifyProgressEmitter } from './allowed-paths.js';
import type { AppCore } from './app-core.js';
import { effectiveProfile } from './destinations.js';

export type RestoreChannel = 'restore:prepare' | 'restore:start' | 'restore:cancel';

export function createRestoreHandlers(core: AppCore): Pick<ApiHandlers, RestoreChannel> {
  return {
    'restore:prepare': async (req) => {
      await requireAllowed(core, req?.setPath);
      const entry = core.entry(req.profile);
      const { preparation } = await core.engine.planRestore({
        setPath: req.setPath,
        profile: await effectiveProfile(entry, core.listDrives),
        signal: core.quitting,
        secrets: () => core.vault.resolve(req.profile),
        onVerifyProgress: verifyProgressEmitter(core.deps.emit, req.setPath),
      });
      return preparation;
    },
    'restore:start': async (req) => {
      await requireAllowed(core, req?.setPath);
      return core.restores.start(req);
    },
    'restore:cancel': (jobId) => Promise.resolve(core.restores.cancel(jobId)),
  };
}
