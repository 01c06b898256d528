// What the taskbar button and the notification-area icon show while backups run: the overall
// progress of the running jobs (the engine's weighted `overall`, 0..1) and a tooltip naming them.
// Pure: the Electron glue applies it (BrowserWindow.setProgressBar, Tray). No electron import.
import type { RunDoneMessage, RunEventMessage } from '../contract/ui.js';

export interface RunIndicator {
  /** -1: no run (progress bar removed); 0..1: the mean overall progress of the running jobs. */
  progress: number;
  /** The tray tooltip; undefined when no run goes (the tray icon is removed). */
  tooltip?: string;
}

export class RunIndicators {
  private readonly jobs = new Map<string, { profile: string; overall: number }>();

  event(msg: RunEventMessage): RunIndicator {
    const e = msg.event;
    if (e.type === 'run-started') this.jobs.set(msg.jobId, { profile: e.profile, overall: 0 });
    else if (e.type === 'step-progress') {
      const job = this.jobs.get(msg.jobId);
      if (job) job.overall = Math.min(1, Math.max(0, e.overall));
    }
    return this.current();
  }

  done(msg: RunDoneMessage): RunIndicator {
    this.jobs.delete(msg.jobId);
    return this.current();
  }

  current(): RunIndicator {
    const jobs = [...this.jobs.values()];
    if (jobs.length === 0) return { progress: -1 };
    const progress = jobs.reduce((a, j) => a + j.overall, 0) / jobs.length;
    const names = jobs.map((j) => `“${j.profile}”`).join(', ');
    return {
      progress,
      tooltip: `Octane Backup Manager: backing up ${names} (${Math.round(progress * 100)} %)`,
    };
  }
}
