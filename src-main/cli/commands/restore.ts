// `octane-backup restore <set folder> --config <file> [--only database,elasticsearch,config,repository]
// [--plan] [--yes] [--json] [--runbook <file>|-]`: parses, calls the restore use-case (the same the
// app calls), confirms, prints. --plan changes nothing: exit 0 when the restore could run, 2 when a
// precondition fails. Without --yes a terminal asks for the profile name to be typed; with no
// terminal and no --yes nothing happens (exit 2). Exit codes otherwise as for `run`.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EXIT_CODES, exitCodeForStatus, type ErrorInfo } from '../../contract/errors.js';
import { RESTORE_STAGES, type RestoreStageId } from '../../contract/restore-run.js';
import { ConfigError } from '../../engine/config/validate-profile.js';
import { ExpectedError, toErrorInfo } from '../../engine/errors.js';
import { planRestore, restoreSet, runbookFor, type RestoreDeps } from '../../engine/use-cases/restore-set.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';
import { loadConfig } from '../load-config.js';
import { createRestorePrinter, printPreparation } from '../restore-printer.js';

export const RESTORE_USAGE =
  'restore <set folder> --config <file> [--only database,elasticsearch,config,repository] [--plan] [--yes] [--json] [--runbook <file>|-]';

function parseOnly(v: string | undefined): RestoreStageId[] | undefined {
  if (v === undefined) return undefined;
  const ids = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = ids.filter((x) => !(RESTORE_STAGES as readonly string[]).includes(x));
  if (ids.length === 0 || bad.length)
    throw new CliError(
      `--only takes a comma-separated list of ${RESTORE_STAGES.join(', ')}${bad.length ? ` (not: ${bad.join(', ')})` : ''}.`,
    );
  return RESTORE_STAGES.filter((id) => ids.includes(id));
}

function args(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      only: { type: 'string' },
      plan: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      runbook: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const setPath = positionals[0];
  if (!setPath || positionals.length > 1)
    throw new CliError(
      'restore takes exactly one set folder (the one holding manifest.json), then --config <file>.',
    );
  return { ...values, setPath, only: parseOnly(values.only) };
}

export async function restoreCommand(argv: string[], io: CliIo, deps: RestoreDeps = {}): Promise<number> {
  const a = args(argv);
  const profile = await loadConfig(a.config);
  const base = { setPath: a.setPath, profile, signal: io.signal, ...(a.only && { only: a.only }) };
  try {
    if (a.runbook !== undefined) {
      const text = await runbookFor(base, deps);
      if (a.runbook === '-') io.out(text);
      else await writeFile(a.runbook, text, 'utf8');
      return EXIT_CODES.success;
    }
    if (a.plan) {
      const { preparation, readiness } = await planRestore({ ...base, octaneStopped: true }, deps);
      const selected = a.only ?? preparation.stages.filter((s) => s.available).map((s) => s.id);
      if (a.json) io.out(JSON.stringify({ preparation, selected, readiness }));
      else printPreparation(io, preparation, selected, readiness);
      return readiness.ready ? EXIT_CODES.success : EXIT_CODES.badInput;
    }
    return await run(a, base, io, deps);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    if (err instanceof ExpectedError)
      return failed(io, a.json, toErrorInfo(err, { where: 'restore' }), EXIT_CODES.badInput);
    throw err;
  }
}

async function run(
  a: ReturnType<typeof args>,
  base: Parameters<typeof restoreSet>[0],
  io: CliIo,
  deps: RestoreDeps,
): Promise<number> {
  const ask = io.ask;
  if (!a.yes && !ask)
    throw new CliError(
      'A restore replaces the live database, indices and files, so it asks for the profile name to be typed: run it in a terminal, or add --yes (after checking with --plan).',
    );
  const printer = createRestorePrinter(io);
  const onAbort = (): void => io.err(`Cancelling. ${printer.leaves()}`);
  io.signal.addEventListener('abort', onAbort, { once: true });
  const name = base.profile.profile;
  try {
    const outcome = await restoreSet(
      {
        ...base,
        onEvent: a.json ? (e) => io.out(JSON.stringify(e)) : printer.onEvent,
        ...(a.yes && { octaneStopped: true }),
        confirm: async (p, r) => {
          if (!a.json)
            printPreparation(io, p, base.only ?? p.stages.filter((s) => s.available).map((s) => s.id), r);
          if (a.yes || !ask) return true;
          const answer = await ask(
            `\nThis replaces what is listed above. Octane must be stopped on every node${p.confirmStopped ? ' (the tool cannot check it: typing the name confirms it)' : ''}.\nType the profile name "${name}" to restore, anything else to stop: `,
          );
          return answer?.trim() === name;
        },
      },
      deps,
    );
    if (outcome.started) return exitCodeForStatus(outcome.report.status);
    if (outcome.declined) {
      io.err('Not restored: the profile name was not typed. Nothing was changed.');
      return EXIT_CODES.cancelled;
    }
    if (outcome.error)
      return failed(
        io,
        a.json,
        outcome.error,
        outcome.error.code.startsWith('RESTORE_SET_') ? EXIT_CODES.badInput : EXIT_CODES.failed,
      );
    if (a.json)
      io.out(
        JSON.stringify({ type: 'not-ready', preparation: outcome.preparation, readiness: outcome.readiness }),
      );
    else if (outcome.preparation && outcome.readiness) {
      const p = outcome.preparation;
      printPreparation(
        io,
        p,
        base.only ?? p.stages.filter((s) => s.available).map((s) => s.id),
        outcome.readiness,
      );
      io.err('Not restored: a precondition fails (see above). Nothing was changed.');
    }
    return EXIT_CODES.badInput;
  } finally {
    io.signal.removeEventListener('abort', onAbort);
  }
}

function failed(io: CliIo, json: boolean, e: ErrorInfo, code: number): number {
  if (json) io.out(JSON.stringify({ type: 'error', error: e }));
  else io.err(`Not restored: ${e.message}${e.fix ? `\nFix: ${e.fix}` : ''}`);
  return code;
}
