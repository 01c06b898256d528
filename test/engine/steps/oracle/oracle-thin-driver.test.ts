// The real oracledb driver (Thin mode) against sockets that are not Oracle: proves the default
// connection factory loads without an Instant Client and that its real errors are explained.
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src-main/contract/profile.js';
import { ExpectedError } from '../../../../src-main/engine/errors.js';
import { testOracleConnection } from '../../../../src-main/engine/steps/oracle/index.js';
import { defaultSteps } from '../../../../src-main/engine/steps/registry.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function listen(onSocket: (s: Socket) => void): Promise<number> {
  const server = createServer(onSocket);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

async function failure(connectString: string): Promise<ExpectedError> {
  const err: unknown = await testOracleConnection(
    { connectString, user: 'backup', password: 'not-used-pw' },
    {},
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ExpectedError)) throw new Error(`expected a ExpectedError, got ${String(err)}`);
  return err;
}

describe('Oracle step with the real oracledb Thin driver (no database)', () => {
  it('the registry builds the Oracle step with the default Thin connection factory', () => {
    const profile: Profile = {
      profile: 'p',
      destination: '/tmp/x',
      database: { engine: 'oracle', connectString: 'h:1521/s', user: 'u', password: 'p', schemas: ['A'] },
    };
    const step = defaultSteps().database(profile);
    expect(step?.title).toBe('Oracle database (Data Pump)');
    expect(typeof step?.preflight).toBe('function');
  });

  it('a port with no listener is reported as unreachable (NJS-503 from Thin mode)', async () => {
    const port = await closedPort();
    const err = await failure(`127.0.0.1:${port}/OCTANEPDB`);
    expect(err.code).toBe('ORACLE_UNREACHABLE');
    expect(err.details?.codes).toContain('NJS-503');
    expect(err.fix).toContain('firewall');
    // The driver ran in Thin mode: no Oracle Client libraries were loaded.
    const oracledb = createRequire(import.meta.url)('oracledb') as { thin: boolean };
    expect(oracledb.thin).toBe(true);
  });

  it('a socket that hangs up at once is reported as a broken connection (NJS-500/NJS-521)', async () => {
    const port = await listen((s) => s.destroy());
    const err = await failure(`127.0.0.1:${port}/OCTANEPDB`);
    expect(err.code).toBe('ORACLE_CONNECTION_LOST');
    expect(err.message).toContain(`127.0.0.1:${port}/OCTANEPDB`);
  });

  it('a connect string that is neither Easy Connect nor a descriptor is explained', async () => {
    const err = await failure('not a connect string ((');
    expect(err.code).toBe('ORACLE_CONNECT_STRING_INVALID');
    expect(err.fix).toContain('host:port/service_name');
  });
});
