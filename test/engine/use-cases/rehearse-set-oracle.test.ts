// The rehearsal use-case on an Oracle set (the scripted driver stand-in): one remapped import into
// scratch schemas, totals and invalid objects in the record (reported, not failed), the scratch
// users dropped, the live ones untouched.
import { afterEach, describe, expect, it } from 'vitest';
import { readRehearsals } from '../../../src-main/engine/backup-set/rehearsal-record.js';
import { rehearseSet } from '../../../src-main/engine/use-cases/rehearse-set.js';
import { RESTORE_SQL } from '../../support/oracle/restoring-server.js';
import { oracleProfile, TEST_PASSWORD } from '../../support/oracle/run-oracle.js';
import { exported, type Exported } from '../steps/oracle/restore/rig.js';

let open: Exported[] = [];
afterEach(async () => {
  for (const x of open) await x.close();
  open = [];
});

describe('rehearseSet (Oracle: driver stand-in)', () => {
  it('stand-in: REMAP_SCHEMA into scratch schemas, totals and invalid objects recorded, scratch users dropped, live users untouched', async () => {
    const x = await exported({
      facts: {
        OCTANE_SITE: { objects: 812, tables: 300, rows: 10_000, invalid: [['VIEW', 'V_ITEMS']] },
        SPACE_1001: { objects: 1630, tables: 600, rows: 250_000 },
      },
    });
    open.push(x);
    const id = x.manifest.setId.toUpperCase();
    const out = await rehearseSet(
      {
        setPath: x.setRoot,
        profile: oracleProfile(x.dest),
        signal: new AbortController().signal,
        env: { OCTANE_TEST_ORACLE_PASSWORD: TEST_PASSWORD },
      },
      { factories: { oracle: () => x.primitive } },
    );
    expect(out.record.result, JSON.stringify(out.record)).toBe('passed');
    const db = out.record.stores.find((s) => s.id === 'database');
    expect(db?.status).toBe('passed');
    expect(db?.checked).toEqual([
      `OCTANE_SITE → RH_${id}_OCTANE_SITE: 812 objects, 300 tables, 10000 rows, 1 invalid object(s) (reported, not a failure)`,
      `SPACE_1001 → RH_${id}_SPACE_1001: 1630 objects, 600 tables, 250000 rows`,
    ]);
    expect([...x.server.users].sort()).toEqual(['OCTANE_SITE', 'SPACE_1001']);
    expect(
      x.server.db.calls.filter((c) => RESTORE_SQL.dropUser.test(c.sql)).map((c) => c.binds.username),
    ).toEqual([`RH_${id}_OCTANE_SITE`, `RH_${id}_SPACE_1001`]);
    expect(x.server.files.size).toBe(0);
    expect(await readRehearsals(x.setRoot)).toEqual([out.record]);
  });
});
