import { describe, expect, it } from 'vitest';
import { parseJdbcUrl } from '../../../src-main/engine/octane-config/jdbc-url.js';

describe('JDBC URL parsing', () => {
  it.each([
    [
      'jdbc:sqlserver://sqlprod01:1433;databaseName=octane_site',
      { engine: 'sqlserver', host: 'sqlprod01', port: 1433, database: 'octane_site' },
    ],
    [
      'jdbc:sqlserver://SQLPROD01\\OCTANE;databaseName=site',
      { engine: 'sqlserver', host: 'SQLPROD01', instance: 'OCTANE', database: 'site' },
    ],
    [
      'jdbc:sqlserver://;serverName=db.corp;portNumber=14330;database=x',
      { engine: 'sqlserver', host: 'db.corp', port: 14330, database: 'x' },
    ],
    ['JDBC:SQLSERVER://[fe80::1]:1433', { engine: 'sqlserver', host: 'fe80::1', port: 1433 }],
    [
      'jdbc:jtds:sqlserver://db2:1500/octane;instance=SQLEXPRESS',
      { engine: 'sqlserver', host: 'db2', port: 1500, database: 'octane', instance: 'SQLEXPRESS' },
    ],
    [
      'jdbc:mercury:sqlserver://dbm:1433;DatabaseName=octane_site',
      { engine: 'sqlserver', host: 'dbm', port: 1433, database: 'octane_site' },
    ],
    [
      'jdbc:oracle:thin:@//orahost:1521/OCTPDB',
      {
        engine: 'oracle',
        host: 'orahost',
        port: 1521,
        serviceName: 'OCTPDB',
        connectString: 'orahost:1521/OCTPDB',
      },
    ],
    [
      'jdbc:oracle:thin:@orahost:1521/OCTPDB.corp',
      {
        engine: 'oracle',
        host: 'orahost',
        port: 1521,
        serviceName: 'OCTPDB.corp',
        connectString: 'orahost:1521/OCTPDB.corp',
      },
    ],
    [
      'jdbc:oracle:thin:@orahost:1521:ORCL',
      {
        engine: 'oracle',
        host: 'orahost',
        port: 1521,
        sid: 'ORCL',
        connectString:
          '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=orahost)(PORT=1521))(CONNECT_DATA=(SID=ORCL)))',
      },
    ],
    [
      'jdbc:oracle:thin:@OCTANE_TNS',
      { engine: 'oracle', tnsAlias: 'OCTANE_TNS', connectString: 'OCTANE_TNS' },
    ],
    [
      'jdbc:mercury:oracle://oh:1521;servicename=orcl',
      { engine: 'oracle', host: 'oh', port: 1521, serviceName: 'orcl', connectString: 'oh:1521/orcl' },
    ],
    ['jdbc:mercury:oracle://oh:1522;SID=XE', { engine: 'oracle', host: 'oh', port: 1522, sid: 'XE' }],
  ])('%s', (url, expected) => {
    expect(parseJdbcUrl(url)).toMatchObject({ ...expected, hadCredentials: false });
  });

  it('reads a TNS descriptor', () => {
    const r = parseJdbcUrl(
      'jdbc:oracle:thin:@(DESCRIPTION = (ADDRESS = (PROTOCOL = TCP)(HOST = ora-scan.corp)(PORT = 1521)) (CONNECT_DATA = (SERVER = DEDICATED)(SERVICE_NAME = octane.corp)))',
    );
    expect(r).toMatchObject({
      engine: 'oracle',
      host: 'ora-scan.corp',
      port: 1521,
      serviceName: 'octane.corp',
    });
    expect(r?.connectString).toBe(
      '(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora-scan.corp)(PORT=1521))(CONNECT_DATA=(SERVER=DEDICATED)(SERVICE_NAME=octane.corp)))',
    );
  });

  it('notices credentials in the URL and never returns them', () => {
    const o = parseJdbcUrl('jdbc:oracle:thin:scott/tiger@//h:1521/s');
    expect(o?.hadCredentials).toBe(true);
    expect(JSON.stringify(o)).not.toContain('tiger');
    const s = parseJdbcUrl('jdbc:sqlserver://h:1433;user=sa;password=Secret1');
    expect(s?.hadCredentials).toBe(true);
    expect(JSON.stringify(s)).not.toContain('Secret1');
  });

  it('gives undefined for what is not a SQL Server or Oracle JDBC URL', () => {
    expect(parseJdbcUrl('jdbc:postgresql://h/db')).toBeUndefined();
    expect(parseJdbcUrl('not a url')).toBeUndefined();
  });
});
