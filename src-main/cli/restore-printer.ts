// Human output of a restore: the plan before it (every precondition, then every statement, call,
// move and extraction in order), one line per stage change while it runs with a live progress line
// on a terminal, and the result with the next steps.
import { formatBytes, formatDuration } from '../contract/format.js';
import {
  cancelLeaves,
  RESTORE_STAGE_TITLES,
  type Readiness,
  type RestoreEvent,
  type RestorePreparation,
  type RestoreReport,
  type RestoreStageId,
  type RestoreStageStatus,
} from '../contract/restore-run.js';
import { STATUS_LABELS } from '../contract/words.js';
import type { CliIo } from './io.js';

const MARK = { ok: 'ok  ', warning: 'WARN', failed: 'FAIL' } as const;

export function printPreparation(
  io: CliIo,
  p: RestorePreparation,
  selected: readonly RestoreStageId[],
  r: Readiness,
): void {
  io.out(`Restore of set ${p.setName} (${p.setPath})`);
  io.out(
    `  into the installation of profile "${p.profile}"; set taken by "${p.setProfile}"${p.takenAt ? ` at ${p.takenAt}` : ''}`,
  );
  io.out('');
  io.out('Components (in the order they are restored):');
  for (const s of p.stages)
    io.out(
      `  [${selected.includes(s.id) ? 'x' : ' '}] ${s.title}${s.available ? ` — ${formatBytes(s.bytes)}` : ` — NOT RESTORABLE: ${s.reason ?? ''}`}`,
    );
  io.out('');
  io.out('Preconditions:');
  const scopes = new Set<string>(['set', 'octane', ...selected]);
  for (const c of p.checks.filter((x) => scopes.has(x.scope))) {
    io.out(`  ${MARK[c.status]} ${c.title}: ${c.message}`);
    if (c.fix && c.status !== 'ok') io.out(`       fix: ${c.fix}`);
  }
  let n = 1;
  for (const plan of p.plans.filter((x) => selected.includes(x.component))) {
    io.out('');
    io.out(`${RESTORE_STAGE_TITLES[plan.component]}: ${plan.summary}`);
    for (const a of plan.actions) {
      io.out(`  ${String(n++).padStart(2)}. ${a.title}${a.changes ? '' : ' (reads only)'}`);
      if (a.text) for (const line of a.text.split('\n')) io.out(`        ${line}`);
    }
    for (const note of plan.notes) io.out(`  note: ${note}`);
  }
  io.out('');
  for (const note of r.notes) io.out(`NOTE: ${note}`);
  if (r.ready) io.out('Ready: every precondition holds.');
  else {
    io.out(`NOT READY: ${r.problems.length} problem(s):`);
    for (const x of r.problems) io.out(`  - ${x}`);
  }
}

export function createRestorePrinter(io: CliIo): {
  onEvent: (e: RestoreEvent) => void;
  /** What a Cancel leaves right now (printed on Ctrl-C). */
  leaves: () => string;
} {
  const stages = new Map<
    RestoreStageId,
    { status: RestoreStageStatus | 'pending'; selected: boolean; title: string }
  >();
  let running: { id: RestoreStageId; leaves?: string } | undefined;
  let lastDecile = -1;
  const onEvent = (e: RestoreEvent): void => {
    switch (e.type) {
      case 'restore-started':
        for (const s of e.stages)
          stages.set(s.id, { status: 'pending', selected: s.selected, title: s.title });
        io.out(`Restoring set ${e.setName} into "${e.profile}"`);
        break;
      case 'stage-started':
        running = { id: e.stage };
        lastDecile = -1;
        io.out(`> ${e.title}`);
        break;
      case 'stage-progress': {
        if (running) running = { id: e.stage, ...(e.leaves !== undefined && { leaves: e.leaves }) };
        const c = e.counters;
        const parts = [`${(e.fraction * 100).toFixed(0).padStart(3)}%`];
        if (c.bytesDone !== undefined)
          parts.push(
            `${formatBytes(c.bytesDone)}${c.bytesTotal !== undefined ? ` / ${formatBytes(c.bytesTotal)}` : ''}`,
          );
        if (c.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(c.etaSeconds)}`);
        if (c.message) parts.push(c.message.length > 70 ? `…${c.message.slice(-69)}` : c.message);
        const line = `  ${parts.join('  ')}`;
        if (io.isTty) io.status(line);
        else if (Math.floor(e.fraction * 10) > lastDecile) {
          lastDecile = Math.floor(e.fraction * 10);
          io.out(line);
        }
        break;
      }
      case 'stage-warning':
        io.status('');
        io.out(`  warning: ${e.code}: ${e.message}`);
        break;
      case 'stage-finished': {
        io.status('');
        const s = stages.get(e.stage);
        if (s) s.status = e.status;
        running = undefined;
        io.out(
          `  ${s?.title ?? e.stage}: ${STATUS_LABELS[e.status]}${e.durationMs !== undefined ? ` in ${formatDuration(e.durationMs / 1000)}` : ''}`,
        );
        io.out(`  ${e.state}`);
        if (e.error)
          io.out(
            `  error ${e.error.code}: ${e.error.message}${e.error.fix ? `\n  fix: ${e.error.fix}` : ''}`,
          );
        break;
      }
      case 'log':
        if (e.level === 'error') io.err(`  ${e.message}`);
        break;
      case 'restore-finished':
        printReport(io, e.report);
        break;
    }
  };
  const leaves = (): string =>
    cancelLeaves(
      [...stages.entries()].map(([id, s]) => ({ id, status: s.status, selected: s.selected })),
      running,
    );
  return { onEvent, leaves };
}

export function printReport(io: CliIo, r: RestoreReport): void {
  io.out('');
  io.out(`Result: ${r.status.toUpperCase()}`);
  for (const s of r.stages)
    io.out(
      `  ${s.title}: ${STATUS_LABELS[s.status]}${s.durationMs !== undefined ? ` (recovery time ${formatDuration(s.durationMs / 1000)})` : ''}`,
    );
  if (r.restored.length) io.out('Restored:');
  for (const x of r.restored) io.out(`  - ${x}`);
  if (r.notRestored.length) io.out('Not restored:');
  for (const x of r.notRestored) io.out(`  - ${x}`);
  for (const x of r.notes) io.out(`Note: ${x}`);
  io.out('Next steps:');
  r.nextSteps.forEach((x, i) => io.out(`  ${i + 1}. ${x}`));
  if (r.reportPath) io.out(`Report: ${r.reportPath} (and .md next to it)`);
}
