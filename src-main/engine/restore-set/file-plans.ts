// The file restores (repository folder, config files) plan with checks inline (engine/restore/
// plan.ts); the whole-set restore shows checks and actions apart: this splits one into the other.
import type { RestoreCheck, RestoreStageId } from '../../contract/restore-run.js';
import type { RestoreAction, RestorePlan } from '../../contract/restore.js';
import type { PlanAction, RestorePlan as FilePlan } from '../restore/plan.js';

const CHANGES: Record<Exclude<PlanAction['kind'], 'check'>, boolean> = {
  move: true,
  create: true,
  extract: true,
  copy: true,
  remove: true,
  compare: false,
  keep: false,
};

export function splitFilePlan(
  stage: RestoreStageId,
  p: FilePlan,
  summary: string,
): { checks: RestoreCheck[]; plan: RestorePlan } {
  const checks: RestoreCheck[] = [];
  const actions: RestoreAction[] = [];
  const notes: string[] = [];
  let problem = 0;
  for (const a of p.actions) {
    if (a.kind === 'check') {
      const failed = a.ok === false;
      const fix = failed ? p.problems[problem++] : undefined;
      checks.push({
        id: `${stage}.${checks.length + 1}`,
        scope: stage,
        title: p.title,
        status: failed ? 'failed' : 'ok',
        message: a.text,
        ...(fix !== undefined && fix !== a.text && { fix }),
      });
    } else if (a.kind === 'keep') notes.push(a.text);
    else
      actions.push({
        kind: a.kind === 'compare' ? 'check' : a.kind === 'remove' ? 'remove' : 'file',
        title: a.text,
        changes: CHANGES[a.kind],
      });
  }
  return { checks, plan: { component: stage, target: 'in-place', summary, actions, notes } };
}
