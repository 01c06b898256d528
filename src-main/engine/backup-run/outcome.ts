// Decides a finished run's status and whether its set may call itself complete. The one rule:
// a set is complete only when every component was taken and succeeded (with or without warnings).
import type { RunStatus } from '../../contract/events.js';
import type { Manifest } from '../../contract/manifest.js';

const taken = (s: string): boolean => s === 'succeeded' || s === 'succeeded-with-warnings';

export function decideOutcome(m: Manifest, cancelled: boolean): void {
  const comps = m.components;
  const failed = comps.filter((c) => c.status === 'failed');
  const left = comps.filter((c) => c.status === 'skipped' || c.status === 'not-run');
  for (const c of comps) m.warnings.push(...c.warnings);
  if (left.length > 0 && !cancelled) {
    const names = left.map((c) => c.id).join(', ');
    m.completenessNote = `NOT a full Octane backup: ${names} ${left.length === 1 ? 'was' : 'were'} not taken.`;
    if (failed.length === 0) m.warnings.push({ code: 'NOT_FULL_BACKUP', message: m.completenessNote });
  }
  if (m.skew.withinTolerance === false) {
    m.warnings.push({
      code: 'SKEW_EXCEEDED',
      message: `The components were taken ${m.skew.windowSeconds?.toFixed(0)} s apart, more than the tolerance of ${m.skew.toleranceSeconds} s.`,
    });
  }
  let status: RunStatus;
  if (cancelled) status = 'cancelled';
  else if (failed.length > 0) {
    status = 'failed';
    const first = failed[0];
    if (first?.error) m.error = first.error;
  } else status = m.warnings.length > 0 ? 'succeeded-with-warnings' : 'succeeded';
  m.status = status;
  m.complete = taken(status) && comps.every((c) => taken(c.status));
  if (!m.complete && !m.completenessNote)
    m.completenessNote =
      status === 'cancelled'
        ? 'NOT a usable backup: the run was cancelled.'
        : 'NOT a usable backup: a component failed.';
}
