// A secret the main process holds — a password in the app's secret store, or the environment
// variable a saved profile names in passwordEnv — is bound to the connection it was saved for:
// the host, port, user and TLS settings of the SAVED profile. The renderer is not trusted with
// choosing where it goes: a compromised renderer could otherwise point a connection test at a
// server of its own and receive the stored password (or any environment variable of the app).
// A typed password is the renderer's own and may go anywhere.
import type {
  DatabaseConfig,
  ElasticsearchConfig,
  Profile,
  RunSecrets,
  SmtpAlertConfig,
} from '../contract/profile.js';
import { ExpectedError } from '../engine/errors.js';

export type SecretScope = 'database' | 'elasticsearch' | 'email';

type SecretName = keyof RunSecrets;

/** Where a component's connection goes, as one comparable text, and as words for messages. */
interface Target {
  key: string;
  words: string;
}

const lower = (s: string | undefined): string => (s ?? '').trim().toLowerCase();

function databaseTarget(c: DatabaseConfig): Target {
  if (c.engine === 'oracle') {
    const key = JSON.stringify(['oracle', lower(c.connectString), lower(c.user)]);
    return { key, words: `${c.connectString} as ${c.user}` };
  }
  const key = JSON.stringify([
    'sqlserver',
    lower(c.server),
    c.port ?? null,
    lower(c.instance),
    lower(c.user),
    lower(c.domain),
    c.encrypt ?? true,
    c.trustServerCertificate ?? false,
  ]);
  const where = `${c.server}${c.instance ? `\\${c.instance}` : ''}${c.port !== undefined ? `:${c.port}` : ''}`;
  const who = c.domain ? `${c.domain}\\${c.user ?? ''}` : (c.user ?? 'Windows authentication');
  return { key, words: `${where} as ${who}` };
}

/** One node address as the connection uses it (scheme, host, port, path). */
function nodeKey(u: string): string {
  try {
    const url = new URL(u);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return lower(u);
  }
}

function elasticsearchTarget(c: ElasticsearchConfig): Target {
  const nodes = [...(c.node ? [c.node] : []), ...(c.nodes ?? [])].map(nodeKey).sort();
  const key = JSON.stringify([
    nodes,
    c.username ?? null,
    c.caFile ?? null,
    c.caFingerprint ? c.caFingerprint.replace(/[^0-9a-fA-F]/g, '').toLowerCase() : null,
    c.insecureSkipVerify ?? false,
  ]);
  return { key, words: `${nodes.join(', ')}${c.username ? ` as ${c.username}` : ''}` };
}

function emailTarget(c: SmtpAlertConfig): Target {
  const key = JSON.stringify([
    lower(c.host),
    c.port ?? null,
    c.secure ?? null,
    c.user ?? null,
    c.caFile ?? null,
  ]);
  return {
    key,
    words: `${c.host}${c.port !== undefined ? `:${c.port}` : ''}${c.user ? ` as ${c.user}` : ''}`,
  };
}

interface ScopeRule {
  secrets: SecretName[];
  envKeys: ('passwordEnv' | 'apiKeyEnv')[];
  of: (p: Partial<Profile> | undefined) => object | undefined;
  target: (c: never) => Target;
  what: string;
}

const RULES: Record<SecretScope, ScopeRule> = {
  database: {
    secrets: ['databasePassword'],
    envKeys: ['passwordEnv'],
    of: (p) => p?.database,
    target: databaseTarget,
    what: 'database password',
  },
  elasticsearch: {
    secrets: ['elasticsearchPassword', 'elasticsearchApiKey'],
    envKeys: ['passwordEnv', 'apiKeyEnv'],
    of: (p) => p?.elasticsearch,
    target: elasticsearchTarget,
    what: 'Elasticsearch password or API key',
  },
  email: {
    secrets: ['smtpPassword'],
    envKeys: ['passwordEnv'],
    of: (p) => p?.alerts?.email,
    target: emailTarget,
    what: 'mail server password',
  },
};

export const SECRET_SCOPES = Object.keys(RULES) as SecretScope[];

function targetOf(scope: SecretScope, config: object | undefined): Target | undefined {
  return config === undefined ? undefined : RULES[scope].target(config as never);
}

/** True when `draft` sends this component's secrets exactly where the saved profile sends them. */
export function sameTarget(
  scope: SecretScope,
  draft: object | undefined,
  saved: object | undefined,
): boolean {
  const a = targetOf(scope, draft);
  const b = targetOf(scope, saved);
  return a !== undefined && b !== undefined && a.key === b.key;
}

