// The restore's two documents for people: the runbook (RESTORE.md, in every set: how to restore
// it with the tool and by hand, from the same plans the tool runs) and the report a restore
// leaves (what ran, each store's measured recovery time, the results, what next).
import { formatBytes, formatDateTime, formatDuration } from '../../contract/format.js';
import {
  readinessOf,
  RESTORE_STAGE_TITLES,
  type RestorePreparation,
  type RestoreReport,
} from '../../contract/restore-run.js';
import type { RestorePlan } from '../../contract/restore.js';
import { STATUS_LABELS } from '../../contract/words.js';

const fence = (text: string): string[] => {
  const ticks = text.includes('```') ? '~~~~' : '```';
  return [ticks, text, ticks];
};

function planLines(p: RestorePlan, n: { i: number }): string[] {
  const out: string[] = [`${p.summary}`, ''];
  for (const a of p.actions) {
    out.push(`${n.i++}. ${a.title}${a.changes ? '' : ' *(reads only)*'}`);
    if (a.text) out.push('', ...fence(a.text).map((l) => `   ${l}`), '');
  }
  if (p.notes.length) out.push('', ...p.notes.map((x) => `> ${x}`));
  return out;
}

export function runbookMarkdown(
  p: RestorePreparation,
  o: { nextSteps: string[]; tool: string; generatedBy: string },
): string {
  const readiness = readinessOf(
    p,
    p.stages.filter((s) => s.available).map((s) => s.id),
    true,
  );
  const lines = [
    `# Restoring set ${p.setName}`,
    '',
    `Taken ${formatDateTime(p.takenAt)} by profile "${p.setProfile}"${p.kind ? ` (${p.kind}${p.label ? `: ${p.label}` : ''})` : ''}. ` +
      `This runbook was generated ${formatDateTime(p.generatedAt)} by ${o.tool} ${o.generatedBy}${p.offline ? ', from the set alone (no server was asked: file placements and the Elasticsearch source are as the set recorded them)' : ''}.`,
    '',
    'A set restores as a whole, in this order: the database (site and every space), the Elasticsearch indices, ' +
      "Octane's config files (pre-upgrade sets), the repository folder. Octane stays stopped on every node until the end.",
    '',
    '## With the tool',
    '',
    ...fence(
      [
        `octane-backup verify "${p.setPath}"`,
        `octane-backup restore "${p.setPath}" --config <profile.json> --plan`,
        `octane-backup restore "${p.setPath}" --config <profile.json>`,
      ].join('\n'),
    ),
    '',
    '`--plan` prints every check, statement, API call, move and extraction and changes nothing. In the app: History → this set → **Restore…**.',
    '',
    '## What the set holds',
    '',
    ...p.stages.map(
      (s) =>
        `- **${s.title}**: ${s.available ? `restorable (${formatBytes(s.bytes)})` : `not restorable — ${s.reason ?? 'not in the set'}`}`,
    ),
    ...(readiness.notes.length ? ['', ...readiness.notes.map((n) => `> ${n}`)] : []),
    '',
    '## By hand',
    '',
    `0. Check the set: \`octane-backup verify "${p.setPath}"\` must say OK. Never restore from a set listed as INCOMPLETE.`,
    '1. Stop Octane on every node (and the Synchronizer, if used): `systemctl stop octane` or stop the Windows service.',
    '',
  ];
  const n = { i: 1 };
  for (const plan of p.plans) {
    lines.push(`### ${RESTORE_STAGE_TITLES[plan.component]}`, '');
    lines.push(...planLines(plan, n), '');
  }
  lines.push('## After the restore', '', ...o.nextSteps.map((s, i) => `${i + 1}. ${s}`), '');
  return lines.join('\n');
}

export function reportMarkdown(r: RestoreReport): string {
  const lines = [
    `# Restore of set ${r.setName}: ${STATUS_LABELS[r.status]}`,
    '',
    `- Set: ${r.setPath}`,
    `- Into the installation of profile "${r.profile}", from ${r.host}, with ${r.tool.name} ${r.tool.version}`,
    `- Started ${formatDateTime(r.startedAt, { seconds: true })}, finished ${formatDateTime(r.finishedAt, { seconds: true })}`,
    `- Set verified: ${r.verify.verdict}${r.verify.problems.length ? ` (${r.verify.problems.slice(0, 3).join(' ')})` : ''}`,
    ...r.octane.map((x) => `- Octane: ${x}`),
    '',
    '## Stores',
    '',
    '| store | result | recovery time |',
    '|---|---|---|',
    ...r.stages.map(
      (s) =>
        `| ${s.title} | ${STATUS_LABELS[s.status]} | ${s.durationMs !== undefined ? formatDuration(s.durationMs / 1000) : '–'} |`,
    ),
    '',
  ];
  for (const s of r.stages) {
    lines.push(`### ${s.title}`, '', s.state, '');
    if (s.error)
      lines.push(
        `**Error ${s.error.code}:** ${s.error.message}${s.error.fix ? `  \n**Fix:** ${s.error.fix}` : ''}`,
        '',
      );
    for (const w of s.warnings) lines.push(`- warning ${w.code}: ${w.message}`);
    if (s.statements.length) lines.push('', 'What ran:', '', ...fence(s.statements.join('\n')), '');
  }
  lines.push('## Restored', '', ...(r.restored.length ? r.restored.map((x) => `- ${x}`) : ['- nothing']), '');
  lines.push(
    '## Not restored',
    '',
    ...(r.notRestored.length ? r.notRestored.map((x) => `- ${x}`) : ['- nothing']),
    '',
  );
  if (r.notes.length) lines.push('## Notes', '', ...r.notes.map((x) => `- ${x}`), '');
  lines.push('## Next steps', '', ...r.nextSteps.map((x, i) => `${i + 1}. ${x}`), '');
  return lines.join('\n');
}
