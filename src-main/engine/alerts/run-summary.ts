// The words of an alert: one summary of a finished run, used by the Event Log entry and the e-mail.
import { hostname } from 'node:os';
import type { RunStatus } from '../../contract/events.js';
import type { RunOutcome } from '../../contract/ui.js';
import { STATUS_WORDS } from '../../contract/words.js';
import type { BackupKind } from '../../contract/profile.js';
import type { BackupAgeCheck } from './backup-age.js';

export function runHeadline(profile: string, kind: BackupKind, status: RunStatus): string {
  return `Octane backup "${profile}" (${kind}) ${STATUS_WORDS[status]} on ${hostname()}`;
}

export function runSummaryText(
  profile: string,
  kind: BackupKind,
  r: RunOutcome,
  age?: BackupAgeCheck,
): string {
  const m = r.manifest;
  const lines = [`${runHeadline(profile, kind, r.status)}.`];
  if (age && !age.ok) lines.push('', `ALERT: ${age.message}`);
  lines.push('', `Set: ${r.setName}`, ...r.setPaths.map((p) => `  at ${p}`));
  lines.push(`Started: ${m.startedAt}${m.finishedAt ? `, finished: ${m.finishedAt}` : ''}`);
  if (m.label) lines.push(`Label: ${m.label}`);
  lines.push(
    m.complete
      ? 'The set is a complete Octane backup.'
      : `The set is NOT a usable backup. ${m.completenessNote ?? ''}`.trim(),
  );
  if (m.error)
    lines.push(
      '',
      `Error [${m.error.code}]: ${m.error.message}`,
      ...(m.error.fix ? [`Fix: ${m.error.fix}`] : []),
    );
  lines.push('', 'Components:');
  for (const c of m.components) {
    const extra = c.error
      ? `: [${c.error.code}] ${c.error.message}`
      : c.skippedReason
        ? `: ${c.skippedReason}`
        : '';
    lines.push(`  - ${c.id}: ${c.status}${extra}`);
  }
  if (m.skew.windowSeconds !== undefined)
    lines.push(
      '',
      `Consistency window: ${m.skew.windowSeconds.toFixed(m.skew.windowSeconds < 10 ? 1 : 0)} s (tolerance ${m.skew.toleranceSeconds} s${m.skew.captureMode ? `, repository capture ${m.skew.captureMode}` : ''}).`,
    );
  if (m.warnings.length > 0) {
    lines.push('', `Warnings (${m.warnings.length}):`);
    for (const w of m.warnings.slice(0, 30)) lines.push(`  - ${w.code}: ${w.message}`);
    if (m.warnings.length > 30)
      lines.push(`  ... and ${m.warnings.length - 30} more (see run.log in the set).`);
  }
  if (age?.ok) lines.push('', age.message);
  lines.push('', 'Details: run.log and manifest.json in the set folder.');
  return lines.join('\n');
}
