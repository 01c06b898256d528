// The Oracle restore as text: the uploads, the DROP USERs, the import job and what follows, in the
// order the run does them.
import type { RestoreAction, RestorePlan } from '../../../../contract/restore.js';
import type { RestoreTarget } from '../../restore/primitive.js';
import { bindList, describeStatement, PLSQL_REMOVE_FILE } from '../sql.js';
import { importStatement, type ImportNames } from './import-job.js';
import { fileNameOf } from './source.js';
import {
  dropUserText,
  PLSQL_DROP_USER,
  PLSQL_LOCK_USER,
  PLSQL_ROW_TOTALS,
  PLSQL_UPLOAD_CHUNK,
  sqlInvalidObjects,
  sqlObjectTotals,
} from './sql.js';
import type { OracleSurvey } from './survey.js';

function stageActions(s: OracleSurvey, setRoot: string, chunkBytes: number): RestoreAction[] {
  return s.view.dumps.map((d) => {
    const name = fileNameOf(d);
    if (s.onServer.get(name) === d.bytes)
      return {
        kind: 'check',
        title: `Use ${name}, already in DIRECTORY ${s.dir}, once it reads back with the set's SHA-256`,
        text: name,
        changes: false,
      };
    if (s.cfg.copyFrom)
      return {
        kind: 'copy',
        title: `Copy ${name} into the DIRECTORY's folder (SHA-256 checked while copying and after; the server must see the same size)`,
        text: `copy "${setRoot}/${d.path}" "${s.cfg.copyFrom}/${name}"`,
        changes: true,
      };
    return {
      kind: 'plsql',
      title: `Upload ${name} into DIRECTORY ${s.dir} through the connection in chunks of ${chunkBytes} bytes, then read it back: size and SHA-256 must be the set's`,
      text: describeStatement(PLSQL_UPLOAD_CHUNK, { dir: s.dir, file_name: name, append: 0 }),
      changes: true,
    };
  });
}

function afterImport(s: OracleSurvey, target: RestoreTarget): RestoreAction[] {
  const owners = s.remap ? [...s.remap.values()] : s.view.schemas;
  const list = bindList(owners);
  const out: RestoreAction[] = [];
  if (target.kind === 'scratch')
    for (const u of owners)
      out.push({
        kind: 'plsql',
        title: `Lock ${u} at once (it carries the live user's password)`,
        text: describeStatement(PLSQL_LOCK_USER, { username: u }),
        changes: true,
      });
  out.push(
    {
      kind: 'plsql',
      title: 'List invalid objects (reported, not a failure)',
      text: describeStatement(sqlInvalidObjects(list.sql), list.binds),
      changes: false,
    },
    {
      kind: 'plsql',
      title: 'Count objects per schema',
      text: describeStatement(sqlObjectTotals(list.sql), list.binds),
      changes: false,
    },
  );
  if (target.kind === 'scratch') {
    for (const u of owners)
      out.push({
        kind: 'plsql',
        title: `Count the tables and rows of ${u}`,
        text: describeStatement(PLSQL_ROW_TOTALS, { owner: u }),
        changes: false,
      });
    for (const u of owners)
      out.push({
        kind: 'plsql',
        title: `Drop the rehearsal schema ${u} (also after a failure or cancel): ${dropUserText(u)}`,
        text: describeStatement(PLSQL_DROP_USER, { username: u }),
        changes: true,
      });
  }
  return out;
}

export function oraclePlan(
  s: OracleSurvey,
  setRoot: string,
  target: RestoreTarget,
  names: ImportNames,
  chunkBytes: number,
): RestorePlan {
  const actions: RestoreAction[] = stageActions(s, setRoot, chunkBytes);
  const drop =
    target.kind === 'in-place' ? s.view.schemas.filter((x) => s.existingUsers.has(x) || !s.identity) : [];
  for (const u of drop)
    actions.push({
      kind: 'plsql',
      title: `Drop the schema ${u} with everything in it: ${dropUserText(u)}`,
      text: describeStatement(PLSQL_DROP_USER, { username: u }),
      changes: true,
    });
  const dumps = s.view.dumps.map(fileNameOf);
  const imp = importStatement({
    names,
    dir: s.dir,
    dumps,
    schemas: s.view.schemas,
    ...(s.remap ? { remap: s.remap } : {}),
  });
  actions.push(
    {
      kind: 'plsql',
      title:
        target.kind === 'scratch'
          ? 'Import the schemas remapped into scratch schemas (one Data Pump job)'
          : 'Import the schemas, recreating their users and grants (one Data Pump job)',
      text: describeStatement(imp.sql, imp.binds),
      changes: true,
    },
    {
      kind: 'check',
      title:
        'Follow the job with GET_STATUS; any ORA error it reports or writes to its log fails the restore',
      changes: false,
    },
    ...afterImport(s, target),
  );
  for (const n of [...dumps.filter((d) => s.onServer.get(d) === undefined), names.log])
    actions.push({
      kind: 'remove',
      title: `Remove ${n} from DIRECTORY ${s.dir}`,
      text: describeStatement(PLSQL_REMOVE_FILE, { dir: s.dir, file_name: n }),
      changes: true,
    });
  const notes: string[] = [];
  if (s.unreachable)
    notes.push(`Oracle could not be asked (${s.unreachable.message}); this plan is made from the set alone.`);
  if (target.kind === 'in-place')
    notes.push(
      `Everything in ${s.view.schemas.join(', ')} after the set's consistency point (SCN ${s.view.scn ?? '?'}${s.view.dbTime ? `, ${s.view.dbTime}` : ''}) is lost: each schema is dropped with all its objects and recreated by the import with its users, grants and data as of that SCN.`,
    );
  else
    notes.push(
      `Rehearsal: the schemas are imported as ${[...(s.remap ?? new Map<string, string>()).values()].join(', ')}, checked, counted and dropped; the live schemas are not touched. REMAP_SCHEMA does not rewrite references inside PL/SQL, views and triggers: invalid objects are reported, not failed.`,
    );
  return {
    component: 'database',
    target: target.kind,
    summary:
      target.kind === 'scratch'
        ? `Rehearse the import of ${s.view.schemas.length} Oracle schema(s) (${s.view.schemas.join(', ')}) of set ${s.view.setName} into scratch schemas.`
        : `Restore ${s.view.schemas.length} Oracle schema(s) (${s.view.schemas.join(', ')}) of set ${s.view.setName} over the live schemas.`,
    actions,
    notes,
  };
}
