// Octane's ConnectionString is a JDBC URL. Read the parts the backup needs from the common
// forms (Microsoft and jTDS drivers for SQL Server; Oracle thin/oci with //host:port/service,
// host:port:SID, a TNS descriptor or alias; the DataDirect "jdbc:mercury:" forms older
// Octane/ALM setups use). Credentials inside the URL are never returned.

export interface JdbcInfo {
  engine: 'sqlserver' | 'oracle';
  host?: string;
  port?: number;
  /** SQL Server named instance. */
  instance?: string;
  /** SQL Server database (databaseName). */
  database?: string;
  serviceName?: string;
  sid?: string;
  tnsAlias?: string;
  /** Oracle: something oracledb accepts as connectString (Easy Connect or descriptor). */
  connectString?: string;
  /** True when the URL carried a user or password (not returned). */
  hadCredentials: boolean;
}

function props(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0)
      out.set(
        part.slice(0, eq).trim().toLowerCase(),
        part
          .slice(eq + 1)
          .trim()
          .replace(/^\{(.*)\}$/, '$1'),
      );
  }
  return out;
}

const port = (p: string | undefined): number | undefined => {
  if (p === undefined || !/^\d{1,5}$/.test(p.trim())) return undefined;
  const n = Number(p);
  return n >= 1 && n <= 65535 ? n : undefined;
};

function hostPort(text: string): { host?: string; port?: number; instance?: string } {
  const out: { host?: string; port?: number; instance?: string } = {};
  let t = text.trim();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) {
    if (v6[1]) out.host = v6[1];
    const p = port(v6[2]);
    if (p !== undefined) out.port = p;
    return out;
  }
  const colon = t.lastIndexOf(':');
  if (colon >= 0) {
    const p = port(t.slice(colon + 1));
    if (p !== undefined) out.port = p;
    t = t.slice(0, colon);
  }
  const bs = t.indexOf('\\');
  if (bs >= 0) {
    const inst = t.slice(bs + 1).trim();
    if (inst) out.instance = inst;
    t = t.slice(0, bs);
  }
  if (t.trim()) out.host = t.trim();
  return out;
}

function sqlServer(rest: string, style: 'microsoft' | 'jtds' | 'mercury'): JdbcInfo {
  // rest: "//host\inst:port;prop=v" (microsoft, mercury) or "//host:port/db;prop=v" (jtds)
  const body = rest.replace(/^\/\//, '');
  const semi = body.indexOf(';');
  let hostPart = semi >= 0 ? body.slice(0, semi) : body;
  const p = props(semi >= 0 ? body.slice(semi + 1) : '');
  const info: JdbcInfo = {
    engine: 'sqlserver',
    hadCredentials: p.has('user') || p.has('password') || p.has('username'),
  };
  let db: string | undefined;
  if (style === 'jtds') {
    const slash = hostPart.indexOf('/');
    if (slash >= 0) {
      db = hostPart.slice(slash + 1);
      hostPart = hostPart.slice(0, slash);
    }
  }
  if (hostPart) Object.assign(info, hostPort(hostPart.split(',')[0] ?? ''));
  const host = p.get('servername') ?? p.get('server');
  if (!info.host && host) Object.assign(info, { ...hostPort(host), ...info });
  const inst = p.get('instancename') ?? p.get('instance');
  if (!info.instance && inst) info.instance = inst;
  const pn = port(p.get('portnumber') ?? p.get('port'));
  if (info.port === undefined && pn !== undefined) info.port = pn;
  db = p.get('databasename') ?? p.get('database') ?? db;
  if (db) info.database = db;
  return info;
}

/** Values of (KEY=value) in a TNS descriptor, first occurrence. */
function tnsValue(desc: string, key: string): string | undefined {
  return new RegExp(`\\(\\s*${key}\\s*=\\s*([^)\\s]+)\\s*\\)`, 'i').exec(desc)?.[1];
}

function oracle(target: string, hadCredentials: boolean): JdbcInfo {
  const info: JdbcInfo = { engine: 'oracle', hadCredentials };
  const t = target.trim();
  if (t.startsWith('(')) {
    const host = tnsValue(t, 'HOST');
    const p = port(tnsValue(t, 'PORT'));
    const svc = tnsValue(t, 'SERVICE_NAME');
    const sid = tnsValue(t, 'SID');
    if (host) info.host = host;
    if (p !== undefined) info.port = p;
    if (svc) info.serviceName = svc;
    if (sid) info.sid = sid;
    info.connectString = t.replace(/\s+/g, '');
    return info;
  }
  // Easy Connect: [//]host[:port][/service][:server][/instance] or host:port:SID
  const ez = /^(?:\/\/)?(\[[^\]]+\]|[^:/?]+)(?::(\d+))?(?::([A-Za-z0-9_$#.]+)|\/([^:/?]+))?/.exec(t);
  if (!ez || (!ez[2] && !ez[3] && !ez[4] && !t.startsWith('//'))) {
    if (/^[A-Za-z0-9_.$-]+$/.test(t)) {
      info.tnsAlias = t;
      info.connectString = t;
    }
    return info;
  }
  info.host = (ez[1] ?? '').replace(/^\[|\]$/g, '');
  const p = port(ez[2]);
  if (p !== undefined) info.port = p;
  if (ez[3]) info.sid = ez[3];
  if (ez[4]) info.serviceName = ez[4];
  const hp = `${ez[1]}${p !== undefined ? `:${p}` : ''}`;
  if (info.serviceName) info.connectString = `${hp}/${info.serviceName}`;
  else if (info.sid)
    info.connectString = `(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=${info.host})(PORT=${p ?? 1521}))(CONNECT_DATA=(SID=${info.sid})))`;
  else info.connectString = hp;
  return info;
}

export function parseJdbcUrl(urlInput: string): JdbcInfo | undefined {
  const url = urlInput.trim();
  let m = /^jdbc:sqlserver:(.*)$/i.exec(url);
  if (m) return sqlServer(m[1] ?? '', 'microsoft');
  m = /^jdbc:jtds:sqlserver:(.*)$/i.exec(url);
  if (m) return sqlServer(m[1] ?? '', 'jtds');
  m = /^jdbc:mercury:sqlserver:(.*)$/i.exec(url);
  if (m) return sqlServer(m[1] ?? '', 'mercury');
  m = /^jdbc:(?:mercury|datadirect):oracle:(.*)$/i.exec(url);
  if (m) {
    const body = (m[1] ?? '').replace(/^\/\//, '');
    const semi = body.indexOf(';');
    const p = props(semi >= 0 ? body.slice(semi + 1) : '');
    const hp = hostPort(semi >= 0 ? body.slice(0, semi) : body);
    const svc = p.get('servicename');
    const sid = p.get('sid');
    const alias = p.get('tnsservername');
    const target = svc
      ? `${hp.host ?? ''}:${hp.port ?? 1521}/${svc}`
      : sid
        ? `${hp.host ?? ''}:${hp.port ?? 1521}:${sid}`
        : (alias ?? `${hp.host ?? ''}:${hp.port ?? 1521}`);
    return oracle(target, p.has('user') || p.has('password'));
  }
  m = /^jdbc:oracle:(?:thin|oci8?|kprb):(.*)$/i.exec(url);
  if (m) {
    const rest = m[1] ?? '';
    const at = rest.indexOf('@');
    const creds = at > 0 ? rest.slice(0, at) : '';
    return oracle(at >= 0 ? rest.slice(at + 1) : rest, creds.trim() !== '');
  }
  return undefined;
}
