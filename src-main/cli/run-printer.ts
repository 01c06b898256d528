// Human output of a run: one line per step change, a live progress line on a terminal
// (a line every 10 % otherwise, so logs of scheduled runs stay short), and a summary.
import type { RunEvent } from '../contract/events.js';
import { COMPONENT_IDS, type ComponentId } from '../contract/profile.js';
import { formatBytes, formatDuration } from '../contract/format.js';
import type { CliIo } from './io.js';

export function createHumanPrinter(io: CliIo): (e: RunEvent) => void {
  const titles = new Map<ComponentId, string>();
  let lastDecile = -1;
  let warnings: string[] = [];
  return (e) => {
    switch (e.type) {
      case 'run-started':
        for (const s of e.steps) titles.set(s.id, s.title);
        io.out(`Octane backup of profile "${e.profile}" (${e.kind}): set ${e.setName}`);
        for (const p of e.setPaths) io.out(`  writing to ${p}`);
        break;
      case 'step-started':
        lastDecile = -1;
        io.out(`> ${e.title}`);
        break;
      case 'step-progress': {
        const c = e.counters;
        const parts = [`${(e.fraction * 100).toFixed(0).padStart(3)}%`];
        if (c.bytesDone !== undefined)
          parts.push(
            `${formatBytes(c.bytesDone)}${c.bytesTotal !== undefined ? ` / ${formatBytes(c.bytesTotal)}` : ''}`,
          );
        if (c.bytesPerSecond !== undefined) parts.push(`${formatBytes(c.bytesPerSecond)}/s`);
        if (c.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(c.etaSeconds)}`);
        if (c.message) parts.push(c.message.length > 60 ? `…${c.message.slice(-59)}` : c.message);
        const line = `  ${parts.join('  ')}`;
        if (io.isTty) io.status(line);
        else {
          const decile = Math.floor(e.fraction * 10);
          if (decile > lastDecile) {
            lastDecile = decile;
            io.out(line);
          }
        }
        break;
      }
      case 'step-warning':
        warnings.push(`[${e.step}] ${e.code}: ${e.message}`);
        io.status('');
        io.out(`  warning: ${e.code}: ${e.message}`);
        break;
      case 'step-finished': {
        io.status('');
        const title = titles.get(e.step) ?? e.step;
        const extra = e.artifacts > 0 ? ` (${e.artifacts} file(s), ${formatBytes(e.bytes)})` : '';
        io.out(`  ${title}: ${e.status}${extra}`);
        if (e.error)
          io.out(
            `  error ${e.error.code}: ${e.error.message}${e.error.fix ? `\n  fix: ${e.error.fix}` : ''}`,
          );
        break;
      }
      case 'run-finished': {
        io.out('');
        io.out(`Result: ${e.status.toUpperCase()}`);
        const s = e.skew;
        if (s.windowSeconds !== undefined) {
          io.out(
            `Consistency window: ${s.windowSeconds.toFixed(1)} s on the ${s.clock} clock (tolerance ${s.toleranceSeconds} s)` +
              (s.withinTolerance ? ' - within tolerance' : ' - OVER TOLERANCE') +
              (s.captureMode ? `; repository capture ${s.captureMode}` : ''),
          );
          const points = COMPONENT_IDS.flatMap((id) => (s.points?.[id] ? [`${id} ${s.points[id]}`] : []));
          if (points.length > 0) io.out(`Points: ${points.join(', ')}`);
        }
        for (const p of e.manifestPaths) io.out(`Manifest: ${p}`);
        for (const p of e.setPaths) io.out(`Set: ${p}`);
        if (e.error)
          io.out(`Error ${e.error.code}: ${e.error.message}${e.error.fix ? `\nFix: ${e.error.fix}` : ''}`);
        if (warnings.length > 0) {
          io.out(`Warnings (${warnings.length}):`);
          for (const w of warnings) io.out(`  - ${w}`);
        }
        warnings = [];
        break;
      }
      case 'log':
        if (e.level === 'error') io.err(`  ${e.message}`);
        break;
    }
  };
}
