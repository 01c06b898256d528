// Reads the import graph and function sizes of src-main with the TypeScript parser (type-only
// imports count: a cycle of types is still a cycle to understand and to untangle).
import ts from 'typescript';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface Shape {
  cycles: string[];
  longFunctions: { where: string; lines: number }[];
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(resolve(p));
  }
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec).replace(/\.js$/, '');
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => existsSync(c));
}

export function readShape(root: string, opts: { longerThan: number; functionsUnder: string }): Shape {
  const files = sourceFiles(root);
  const graph = new Map<string, string[]>();
  const longFunctions: Shape['longFunctions'] = [];
  for (const f of files) {
    const src = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
    const deps: string[] = [];
    src.forEachChild((n) => {
      if (
        (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) &&
        n.moduleSpecifier &&
        ts.isStringLiteral(n.moduleSpecifier) &&
        n.moduleSpecifier.text.startsWith('.')
      ) {
        const target = resolveImport(f, n.moduleSpecifier.text);
        if (target) deps.push(target);
      }
    });
    graph.set(f, deps);
    if (!f.includes(opts.functionsUnder)) continue;
    const visit = (n: ts.Node): void => {
      const isFn =
        ts.isFunctionDeclaration(n) ||
        ts.isMethodDeclaration(n) ||
        ts.isArrowFunction(n) ||
        ts.isFunctionExpression(n);
      if (isFn && n.body) {
        const a = src.getLineAndCharacterOfPosition(n.getStart()).line;
        const b = src.getLineAndCharacterOfPosition(n.end).line;
        if (b - a + 1 > opts.longerThan)
          longFunctions.push({ where: `${relative(root, f)}:${a + 1}`, lines: b - a + 1 });
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return { cycles: findCycles(graph, root), longFunctions };
}

function findCycles(graph: Map<string, string[]>, root: string): string[] {
  const cycles = new Set<string>();
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const dfs = (f: string): void => {
    state.set(f, 1);
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 1)
        cycles.add(
          stack
            .slice(stack.indexOf(d))
            .map((x) => relative(root, x))
            .join(' -> '),
        );
      else if (!state.get(d)) dfs(d);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of graph.keys()) if (!state.get(f)) dfs(f);
  return [...cycles];
}
