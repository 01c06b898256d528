import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { readShape } from './module-shape.js';

const ROOT = join(import.meta.dirname, '../..');

// Lookup tables are long on purpose: one entry per known error code, each with its plain words.
const LOOKUP_TABLES = [
  'engine/steps/sqlserver/errors.ts',
  'engine/steps/oracle/errors.ts',
  'engine/steps/elasticsearch/errors.ts',
];

describe('the shape of src-main', () => {
  const shape = readShape(join(ROOT, 'src-main'), { longerThan: 100, functionsUnder: '/engine/' });

  it('has no import cycle (type imports included)', () => {
    expect(shape.cycles).toEqual([]);
  });

  it('has no engine function over 100 lines, lookup tables aside', () => {
    const long = shape.longFunctions.filter((l) => !LOOKUP_TABLES.some((t) => l.where.startsWith(t)));
    expect(long).toEqual([]);
  });

  it('the checker itself finds a cycle and a long function when there is one', async () => {
    const dir = await tempDir('obm-shape-');
    try {
      await mkdir(join(dir.path, 'engine'));
      await writeFile(
        join(dir.path, 'engine', 'a.ts'),
        "import type { B } from './b.js';\nexport type A = B;\n",
      );
      await writeFile(
        join(dir.path, 'engine', 'b.ts'),
        `import type { A } from './a.js';\nexport type B = A;\nexport function f(): number {\n${'  void 0;\n'.repeat(101)}  return 1;\n}\n`,
      );
      const s = readShape(dir.path, { longerThan: 100, functionsUnder: '/engine/' });
      expect(s.cycles).toEqual(['engine/a.ts -> engine/b.ts']);
      expect(s.longFunctions.map((l) => l.where)).toEqual(['engine/b.ts:3']);
    } finally {
      await dir.cleanup();
    }
  });
});
