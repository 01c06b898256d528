// Bracketed capture (prior art: SAP Content Management's DBFS procedure): the whole repository is
// archived BEFORE the database's consistency point, recording each entry's identity; once the
// database has its point (and Elasticsearch's snapshot has started), a second walk appends what is
// new or changed to the same archive and lists what disappeared. What disappeared stays in the
// archive: the database may still reference it at its point, and Octane cleans up orphans.
//
// The window is the second walk plus the delta. The one thing it cannot hold is a file created
// after the first pass walked its folder and deleted before the second walk reached it: it existed
// only between the two walks; and a file deleted after the point before the second walk reached it
// keeps the first pass's copy, older than the database's if it was rewritten in between
// (docs/repository-step.md).
import type { EntryOutcome } from './archive-tree.js';
import type { ArchiveSession } from './archive-session.js';
import { IdentityRecord, keyPath } from './identity-record.js';
import type { RepositorySource } from './source.js';
import type { StepContext } from '../../step.js';
import { holdingSink, type HeldWarning } from './warning-sink.js';
import { formatBytes, plural } from '../../../contract/format.js';

/** Where the bracket is described: both passes and what disappeared in between. */
export const BRACKET_FILE = 'repository.bracket.json';

/** The first pass ends at this share of the step's progress; the second pass fills most of the rest. */
const FIRST_PASS_SHARE = 0.85;

interface PassFacts {
  startedAt: string;
  finishedAt: string;
  files: number;
  bytes: number;
  folders: number;
  symlinks: number;
}

export async function captureBracketed(
  ctx: StepContext,
  src: RepositorySource,
  session: ArchiveSession,
): Promise<{ files: number; bytes: number; skipped: number }> {
  const record = new IdentityRecord();
  const hold = holdingSink(src.warn);
  const firstStart = new Date();
  const first = await session.pass({
    root: src.root,
    rootDev: src.identity.dev,
    exclude: src.exclude,
    warn: hold.add,
    scan: true,
    range: [0, FIRST_PASS_SHARE],
    onEntry: (e, outcome) => record.first(e, outcome),
  });
  const firstFacts = facts(firstStart, first);
  ctx.log.info(
    `First pass: ${plural(first.files, 'file')} (${formatBytes(first.bytes)}) archived before the database backup.`,
  );
  ctx.capture.ready();
  ctx.progress.report(FIRST_PASS_SHARE, {
    message: "First pass done; waiting for the database's consistency point",
  });
  await ctx.capture.turn();

  const secondStart = new Date();
  const heldOutcome = new Map<string, EntryOutcome>();
  const warnedAgain = new Set<string>();
  let walked = 0;
  const delta = await session.pass({
    root: src.root,
    rootDev: src.identity.dev,
    exclude: src.exclude,
    warn: (code, message, subject) => {
      warnedAgain.add(subject);
      src.warn.add(code, message, subject);
    },
    scan: false,
    range: [FIRST_PASS_SHARE, 0.98],
    pass: 2,
    select: (e) => record.changed(e),
    onEntry: (e, outcome) => {
      walked++;
      record.second(e, outcome);
      if (hold.held.has(e.rel)) heldOutcome.set(e.rel, outcome);
    },
  });
  const end = new Date();
  ctx.capture.taken({
    at: end,
    notBefore: secondStart,
    description: `End of the second pass over the repository folder (${walked} entries walked, ${plural(delta.files, 'file')} new or changed appended), after the database's consistency point.`,
  });
  settle(ctx, src, hold.held, heldOutcome, warnedAgain);
  const disappeared = [...record.disappeared()].map((d) => ({ ...keyPath(d.key), type: d.kind }));
  const secondFacts = { ...facts(secondStart, delta, end), walked };
  await ctx.out.writeFile(
    BRACKET_FILE,
    JSON.stringify({ firstPass: firstFacts, secondPass: secondFacts, disappeared }, null, 2) + '\n',
    'The bracketed capture: first pass, second pass after the database point, and what disappeared in between',
  );
  ctx.record.detail('bracket', {
    firstPass: firstFacts,
    secondPass: secondFacts,
    disappeared: disappeared.length,
    file: ctx.out.relPath(BRACKET_FILE),
  });
  ctx.log.info(
    `Second pass: ${walked} entries walked in ${((end.getTime() - secondStart.getTime()) / 1000).toFixed(2)} s, ${plural(delta.files, 'file')} (${formatBytes(delta.bytes)}) appended, ${plural(disappeared.length, 'entry', 'entries')} gone since the first pass (kept in the archive).`,
  );
  return { ...record.totals(), skipped: first.skipped + delta.skipped };
}

function facts(
  start: Date,
  c: { files: number; bytes: number; directories: number; symlinks: number },
  end = new Date(),
): PassFacts {
  return {
    startedAt: start.toISOString(),
    finishedAt: end.toISOString(),
    files: c.files,
    bytes: c.bytes,
    folders: c.directories,
    symlinks: c.symlinks,
  };
}

/**
 * The first pass's warnings, settled by the second: moot when the second pass archived the entry
 * again cleanly, or warned about it itself, or listed the folder again; moot for a file or folder
 * that vanished during the first pass and is still gone (it went before the database's point).
 * Every other one is kept: e.g. a file read while it changed and deleted before the second pass.
 */
function settle(
  ctx: StepContext,
  src: RepositorySource,
  held: Map<string, HeldWarning[]>,
  outcome: Map<string, EntryOutcome>,
  warnedAgain: Set<string>,
): void {
  let moot = 0;
  for (const [subject, warnings] of held)
    for (const w of warnings) {
      const again = outcome.get(subject);
      const folder = w.code === 'FOLDER_VANISHED' || w.code === 'FOLDER_UNREADABLE';
      const vanished = w.code === 'FILE_VANISHED' || w.code === 'FOLDER_VANISHED';
      if (
        warnedAgain.has(subject) ||
        again === 'stored' ||
        (folder && again !== undefined) ||
        (vanished && again === undefined)
      ) {
        moot++;
        ctx.log.info(`${w.code} during the first pass, settled by the second: ${w.message}`);
      } else src.warn.add(w.code, w.message, w.subject);
    }
  if (moot > 0)
    ctx.log.info(`${plural(moot, 'first-pass warning')} settled by the second pass (see the lines above).`);
}
