// Elasticsearch's naming rules for repositories, snapshots and indices, checked here before any
// name reaches a URL. Names come from the profile and from a set's manifest (untrusted input): a
// name such as ".." or "a/../b" would otherwise change which endpoint a request hits, and "*" or
// "a,b" would turn "close this index" into "close these indices". The rules follow Elasticsearch's
// own (RepositoriesService, SnapshotsService, MetadataCreateIndexService in 7.x and 8.x), plus
// "." and ".." which Elasticsearch leaves to the HTTP layer.
import { ExpectedError } from '../../errors.js';

/** Characters Elasticsearch refuses in file-like names (Strings.INVALID_FILENAME_CHARS), plus '#' and ':'. */
const FORBIDDEN = /[\\/*?"<>|,#:\s]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_BYTES = 255;

function common(name: string, what: string): string | undefined {
  if (name.length === 0) return `a ${what} name may not be empty.`;
  if (name === '.' || name === '..') return `a ${what} name may not be "." or "..".`;
  if (Buffer.byteLength(name, 'utf8') > MAX_BYTES) return `a ${what} name may be at most 255 bytes long.`;
  if (CONTROL.test(name)) return `a ${what} name may not contain control characters.`;
  const bad = FORBIDDEN.exec(name);
  if (bad)
    return `a ${what} name may not contain ${bad[0].trim() === '' ? 'spaces' : `"${bad[0]}"`} (nor any of \\ / * ? " < > | , # : or spaces).`;
  return undefined;
}

export function repositoryNameProblem(name: string): string | undefined {
  return (
    common(name, 'repository') ??
    (name.startsWith('_') ? 'a repository name may not start with "_".' : undefined)
  );
}

export function snapshotNameProblem(name: string): string | undefined {
  const c = common(name, 'snapshot');
  if (c) return c;
  if (name.startsWith('_')) return 'a snapshot name may not start with "_".';
  if (name !== name.toLowerCase()) return 'a snapshot name must be lowercase.';
  return undefined;
}

export function indexNameProblem(name: string): string | undefined {
  const c = common(name, 'index');
  if (c) return c;
  if (/^[_\-+]/.test(name)) return 'an index name may not start with "_", "-" or "+".';
  if (name !== name.toLowerCase()) return 'an index name must be lowercase.';
  return undefined;
}

const CHECKS = {
  repository: repositoryNameProblem,
  snapshot: snapshotNameProblem,
  index: indexNameProblem,
} as const;

/**
 * Throws ES_INVALID_NAME when `name` breaks Elasticsearch's rules for its kind. `source` says where
 * the name came from ("the profile", "the set's manifest") so the fix can point there.
 */
export function assertEsName(kind: keyof typeof CHECKS, name: unknown, source: string): string {
  const problem = typeof name === 'string' ? CHECKS[kind](name) : `a ${kind} name must be text.`;
  if (problem === undefined) return name as string;
  const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : String(name);
  throw new ExpectedError(
    'ES_INVALID_NAME',
    `The ${kind} name ${shown} from ${source} is not valid: ${problem}`,
    {
      step: 'elasticsearch',
      details: { kind, source },
      fix:
        source === 'the profile'
          ? `Correct the ${kind} name in the profile.`
          : `The set's manifest was edited or damaged; restore from another set, or from an untouched copy of this one.`,
    },
  );
}

/** One URL path segment: a checked name, percent-encoded. Nothing unchecked becomes part of a path. */
export function pathSegment(kind: keyof typeof CHECKS, name: string): string {
  return encodeURIComponent(assertEsName(kind, name, 'a request'));
}
