// Profile rules that keep secrets and requests where they belong. Small functions of plain
// values, so that whichever validator runs the profile checks (validate-profile.ts) calls them.
import { indexPatternProblems, repositoryNameProblem } from '../steps/elasticsearch/names.js';

export interface RuleProblem {
  key: string;
  message: string;
}

/**
 * A node address must not carry a user name or password ("https://elastic:pw@es01:9200"): it
 * would be stored in clear, shown in the window and written in logs. The user goes in
 * elasticsearch.username, the password in the app's secret store or passwordEnv.
 */
export function nodeUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined; // the "must start with http(s)://" rule speaks about malformed addresses
  }
  if (u.username === '' && u.password === '') return undefined;
  return 'must not contain a user name or password (user:password@host): put the user in "elasticsearch.username" and the password in the app or in an environment variable named by "passwordEnv".';
}

/** Elasticsearch rules for the profile's elasticsearch section (its shape is checked elsewhere). */
export function elasticsearchRuleProblems(es: Record<string, unknown>): RuleProblem[] {
  const out: RuleProblem[] = [];
  if (typeof es.node === 'string') {
    const p = nodeUrlProblem(es.node);
    if (p) out.push({ key: 'elasticsearch.node', message: p });
  }
  if (Array.isArray(es.nodes))
    es.nodes.forEach((n, i) => {
      const p = typeof n === 'string' ? nodeUrlProblem(n) : undefined;
      if (p) out.push({ key: `elasticsearch.nodes[${i}]`, message: p });
    });
  if (typeof es.repository === 'string' && es.repository.trim() !== '') {
    const p = repositoryNameProblem(es.repository);
    if (p)
      out.push({
        key: 'elasticsearch.repository',
        message: `${p} (Elasticsearch's rule for repository names; e.g. "octane_backup").`,
      });
  }
  if (Array.isArray(es.indices) && es.indices.every((x) => typeof x === 'string'))
    for (const { pattern, problem } of indexPatternProblems(es.indices))
      out.push({ key: 'elasticsearch.indices', message: `"${pattern}" ${problem}.` });
  return out;
}
