export { afterRun, type AfterRunDeps, type AfterRunReport } from './after-run.js';
export { checkBackupAge, pointInTime, type BackupAgeCheck } from './backup-age.js';
export { sendEmail, sendTestEmail, shouldEmail, type EmailMessage, type SendResult } from './email.js';
export {
  EVENT_SOURCE,
  EVENT_IDS,
  eventForStatus,
  eventLogCommand,
  writeEventLog,
  registerEventSource,
  registerSourceScript,
  writeEventScript,
  psQuote,
  type EventLogEntry,
} from './event-log.js';
export { runSummaryText, runHeadline } from './run-summary.js';
