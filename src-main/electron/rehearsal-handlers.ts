// The rehearsal channels: start and cancel. The set must lie under a stored profile's destination;
// the scratch targets live on the stored profile's servers, with its drives located and its
// secrets decrypted here in main. Quitting the app cancels a running rehearsal (which still
// removes its scratch objects; what a hard exit cuts short stays in the journal for the next one).
import type { ApiHandlers } from '../contract/ipc.js';
import { rehearseSet } from '../engine/use-cases/rehearse-set.js';
import { requireAllowed } from './allowed-paths.js';
import type { AppCore } from './app-core.js';
import { effectiveProfile } from './destinations.js';
import { RehearsalManager } from './rehearsal-manager.js';

export type RehearsalChannel = 'rehearsal:start' | 'rehearsal:cancel';

export function createRehearsalHandlers(
  core: AppCore,
  rehearse: typeof rehearseSet = rehearseSet,
): Pick<ApiHandlers, RehearsalChannel> {
  const manager = new RehearsalManager({
    rehearse: async (name, req) => {
      const profile = await effectiveProfile(core.entry(name), core.listDrives);
      return rehearse({
        ...req,
        profile,
        signal: AbortSignal.any([req.signal, core.quitting]),
        secrets: () => core.vault.resolve(name),
      });
    },
    emit: core.deps.emit,
  });
  return {
    'rehearsal:start': async (req) => {
      await requireAllowed(core, req?.setPath);
      core.entry(req.profile);
      return manager.start(req);
    },
    'rehearsal:cancel': (jobId) => Promise.resolve(manager.cancel(jobId)),
  };
}