/** Environment variable names a draft gives for this component that differ from the saved ones. */
function foreignEnvNames(scope: SecretScope, draft: object | undefined, saved: object | undefined): string[] {
  if (draft === undefined) return [];
  const d = draft as Record<string, unknown>;
  const s = (saved ?? {}) as Record<string, unknown>;
  return RULES[scope].envKeys.filter(
    (k) => d[k] !== undefined && (d[k] !== s[k] || !sameTarget(scope, draft, saved)),
  );
}

/**
 * Checks the environment variable names of a draft: each must be the one the saved profile
 * already names, for the same target. The renderer can never make the app read another
 * variable (a password, a token of the app's own environment) and send it somewhere.
 */
export function requireSavedEnvNames(
  scope: SecretScope,
  draft: object | undefined,
  saved: object | undefined,
  key: string,
): void {
  const foreign = foreignEnvNames(scope, draft, saved);
  if (foreign.length === 0) return;
  const d = draft as Record<string, unknown>;
  throw new ExpectedError(
    'SECRET_ENV_NOT_ALLOWED',
    `${foreign.map((k) => `${key}.${k} ("${String(d[k])}")`).join(' and ')} is not the environment variable saved with this profile for this server: the app reads an environment variable only for the server it was configured for.`,
    {
      step: 'app',
      fix: "Type the password in the form (it is kept in the app's secret store), or set passwordEnv in a config file for the command line tool.",
      details: { problems: foreign.map((k) => ({ key: `${key}.${k}`, message: 'is not the saved value.' })) },
    },
  );
}

/**
 * The stored secrets of one component that may be used for a connection to `draft`: all of
 * them when the draft connects where the saved profile does, none otherwise. `typed` secrets
 * (entered in the form now) always stay. A needed stored secret withheld is an error that says
 * to type the password again, so that nothing is attempted without it.
 */
export function scopedSecrets(
  scope: SecretScope,
  draft: object | undefined,
  saved: object | undefined,
  stored: RunSecrets,
  typed: RunSecrets = {},
): RunSecrets {
  const rule = RULES[scope];
  const out: RunSecrets = {};
  const storedHere = rule.secrets.filter((k) => stored[k] !== undefined && wouldUse(k, draft));
  const typedHere = rule.secrets.filter((k) => typed[k] !== undefined);
  for (const k of typedHere) out[k] = typed[k];
  if (draft === undefined || storedHere.length === 0 || typedHere.length > 0) return out;
  if (sameTarget(scope, draft, saved)) {
    for (const k of storedHere) out[k] = stored[k];
    return out;
  }
  const was = targetOf(scope, saved);
  const now = targetOf(scope, draft);
  throw new ExpectedError(
    'SECRET_TARGET_CHANGED',
    `The saved ${rule.what} is sent only to ${was ? was.words : 'the server saved with the profile'} with the saved TLS settings; the form now points at ${now?.words ?? 'another server'}${was && now && was.words === now.words ? ' with other TLS settings' : ''}.`,
    {
      step: 'app',
      fix: 'Type the password again to use it for these settings. (Saving the profile with a new server or user also asks for the password again.)',
    },
  );
}

/**
 * Whether a connection to `draft` would send this secret at all: a password only goes with a
 * user name (an anonymous Elasticsearch test or an unauthenticated relay needs none), an API key
 * always. A secret that would not be sent is no reason to ask for the password again.
 */
function wouldUse(k: SecretName, draft: object | undefined): boolean {
  const d = (draft ?? {}) as { username?: unknown; user?: unknown };
  if (k === 'elasticsearchPassword') return typeof d.username === 'string' && d.username !== '';
  if (k === 'smtpPassword') return typeof d.user === 'string' && d.user !== '';
  return true;
}

/** Stored secrets of a saved profile that no longer hold after saving `next` over `previous`. */
export function secretsToForget(previous: Profile | undefined, next: Profile): SecretName[] {
  const out: SecretName[] = [];
  for (const scope of SECRET_SCOPES) {
    const rule = RULES[scope];
    const before = rule.of(previous);
    const after = rule.of(next);
    if (before === undefined || after === undefined || !sameTarget(scope, after, before))
      out.push(...rule.secrets);
  }
  return out;
}

/** The component config of a profile for a scope (for callers outside this module). */
export function configOf(scope: SecretScope, p: Partial<Profile> | undefined): object | undefined {
  return RULES[scope].of(p);
}
