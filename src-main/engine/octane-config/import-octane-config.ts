// Reads an Octane install's configuration and pre-fills a profile. Every value says where it
// came from (file and key); passwords are never imported (Octane stores them encrypted, and
// the admin types them into the app's secret store); what could not be read is said plainly.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type {
  ElasticsearchConfig,
  OracleConfig,
  RepositoryConfig,
  SqlServerConfig,
} from '../../contract/profile.js';
import type { ConfigEntry, ParsedConfig } from './config-entry.js';
import { defaultOctaneConfigDir } from './default-dirs.js';
import { parseJdbcUrl } from './jdbc-url.js';
import { detectOctaneVersion } from './octane-version.js';
import { parseHocon } from './parse-hocon.js';
import { parseSetupXml } from './parse-setup-xml.js';
import { parseYaml } from './parse-yaml.js';

export interface ValueSource {
  file: string;
  key: string;
  line?: number;
}

export interface FoundValue {
  /** What it means for the profile, e.g. "database.server". */
  key: string;
  value: string;
  source: ValueSource;
}

export interface ProfileDraft {
  profile: string;
  octaneConfigDir: string;
  database?: Partial<SqlServerConfig> | Partial<OracleConfig>;
  elasticsearch?: Partial<ElasticsearchConfig>;
  repository?: Partial<RepositoryConfig>;
}

export interface OctaneConfigImport {
  dir: string;
  filesRead: string[];
  found: FoundValue[];
  /** Passwords seen in the files: never imported; ask the admin. */
  secretsNotImported: ValueSource[];
  problems: string[];
  octaneVersion?: string;
  profileDraft: ProfileDraft;
}

// Known keys per meaning, as normalised suffixes (lower case, only letters/digits/dots).
// Older releases use setup.xml names (DBType); newer ones nested HOCON/YAML keys.
const KEYS = {
  dbType: ['dbtype', 'database.type', 'databasetype', 'db.type', 'database.dbtype'],
  connectionString: [
    'connectionstring',
    'database.connectionstring',
    'jdbcurl',
    'database.jdbcurl',
    'database.url',
    'db.url',
  ],
  server: ['dbservername', 'database.server', 'database.servername', 'database.host', 'dbhost', 'dbserver'],
  port: ['dbserverport', 'database.port', 'dbport'],
  serviceName: ['servicename', 'database.servicename', 'database.service', 'dbservicename'],
  sid: ['database.sid', 'dbsid'],
  adminUser: [
    'dbadminuser',
    'database.adminuser.name',
    'adminuser.name',
    'database.adminuser',
    'dbadminusername',
    'adminuser',
  ],
  siteSchema: [
    'schemaname',
    'siteschemaname',
    'database.siteschema.name',
    'siteschema.name',
    'database.siteschema',
    'siteschema',
  ],
  sharedSpaceSchema: [
    'sharedspaceschemaname',
    'database.sharedspaceschema.name',
    'sharedspaceschema.name',
    'sharedspaceschema',
  ],
  esHost: [
    'elastichost',
    'elasticsearch.host',
    'elasticsearch.hosts',
    'elastic.host',
    'elastic.hosts',
    'elasticsearchhost',
    'elasticsearch.url',
  ],
  esPort: [
    'elasticport',
    'elasticsearch.port',
    'elastic.port',
    'elasticsearch.httpport',
    'elasticsearchport',
  ],
  esCluster: [
    'elasticclustername',
    'elasticsearch.clustername',
    'elastic.clustername',
    'elasticsearchclustername',
  ],
  repositoryFolder: [
    'repositoryfolder',
    'repository.folder',
    'repository.path',
    'repositorypath',
    'server.repositoryfolder',
  ],
} as const;
type Meaning = keyof typeof KEYS;

const norm = (k: string): string => k.toLowerCase().replace(/[^a-z0-9.]/g, '');
const isSecretKey = (k: string): boolean => /(password|passwd|pwd|secret)/i.test(k);

function meaningOf(key: string): Meaning | undefined {
  const n = norm(key);
  for (const [meaning, suffixes] of Object.entries(KEYS) as [Meaning, readonly string[]][])
    if (suffixes.some((s) => n === s || n.endsWith(`.${s}`))) return meaning;
  return undefined;
}

const FILES: { name: string; parse: (t: string) => ParsedConfig }[] = [
  // Newest format first: when a leftover setup.xml disagrees, octane.conf is what runs.
  { name: 'octane.conf', parse: parseHocon },
  { name: 'octane.yml', parse: parseYaml },
  { name: 'setup.xml', parse: parseSetupXml },
];

