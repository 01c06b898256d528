import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPreflight } from '../../../../src-main/engine/preflight/run-preflight.js';
import { createOracleStep } from '../../../../src-main/engine/steps/oracle/index.js';
import { defaultSteps } from '../../../../src-main/engine/steps/registry.js';
import { FakeOracleServer, SQL } from '../../../support/oracle/healthy-server.js';
import { oracleProfile, runOracleBackup, TEST_PASSWORD } from '../../../support/oracle/run-oracle.js';
import { tempDir } from '../../../support/temp.js';

const EVIL = "X'); DROP USER Y;--";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('obm-oracle-');
});
afterEach(async () => tmp.cleanup());

/**
 * What the server computes from the step's SCHEMA_LIST expression, following Oracle's documented
 * semantics: REPLACE doubles every quote; ENQUOTE_LITERAL adds the outer quotes and raises an error
 * unless every inner quote is paired.
 */
function serverSideLiteral(value: string): string {
  const doubled = value.replace(/'/g, "''");
  const already = doubled.startsWith("'") && doubled.endsWith("'") && doubled.length >= 2;
  const inner = already ? doubled.slice(1, -1) : doubled;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] !== "'") continue;
    if (inner[i + 1] !== "'") throw new Error('ORA-06502: numeric or value error');
    i++;
  }
  return already ? doubled : `'${doubled}'`;
}

/** Reads a comma-separated list of SQL string literals back into their values (fails on anything else). */
function parseLiteralList(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") throw new Error(`not a literal at ${i}: ${text.slice(i)}`);
    let v = '';
    i++;
    for (;;) {
      if (i >= text.length) throw new Error('unterminated literal');
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          v += "'";
          i += 2;
          continue;
        }
        i++;
        break;
      }
      v += text[i];
      i++;
    }
    out.push(v);
    if (i < text.length) {
      if (text[i] !== ',') throw new Error(`expected a comma at ${i}: ${text.slice(i)}`);
      i++;
    }
  }
  return out;
}

describe('schema names cannot inject SQL (Oracle driver stand-in)', () => {
  it('Oracle driver stand-in: a schema named like an injection travels only as a bind value and becomes one quoted literal', async () => {
    const server = new FakeOracleServer();
    const { db } = await runOracleBackup(server, join(tmp.path, 'dest'), {
      cfg: { schemas: ['octane_site', EVIL] },
    });
    expect(db.status).toBe('succeeded');
    for (const call of server.db.calls) {
      expect(call.sql).not.toContain('DROP USER');
      expect(call.sql).not.toContain("X'");
    }
    const setup = server.db.callsTo(SQL.setup)[0];
    expect(setup?.binds.s1).toBe(EVIL);
    expect(setup?.sql).toContain(
      "schema_list := DBMS_ASSERT.ENQUOTE_LITERAL(REPLACE(:s0, '''', '''''')) || ',' || DBMS_ASSERT.ENQUOTE_LITERAL(REPLACE(:s1, '''', ''''''));",
    );
    // Evaluated the way the server does, the filter is exactly two literal names: no SQL left over.
    const list = ['OCTANE_SITE', EVIL].map(serverSideLiteral).join(',');
    expect(parseLiteralList(list)).toEqual(['OCTANE_SITE', EVIL]);
    // The manifest shows the value as a correctly quoted bind, for the record.
    expect(db.statements.find((s) => s.includes('DBMS_DATAPUMP.OPEN'))).toContain(
      ":s1 = 'X''); DROP USER Y;--'",
    );
  });

  it('Oracle driver stand-in: names that look already quoted are refused by the server-side check, never spliced', () => {
    expect(() => serverSideLiteral("'A' OR 1=1 OR 'B'")).toThrow('ORA-06502');
    expect(parseLiteralList(serverSideLiteral("it's"))).toEqual(["it's"]);
  });

  it('Oracle driver stand-in: the preflight asks about the same names through binds only', async () => {
    const server = new FakeOracleServer({ users: ['OCTANE_SITE'] });
    const steps = { ...defaultSteps(), database: () => createOracleStep({ connect: server.db.connect }) };
    const report = await runPreflight(
      oracleProfile(join(tmp.path, 'dest'), { schemas: ['octane_site', EVIL] }),
      {
        steps,
        env: { OCTANE_TEST_ORACLE_PASSWORD: TEST_PASSWORD },
      },
    );
    const exists = server.db.callsTo(SQL.usersIn)[0];
    expect(exists?.sql).toBe('SELECT USERNAME FROM ALL_USERS WHERE USERNAME IN (:s0, :s1)');
    expect(exists?.binds).toEqual({ s0: 'OCTANE_SITE', s1: EVIL });
    expect(server.db.calls.every((c) => !c.sql.includes('DROP USER'))).toBe(true);
    const schemaCheck = report.checks.find((c) => c.id === 'database:oracle-schemas');
    expect(schemaCheck?.status).toBe('failed');
    expect(schemaCheck?.message).toContain(EVIL);
  });
});
