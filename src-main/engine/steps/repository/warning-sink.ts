// The repository step's warnings: each one names its file; past WARNINGS_PER_CODE per code they go
// to the run log only, with one summary line in the manifest. A pass may hold its per-entry
// warnings back (`defer`): the bracketed capture's second pass may make them moot (the file was
// read again cleanly, or it was deleted before the database's point), and only the rest are kept.
import type { StepContext } from '../../step.js';
import type { RepositoryWarningCode } from './archive-tree.js';

/** Individual warnings per code kept in the manifest; the rest go to the run log and one summary. */
export const WARNINGS_PER_CODE = 200;

export interface HeldWarning {
  code: RepositoryWarningCode;
  message: string;
  subject: string;
}

export interface WarningSink {
  add: (code: RepositoryWarningCode, message: string, subject: string) => void;
  count: (code: RepositoryWarningCode) => number;
  summarize: () => void;
}

export function warningSink(ctx: StepContext): WarningSink {
  const counts = new Map<string, number>();
  let summarized = false;
  return {
    add(code, message, subject) {
      const n = (counts.get(code) ?? 0) + 1;
      counts.set(code, n);
      if (n <= WARNINGS_PER_CODE) ctx.record.warn(code, message, subject === '' ? undefined : subject);
      else ctx.log.warn(`${code}: ${message}`);
    },
    count: (code) => counts.get(code) ?? 0,
    summarize() {
      if (summarized) return;
      summarized = true;
      for (const [code, n] of counts)
        if (n > WARNINGS_PER_CODE)
          ctx.record.warn(
            code,
            `${n - WARNINGS_PER_CODE} more ${code} warnings are not listed here; every one is in the run log.`,
          );
    },
  };
}

/** Per-entry codes a later pass can settle; the others (a destination inside the source ...) go through. */
const SETTLED_BY_A_LATER_PASS = new Set<RepositoryWarningCode>([
  'FILE_CHANGED',
  'FILE_VANISHED',
  'FILE_UNREADABLE',
  'FOLDER_VANISHED',
  'FOLDER_UNREADABLE',
]);

/** A sink that holds back the warnings a later pass can settle, by subject. */
export function holdingSink(sink: WarningSink): {
  add: WarningSink['add'];
  held: Map<string, HeldWarning[]>;
} {
  const held = new Map<string, HeldWarning[]>();
  return {
    held,
    add(code, message, subject) {
      if (!SETTLED_BY_A_LATER_PASS.has(code)) return sink.add(code, message, subject);
      const list = held.get(subject) ?? [];
      list.push({ code, message, subject });
      held.set(subject, list);
    },
  };
}
