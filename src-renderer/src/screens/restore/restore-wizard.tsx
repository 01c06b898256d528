import { useRestore } from '../../state/restore-context.js';
import { RestoreRun } from './restore-run.js';
import { RestoreSetup } from './restore-setup.js';

/**
 * History → Restore…: choose components → preconditions → the plan → type the profile name →
 * per-store progress → the result with next steps. While a restore runs (or until its result is
 * closed) the wizard shows it, whichever set was picked.
 */
export function RestoreWizard(props: { profile: string; setPath: string; onClose: () => void }) {
  const restore = useRestore();
  const current = restore.current;
  if (current)
    return (
      <RestoreRun
        view={current}
        onClose={() => {
          restore.clear();
          props.onClose();
        }}
      />
    );
  return <RestoreSetup profile={props.profile} setPath={props.setPath} onClose={props.onClose} />;
}