export async function importOctaneConfig(dirInput?: string): Promise<OctaneConfigImport> {
  const dir = resolve(dirInput ?? defaultOctaneConfigDir());
  const out: OctaneConfigImport = {
    dir,
    filesRead: [],
    found: [],
    secretsNotImported: [],
    problems: [],
    profileDraft: { profile: 'octane', octaneConfigDir: dir },
  };
  try {
    if (!(await stat(dir)).isDirectory())
      out.problems.push(`${dir} is a file, not a folder: give Octane's conf folder.`);
  } catch {
    out.problems.push(
      `The folder ${dir} does not exist or cannot be read. Give Octane's conf folder (default ${defaultOctaneConfigDir()}).`,
    );
    return out;
  }
  const parsed: { file: string; entries: ConfigEntry[] }[] = [];
  for (const f of FILES) {
    const path = join(dir, f.name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ENOENT')
        out.problems.push(
          `${f.name}: cannot be read (${code ?? (err as Error).message}); run as a user that can read ${dir}.`,
        );
      continue;
    }
    out.filesRead.push(f.name);
    if (text.includes('\u0000')) {
      out.problems.push(`${f.name}: is not a text file (binary content); skipped.`);
      continue;
    }
    const r = f.parse(text);
    for (const p of r.problems) out.problems.push(`${f.name}: ${p}`);
    parsed.push({ file: f.name, entries: r.entries });
  }
  if (out.filesRead.length === 0)
    out.problems.push(
      `None of octane.conf, octane.yml, setup.xml is in ${dir}. Is this Octane's conf folder?`,
    );

  const first = new Map<Meaning, FoundValue>();
  for (const { file, entries } of parsed) {
    for (const e of entries) {
      if (isSecretKey(e.key)) {
        if (e.value !== '') out.secretsNotImported.push({ file, key: e.key, line: e.line });
        continue;
      }
      const meaning = meaningOf(e.key);
      if (!meaning || e.value === '') continue;
      const fv: FoundValue = { key: meaning, value: e.value, source: { file, key: e.key, line: e.line } };
      const prev = first.get(meaning);
      if (!prev) first.set(meaning, fv);
      else if (prev.value !== e.value && prev.source.file !== file)
        out.problems.push(
          `${meaning}: ${prev.source.file} says "${prev.value}", ${file} says "${e.value}"; using ${prev.source.file} (the newer format).`,
        );
    }
  }
  const v = await detectOctaneVersion(dir, parsed);
  if (v) out.octaneVersion = v.version;
  buildDraft(out, first);
  if (v)
    out.found.push({ key: 'octane.version', value: v.version, source: { file: v.source, key: 'version' } });
  return out;
}

/** Reads the values found, in the order Octane's own config gives them meaning. */
interface Reader {
  add(key: string, value: string, source: ValueSource): void;
  get(m: Meaning): FoundValue | undefined;
  /** The value of `m`, also listed as found under `key`. */
  use(m: Meaning, key: string): string | undefined;
}

function buildDraft(out: OctaneConfigImport, first: Map<Meaning, FoundValue>): void {
  const r: Reader = {
    add: (key, value, source) => void out.found.push({ key, value, source }),
    get: (m) => first.get(m),
    use: (m, key) => {
      const f = first.get(m);
      if (f) r.add(key, f.value, f.source);
      return f?.value;
    },
  };
  draftDatabase(out, r);
  draftElasticsearch(out, r);
  const repo = r.use('repositoryFolder', 'repository.path');
  if (repo) out.profileDraft.repository = { path: repo };
  else out.problems.push('No repository folder (RepositoryFolder) was found.');
  if (out.secretsNotImported.length > 0)
    out.problems.push(
      `Passwords were found (${out.secretsNotImported.map((s) => `${s.file}: ${s.key}`).join(', ')}) and NOT imported: Octane stores them encrypted. Enter them in the app (or use passwordEnv).`,
    );
}

/** DBType says the engine; a JDBC URL is more precise: it wins when both are there. */
function engineOf(out: OctaneConfigImport, typeText: string | undefined): 'sqlserver' | 'oracle' | undefined {
  if (typeText === undefined) return undefined;
  if (/oracle/i.test(typeText)) return 'oracle';
  if (/ms.?sql|sql.?server/i.test(typeText)) return 'sqlserver';
  out.problems.push(
    `database.type "${typeText}" is neither MSSQL nor ORACLE (the only databases Octane supports).`,
  );
  return undefined;
}

function readJdbc(
  out: OctaneConfigImport,
  r: Reader,
  engine: 'sqlserver' | 'oracle' | undefined,
): ReturnType<typeof parseJdbcUrl> {
  const cs = r.get('connectionString');
  if (!cs) return undefined;
  const jdbc = parseJdbcUrl(cs.value);
  r.add('database.connectionString', cs.value.replace(/(password|pwd)=[^;]*/gi, '$1=***'), cs.source);
  if (!jdbc) {
    out.problems.push(
      `The ConnectionString (${cs.source.file}) is not a JDBC URL this tool reads; enter the server by hand.`,
    );
    return undefined;
  }
  if (jdbc.hadCredentials)
    out.problems.push('The ConnectionString carries credentials; they were not imported.');
  if (engine && jdbc.engine !== engine)
    out.problems.push(
      `database.type says ${engine} but the ConnectionString is for ${jdbc.engine}; using the ConnectionString.`,
    );
  const src = { ...cs.source, key: `${cs.source.key} (parsed)` };
  if (jdbc.host) r.add('database.server', jdbc.host, src);
  if (jdbc.port !== undefined) r.add('database.port', String(jdbc.port), src);
  if (jdbc.instance) r.add('database.instance', jdbc.instance, src);
  if (jdbc.database) r.add('database.name', jdbc.database, src);
  if (jdbc.serviceName) r.add('database.serviceName', jdbc.serviceName, src);
  if (jdbc.sid) r.add('database.sid', jdbc.sid, src);
  if (jdbc.tnsAlias) r.add('database.tnsAlias', jdbc.tnsAlias, src);
  return jdbc;
}

