// Elasticsearch's own rules for repository, snapshot and index names, checked before any request.
// Names go into URL paths (/_snapshot/<repository>/<snapshot>): a repository named ".." turns
// /_snapshot/../<snap> into /<snap>, so a PUT would create an index and a DELETE delete one.
// The rules are Elasticsearch's (RepositoriesService, SnapshotsService, MetadataCreateIndexService
// in 7.17 and 8.x), plus "." and ".." and control characters, which no real name has.
import { ExpectedError } from '../../errors.js';
import { hasControlChar } from '../../control-chars.js';

export type EsNameKind = 'repository' | 'snapshot' | 'index pattern';

/** Strings.INVALID_FILENAME_CHARS of Elasticsearch (space and comma included). */
const INVALID_FILENAME_CHARS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ','];
const MAX_INDEX_NAME_BYTES = 255;

function common(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (hasControlChar(name)) return 'must not contain control characters';
  if (/\s/.test(name)) return 'must not contain whitespace';
  if (name === '.' || name === '..') return `must not be "${name}"`;
  if (name.includes('#')) return 'must not contain "#"';
  if (name.startsWith('_')) return 'must not start with "_"';
  return undefined;
}

function invalidChars(name: string, allowed: string[] = []): string | undefined {
  const bad = INVALID_FILENAME_CHARS.filter((c) => !allowed.includes(c) && name.includes(c));
  return bad.length > 0 ? `must not contain ${bad.map((c) => `"${c}"`).join(', ')}` : undefined;
}

/** Why Elasticsearch (or a URL path) would not take this repository name; undefined when fine. */
export function repositoryNameProblem(name: string): string | undefined {
  return common(name) ?? invalidChars(name);
}

export function snapshotNameProblem(name: string): string | undefined {
  return (
    common(name) ?? (name !== name.toLowerCase() ? 'must be lowercase' : undefined) ?? invalidChars(name)
  );
}

/**
 * One index pattern of the profile: an index name in which "*" may stand for anything, with
 * an optional leading "-" to exclude (as in Elasticsearch's multi-target syntax).
 */
export function indexPatternProblem(pattern: string): string | undefined {
  const body = pattern.startsWith('-') ? pattern.slice(1) : pattern;
  if (body === '') return 'must name an index after "-"';
  const problem =
    common(body) ??
    (body.startsWith('-') || body.startsWith('+')
      ? 'must not start with "-" or "+" (after an exclusion "-")'
      : undefined) ??
    (body !== body.toLowerCase() ? 'must be lowercase (index names are)' : undefined) ??
    (body.includes(':') ? 'must not contain ":" (remote clusters are not backed up)' : undefined) ??
    invalidChars(body, ['*']) ??
    (Buffer.byteLength(body, 'utf8') > MAX_INDEX_NAME_BYTES
      ? `must be at most ${MAX_INDEX_NAME_BYTES} bytes`
      : undefined);
  return problem;
}

/** The profile's index entries split the way the step splits them ("a,b" is two patterns). */
export function indexPatternProblems(entries: readonly string[]): { pattern: string; problem: string }[] {
  const out: { pattern: string; problem: string }[] = [];
  for (const entry of entries)
    for (const raw of entry.split(',')) {
      const pattern = raw.trim();
      if (pattern === '') continue;
      const problem = indexPatternProblem(pattern);
      if (problem) out.push({ pattern, problem });
    }
  return out;
}

const PROBLEM: Record<'repository' | 'snapshot', (n: string) => string | undefined> = {
  repository: repositoryNameProblem,
  snapshot: snapshotNameProblem,
};

/**
 * A repository or snapshot name as one URL path segment, after checking it: the HTTP layer
 * never sends a request with a name Elasticsearch's rules refuse (whether it came from the
 * profile or from the server's own listing).
 */
export function esPathSegment(kind: 'repository' | 'snapshot', name: string): string {
  const problem = typeof name === 'string' ? PROBLEM[kind](name) : 'must be a text';
  if (problem)
    throw new ExpectedError(
      'ES_INVALID_NAME',
      `The Elasticsearch ${kind} name ${JSON.stringify(name)} ${problem}. No request was sent with it.`,
      {
        step: 'elasticsearch',
        details: { kind, name },
        fix:
          kind === 'repository'
            ? 'Correct "elasticsearch.repository" in the profile, e.g. "octane_backup" (no spaces, no \\ / * ? " < > | , #, not starting with "_").'
            : 'A snapshot name must be lowercase, without spaces and without \\ / * ? " < > | , #, and must not start with "_". If Elasticsearch listed this name, check what created it.',
      },
    );
  return encodeURIComponent(name);
}

/** An index name (not a pattern): what a restore closes, deletes or renames. */
export function indexNameProblem(name: string): string | undefined {
  if (name.includes('*')) return 'must not contain "*"';
  return indexPatternProblem(name.startsWith('-') ? `+${name}` : name);
}

const CHECKS = {
  repository: repositoryNameProblem,
  snapshot: snapshotNameProblem,
  index: indexNameProblem,
} as const;

/**
 * Throws ES_INVALID_NAME when `name` breaks Elasticsearch's rules for its kind. `source` says where
 * the name came from ("the profile", "the set's manifest", "the journal") so the fix can point there.
 */
export function assertEsName(kind: keyof typeof CHECKS, name: unknown, source: string): string {
  const problem = typeof name === 'string' ? CHECKS[kind](name) : 'must be text';
  if (problem === undefined) return name as string;
  const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : String(name);
  throw new ExpectedError(
    'ES_INVALID_NAME',
    `The ${kind} name ${shown} from ${source} is not valid: it ${problem}.`,
    {
      step: 'elasticsearch',
      details: { kind, source },
      fix:
        source === 'the profile'
          ? `Correct the ${kind} name in the profile.`
          : "The set's manifest was edited or damaged; restore from another set, or from an untouched copy of this one.",
    },
  );
}

/** One URL path segment: a checked name, percent-encoded. Nothing unchecked becomes part of a path. */
export function pathSegment(kind: keyof typeof CHECKS, name: string): string {
  return kind === 'index'
    ? encodeURIComponent(assertEsName(kind, name, 'a request'))
    : esPathSegment(kind, name);
}
