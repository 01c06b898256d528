// Scheduling: from tolerated data loss to a registered task (Windows) or timer files (Linux).
export {
  proposeSchedule,
  RPO_PRESETS_HOURS,
  DEFAULT_ANCHOR,
  type ScheduleProposal,
  type PlannedRun,
} from './propose-schedule.js';
export {
  buildTaskXml,
  encodeTaskXml,
  decodeTaskXml,
  taskNameForProfile,
  TASK_FOLDER,
  DEFAULT_EXECUTION_TIME_LIMIT_HOURS,
  type TaskDefinitionOptions,
  type TaskLogonType,
  type ScheduledCommand,
} from './task-xml.js';
export {
  installWindowsTask,
  removeWindowsTask,
  queryWindowsTask,
  runWindowsTaskNow,
  parseSchtasksCsv,
  describeLastResult,
  type WindowsTaskStatus,
  type TaskState,
} from './schtasks.js';
export { linuxScheduleFiles, unitNameFor, type LinuxScheduleFiles } from './linux-units.js';
export { appScheduledCommand, cliScheduledCommand } from './scheduled-command.js';
export { systemTimeZone } from './time-zone.js';
