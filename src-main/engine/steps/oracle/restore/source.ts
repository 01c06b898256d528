// What a set holds for Oracle, read from its manifest (untrusted input): the schemas exported in
// one Data Pump job as of one SCN, the dump pieces with their SHA-256, the DIRECTORY it was taken
// from, and the server version (Data Pump cannot import into an older release).
import { createHash } from 'node:crypto';
import type { ArtifactRecord } from '../../../../contract/manifest.js';
import { ExpectedError } from '../../../errors.js';
import { artifactsOf } from '../../restore/set-files.js';
import { componentOf, detailArray, text, type RestoreSetView } from '../../restore/primitive.js';

export interface OracleSetView {
  setName: string;
  schemas: string[];
  /** Dump pieces in order (%U numbering), as the set holds them. */
  dumps: ArtifactRecord[];
  scn?: string;
  dbTime?: string;
  sourceVersion?: string;
}

const step = 'database' as const;

/** Oracle user names as Data Pump and ALL_USERS hold them: at most 128 bytes, no quote, no NUL. */
const SCHEMA = /^[^"\0]{1,128}$/;
/** Data Pump file names in a DIRECTORY: no path separators. */
const FILE = /^[A-Za-z0-9._-]{1,200}\.dmp$/;

function bad(what: string): ExpectedError {
  return new ExpectedError(
    'RESTORE_SET_MANIFEST_INVALID',
    `The set's Oracle record is not usable: ${what}.`,
    {
      step,
      fix: 'The manifest was edited or damaged: restore from another set, or from an untouched copy of this one.',
    },
  );
}

export function readOracleSet(set: RestoreSetView, only?: string[]): OracleSetView {
  const c = componentOf(set, 'database');
  if (c.server?.engine !== 'oracle')
    throw bad(`its database component was taken from ${c.server?.engine ?? 'an unknown engine'}, not Oracle`);
  const schemas = detailArray(c, 'schemas').map(text);
  if (schemas.length === 0 || schemas.some((s) => s === undefined || !SCHEMA.test(s)))
    throw bad('it lists no valid schema');
  const dumps = artifactsOf(c)
    .filter((a) => a.path.startsWith('database/') && FILE.test(a.path.slice('database/'.length)))
    .sort((a, b) => a.path.localeCompare(b.path));
  if (dumps.length === 0) throw bad('it holds no Data Pump dump file');
  let chosen = schemas as string[];
  if (only && only.length > 0) {
    const missing = only.filter((o) => !chosen.includes(o));
    if (missing.length > 0)
      throw new ExpectedError(
        'RESTORE_SCHEMA_NOT_IN_SET',
        `The set holds no export of ${missing.join(', ')}.`,
        {
          step,
          fix: `Choose among the set's schemas: ${chosen.join(', ')}.`,
        },
      );
    chosen = chosen.filter((s) => only.includes(s));
  }
  const view: OracleSetView = { setName: set.manifest.setName, schemas: chosen, dumps };
  const scn = text(c.details?.scn);
  if (scn && /^\d+$/.test(scn)) view.scn = scn;
  const dbTime = text(c.details?.dbTime);
  if (dbTime) view.dbTime = dbTime;
  if (c.server.version) view.sourceVersion = c.server.version;
  return view;
}

export function fileNameOf(a: ArtifactRecord): string {
  return a.path.slice(a.path.lastIndexOf('/') + 1);
}

/**
 * `RH_<set id>_<schema>`, at most 30 characters so Oracle 12.1 accepts it too; a longer schema name
 * keeps its start and gains a short hash so two schemas never share a scratch name.
 */
export function scratchSchemaName(schema: string, setId: string): string {
  const prefix = `RH_${setId.toUpperCase()}_`;
  const name = `${prefix}${schema.toUpperCase()}`;
  if (name.length <= 30) return name;
  const hash = createHash('sha256').update(schema, 'utf8').digest('hex').slice(0, 4).toUpperCase();
  return `${name.slice(0, 30 - 5)}_${hash}`;
}

export const SCRATCH_SCHEMA = /^RH_[0-9A-F]+_/;

/** "19.21.0.0.0" → [19, 21] */
export function versionOf(v: string | undefined): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(v ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}
