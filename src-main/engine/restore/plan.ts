// A restore plan: the ordered actions a restore primitive would take, in words an admin can check
// and a DBA can follow by hand (restore --plan prints them; RESTORE.md is generated from them).
// Making a plan reads and checks; it never changes anything.

export type PlanActionKind = 'check' | 'move' | 'create' | 'extract' | 'copy' | 'compare' | 'remove' | 'keep';

export interface PlanAction {
  kind: PlanActionKind;
  text: string;
  /** Checks only: whether it passes now. */
  ok?: boolean;
}

export interface RestorePlan {
  /** What the plan restores ("repository folder", "Octane config files", ...). */
  title: string;
  actions: PlanAction[];
  /** Failed checks, each with what to do (the restore would refuse to start). */
  problems: string[];
  /** True when every check passes. */
  ready: boolean;
}

export class PlanBuilder {
  private readonly actions: PlanAction[] = [];
  private readonly problems: string[] = [];

  constructor(private readonly title: string) {}

  check(ok: boolean, text: string, problem?: string): this {
    this.actions.push({ kind: 'check', text, ok });
    if (!ok) this.problems.push(problem ?? text);
    return this;
  }

  step(kind: Exclude<PlanActionKind, 'check'>, text: string): this {
    this.actions.push({ kind, text });
    return this;
  }

  build(): RestorePlan {
    return {
      title: this.title,
      actions: this.actions,
      problems: this.problems,
      ready: this.problems.length === 0,
    };
  }
}
