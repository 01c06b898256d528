// "Next scheduled run" for the Overview: asks Windows Task Scheduler about the profile's task
// (created by the scheduler module). Elsewhere, or when there is no task: "not scheduled".
import type { Profile } from '../contract/profile.js';
import type { ScheduleInfo } from '../contract/ui.js';
import type { CommandRunner } from '../engine/os/run-command.js';
import { queryWindowsTask } from '../engine/schedule/schtasks.js';
import { taskNameForProfile } from '../engine/schedule/task-xml.js';

export const NOT_SCHEDULED: ScheduleInfo = { note: 'not scheduled' };

export async function scheduleInfoFor(
  profile: Profile,
  opts: { platform: NodeJS.Platform; runner: CommandRunner },
): Promise<ScheduleInfo> {
  if (opts.platform !== 'win32') return NOT_SCHEDULED;
  let task;
  try {
    task = await queryWindowsTask(taskNameForProfile(profile.profile), opts.runner);
  } catch {
    return { note: 'unknown (Task Scheduler did not answer)' };
  }
  if (!task.exists) return NOT_SCHEDULED;
  if (task.enabled === false) return { note: 'scheduled task disabled' };
  const next = task.nextRunTime?.trim();
  // schtasks prints local time in the system's date format ("11.03.2025" is 11 March in German,
  // "3/11/2025" is 11 March in English): shown as Windows prints it, never re-parsed.
  return { note: next ? `${next} (Task Scheduler)` : task.schedules.join('; ') || 'scheduled' };
}
