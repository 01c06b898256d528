// The "Test connection" and "Discover" buttons: one place that wires the steps' own discovery
// functions, so the app tests a connection exactly the way a backup will connect.
import { formatBytes } from '../contract/format.js';
import type { DatabaseConfig, ElasticsearchConfig, RunSecrets } from '../contract/profile.js';
import type { ConnectionTest, DatabaseDiscovery } from '../contract/ui.js';
import { ExpectedError } from '../engine/errors.js';

// The database drivers load on the first click, not with the window (see steps/registry.ts).
const oracle = () => import('../engine/steps/oracle/index.js');
const sqlServer = () => import('../engine/steps/sqlserver/index.js');
const elasticsearch = () => import('../engine/steps/elasticsearch/index.js');

export interface Discovery {
  testDatabase(config: DatabaseConfig, secrets: RunSecrets, signal: AbortSignal): Promise<ConnectionTest>;
  listDatabases(config: DatabaseConfig, secrets: RunSecrets, signal: AbortSignal): Promise<DatabaseDiscovery>;
  testElasticsearch(
    config: ElasticsearchConfig,
    secrets: RunSecrets,
    signal: AbortSignal,
  ): Promise<ConnectionTest>;
}

/** Expected failures become a red answer with the fix; anything else stays an error. */
function failed(err: unknown): ConnectionTest {
  if (err instanceof ExpectedError)
    return err.fix ? { ok: false, message: err.message, fix: err.fix } : { ok: false, message: err.message };
  throw err;
}

export function defaultDiscovery(): Discovery {
  return {
    async testDatabase(config, secrets, signal) {
      try {
        if (config.engine === 'oracle') {
          const r = await (await oracle()).testOracleConnection(config, secrets);
          const t: ConnectionTest = { ok: true, message: r.message };
          if (r.server.version) t.serverVersion = r.server.version;
          return t;
        }
        const r = await (await sqlServer()).testSqlServerConnection(config, secrets, { signal });
        const f = r.facts;
        const notes: string[] = [];
        if (!f.canReadHistory)
          notes.push(
            'This login cannot read msdb backup history, so the LSNs of each backup will be missing.',
          );
        if (!f.canVerify)
          notes.push('This login may not run RESTORE VERIFYONLY; turn verification off or grant the right.');
        if (Math.abs(r.clockOffsetMs) > 5_000)
          notes.push(
            `The server's clock is ${(r.clockOffsetMs / 1000).toFixed(0)} s off this PC's; skew is measured on the server's clock.`,
          );
        return {
          ok: true,
          serverVersion: `${f.edition} ${f.productVersion} ${f.productLevel}`.trim(),
          message: `Connected to ${r.server} as ${f.loginName}${f.isSysadmin ? ' (sysadmin)' : ''}.${notes.length ? ` ${notes.join(' ')}` : ''}`,
        };
      } catch (err) {
        return failed(err);
      }
    },
    async listDatabases(config, secrets, signal) {
      if (config.engine === 'oracle') {
        const r = await (await oracle()).listOracleSchemas(config, secrets);
        const d: DatabaseDiscovery = {
          candidates: r.schemas.map((s) => ({ name: s.name, detail: `${s.objects} objects` })),
        };
        if (r.note) d.note = r.note;
        return d;
      }
      const rows = await (await sqlServer()).listSqlServerDatabases(config, secrets, { signal });
      return {
        candidates: rows.map((r) => ({
          name: r.name,
          detail: [
            r.state,
            `${r.recoveryModel} recovery`,
            r.allocatedBytes !== null ? formatBytes(r.allocatedBytes) : '',
            r.canBackup ? '' : 'cannot be backed up by this login',
          ]
            .filter((x) => x !== '')
            .join(', '),
        })),
      };
    },
    testElasticsearch: async (config, secrets, signal) =>
      (await elasticsearch()).testElasticsearchConnection(config, secrets, signal),
  };
}