// Database: DBType, then the JDBC URL, then the separate server/port/service keys.
function draftDatabase(out: OctaneConfigImport, r: Reader): void {
  const typed = engineOf(out, r.use('dbType', 'database.type'));
  const jdbc = readJdbc(out, r, typed);
  const engine = jdbc?.engine ?? typed;
  const server = jdbc?.host ?? r.use('server', 'database.server');
  const portText = jdbc?.port !== undefined ? String(jdbc.port) : r.use('port', 'database.port');
  const service = jdbc?.serviceName ?? r.use('serviceName', 'database.serviceName');
  const sid = jdbc?.sid ?? r.use('sid', 'database.sid');
  const adminUser = r.use('adminUser', 'database.adminUser');
  const site = r.use('siteSchema', 'database.siteSchema');
  const shared = r.use('sharedSpaceSchema', 'database.sharedSpaceSchema');
  const schemas = [...new Set([site, shared].filter((x): x is string => !!x))];
  const port = portText !== undefined && /^\d{1,5}$/.test(portText) ? Number(portText) : undefined;
  if (portText !== undefined && port === undefined)
    out.problems.push(`database.port "${portText}" is not a port number; left out.`);

  if (engine === 'sqlserver') {
    const db: Partial<SqlServerConfig> = { engine: 'sqlserver' };
    if (server) db.server = server;
    if (jdbc?.instance) db.instance = jdbc.instance;
    else if (port !== undefined) db.port = port;
    if (adminUser) db.user = adminUser;
    if (schemas.length > 0) db.databases = schemas;
    out.profileDraft.database = db;
    out.problems.push(
      "database.serverBackupDir is not in Octane's config: choose a folder on the SQL Server host (or a UNC share) where the server may write .bak files.",
    );
  } else if (engine === 'oracle') {
    const db: Partial<OracleConfig> = { engine: 'oracle' };
    const cstr =
      jdbc?.connectString ??
      (server && service
        ? `${server}:${port ?? 1521}/${service}`
        : server && sid
          ? `(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=${server})(PORT=${port ?? 1521}))(CONNECT_DATA=(SID=${sid})))`
          : undefined);
    if (cstr) db.connectString = cstr;
    if (adminUser) db.user = adminUser;
    if (schemas.length > 0) db.schemas = schemas.map((s) => s.toUpperCase());
    out.profileDraft.database = db;
  } else if (server || r.get('connectionString')) {
    out.problems.push(
      'The database type could not be told (no DBType and no readable ConnectionString): choose SQL Server or Oracle.',
    );
  } else out.problems.push('No database settings were found.');
  if (engine && schemas.length === 0)
    out.problems.push('No site schema name (SchemaName) was found: pick the Octane schemas by hand.');
  if (engine && !server && !jdbc?.connectString) out.problems.push('No database server was found.');
}

// Elasticsearch: HTTP node URLs from host(s) and port.
function draftElasticsearch(out: OctaneConfigImport, r: Reader): void {
  const hosts = r.use('esHost', 'elasticsearch.host');
  const esPortText = r.use('esPort', 'elasticsearch.port');
  r.use('esCluster', 'elasticsearch.clusterName');
  if (!hosts) {
    out.problems.push('No Elasticsearch host was found.');
    return;
  }
  let esPort = esPortText !== undefined && /^\d{1,5}$/.test(esPortText) ? Number(esPortText) : undefined;
  if (esPort === 9300) {
    out.problems.push(
      'Elasticsearch port 9300 is the transport port; the backup talks HTTP (usually 9200): the draft uses 9200, check it.',
    );
    esPort = 9200;
  }
  const nodes = hosts
    .split(/[,\s]+/)
    .filter((h) => h !== '')
    .map((h) =>
      /^https?:\/\//i.test(h) ? h : /:\d+$/.test(h) ? `http://${h}` : `http://${h}:${esPort ?? 9200}`,
    );
  const es: Partial<ElasticsearchConfig> = {};
  const [only] = nodes;
  if (nodes.length === 1 && only) es.node = only;
  else if (nodes.length > 1) es.nodes = nodes;
  out.profileDraft.elasticsearch = es;
  out.problems.push(
    "elasticsearch.repository and elasticsearch.location are not in Octane's config: register an fs snapshot repository (its folder must be in path.repo).",
  );
}
