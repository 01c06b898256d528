// Config validation shared by the CLI and the UI: every problem names its key, what it must be, and
// the field's label. The rules themselves are the schema's (contract/profile-schema.ts); this module
// only turns the schema library's findings into problems.
import type * as z from 'zod';
import { ExpectedError } from '../errors.js';
import type { Profile } from '../../contract/profile.js';
import {
  doubledBackslashCheck,
  PROFILE_RULES,
  profileFileSchema,
  profilePathChecks,
  type ProfileCheck,
  type ProfileRule,
} from '../../contract/profile-schema.js';
import { pathPlatform } from '../../contract/local-paths.js';
import { fieldIndex, fieldMeta, MESSAGES } from '../../contract/schema-kit.js';
import type { FieldProblem } from '../../contract/ui.js';
import { elasticsearchRuleProblems } from './security-rules.js';

export { PROFILE_NAME_PATTERN } from '../../contract/profile-schema.js';

/** One problem: the key ("database.server"), what is wrong, and the field's label when it has one. */
export type ConfigProblem = FieldProblem;

/** A profile that cannot run: every problem names its key. */
export class ConfigError extends ExpectedError {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      'CONFIG_INVALID',
      'The configuration is not valid:\n' + problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n'),
      { step: 'config', fix: 'Correct the settings named above.', details: { problems } },
    );
    this.name = 'ConfigError';
  }
}

/** The key a problem is reported under; the whole file is "(root)". */
export const ROOT_KEY = '(root)';

/** The label of a key in a schema; an unknown key is its own label. */
function labeller(schema: z.ZodType): (key: string) => string {
  const texts = fieldIndex(schema);
  return (key) => (key === ROOT_KEY ? fieldMeta.get(schema) : texts.get(key))?.label ?? key;
}

/** A problem with the label of its field in the profile schema. */
export function configProblem(key: string, message: string): ConfigProblem {
  return { key, message, label: labeller(profileFileSchema)(key) };
}

// A problem inside a list ("databases[2]") belongs to the list: the form shows it there.
function keyOf(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (const p of path) {
    if (typeof p !== 'string') break;
    parts.push(p);
  }
  return parts.join('.');
}

function problemsOf(issue: z.core.$ZodIssue, label: (key: string) => string): ConfigProblem[] {
  const key = keyOf(issue.path);
  const problem = (k: string): ConfigProblem => ({ key: k, message: issue.message, label: label(k) });
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((k) => problem(key === '' ? k : `${key}.${k}`));
  return [problem(key === '' ? ROOT_KEY : key)];
}

/**
 * Validates `input` against a schema built with contract/schema-kit.ts and its cross-key rules:
 * the value typed as the schema says, or a ConfigError naming every problem with its label.
 */
export function validateAgainst<S extends z.ZodType>(
  schema: S,
  rules: readonly ProfileRule[],
  input: unknown,
  checks: readonly ProfileCheck[] = [],
): z.output<S> {
  const label = labeller(schema);
  // Every field kind words its own messages; the fallback keeps a library default ("Invalid input")
  // from ever reaching a user should a future field kind forget to.
  const parsed = schema.safeParse(input, { error: () => MESSAGES.invalid });
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const add = (p: ConfigProblem): void => {
    // Several bad entries of one list give one problem for the list.
    const id = `${p.key}\n${p.message}`;
    if (seen.has(id)) return;
    seen.add(id);
    problems.push(p);
  };
  for (const issue of parsed.error?.issues ?? []) problemsOf(issue, label).forEach(add);
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    for (const rule of rules)
      if (rule.broken(input as Record<string, unknown>))
        add({ key: rule.key, message: rule.message, label: label(rule.key) });
    for (const check of checks)
      for (const p of check(input as Record<string, unknown>)) add({ ...p, label: label(p.key) });
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/** The engine's own rules on top of the schema: secrets and names that reach other servers. */
function engineRules(input: Record<string, unknown>): { key: string; message: string }[] {
  const es = input.elasticsearch;
  return typeof es === 'object' && es !== null && !Array.isArray(es)
    ? elasticsearchRuleProblems(es as Record<string, unknown>)
    : [];
}

export interface ValidateOptions {
  /**
   * The platform whose paths the profile must use; default this computer's. "any": the paths are
   * not judged yet (a stored profile whose removable drives are located afterwards; the run judges
   * the located one).
   */
  platform?: NodeJS.Platform | 'any';
  /** Path keys not judged (destinations bound to a removable drive, located when the run starts). */
  skipPathKeys?: readonly string[];
}

export function validateProfile(input: unknown, opts: ValidateOptions = {}): Profile {
  const platform = opts.platform ?? process.platform;
  const checks: ProfileCheck[] = [engineRules];
  if (platform !== 'any')
    checks.push(
      profilePathChecks(pathPlatform(platform), opts.skipPathKeys),
      doubledBackslashCheck(pathPlatform(platform)),
    );
  return validateAgainst(profileFileSchema, PROFILE_RULES, input, checks);
}
