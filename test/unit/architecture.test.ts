/**
 * The dependency rules of src/, checked on the import graph (no database).
 *
 * Every import and export-from of src/**\/*.ts counts, `import type` too:
 * a type-only import still ties two modules together for whoever reads or
 * changes them. A literal dynamic `import('…')` counts as a value import for
 * the layer rules; it is left out of the cycle check, because a module loaded
 * later, from inside a function, cannot be caught half-initialised (the CLI
 * loads its commands that way, and `vsg demo` loads the CLI).
 *
 * The layers (design.md › Layout):
 * - src/ops/<op>.ts, one module per operation, imports src/core, src/db and
 *   src/errors.ts only: never another operation, and nothing above it.
 * - src/core imports src/core, src/db and src/errors.ts only: never an
 *   operation, the API, the CLI, rendering or configuration.
 * - src/db, src/config and src/errors.ts import none of core, ops, api, cli, render.
 * - src/render is pure (result → text) and never touches the database. Its
 *   values come from src/render, src/errors.ts and src/db/quote.ts (the one
 *   identifier-quoting helper, which imports nothing; SQL export output needs
 *   it, and a second quoting function would break "names are quoted one way").
 *   Types may also come from the public API (src/index.ts) and from src/core.
 * - src/cli reaches operations and the core only through src/api or
 *   src/index.ts (a value such as MergeConflictError included).
 * - src/tui (vsg tui) is built on the public library API as the CLI is: it
 *   imports src/tui, src/api, src/render and src/errors.ts, types also from
 *   src/index.ts; never an operation, the core or the database (no SQL of its
 *   own), nor the CLI.
 * - No cycles anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

interface Edge {
  from: string;
  to: string;
  /** only types cross it (import type, or every named import marked type) */
  typeOnly: boolean;
  /** a dynamic import('…') */
  dynamic: boolean;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** src-relative path of the module a relative specifier names, or null for a package. */
function resolve(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const target = path.resolve(path.dirname(fromFile), spec).replace(/\.js$/, '.ts');
  return path.relative(SRC, target).split(path.sep).join('/');
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isImportDeclaration(node)) {
    const c = node.importClause;
    if (!c) return false; // a side-effect import runs the module
    if (c.isTypeOnly) return true;
    if (c.name) return false;
    const b = c.namedBindings;
    return b !== undefined && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
  }
  if (node.isTypeOnly) return true;
  const b = node.exportClause;
  return b !== undefined && ts.isNamedExports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
}

/** Every import edge from one file to another file of src. */
function importGraph(files: string[] = sourceFiles(SRC)): Edge[] {
  const edges: Edge[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const from = path.relative(SRC, file).split(path.sep).join('/');
    const add = (spec: string, node: ts.Node, typeOnly: boolean, dynamic: boolean) => {
      const to = resolve(file, spec);
      if (to === null) return;
      edges.push({ from, to, typeOnly, dynamic, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    };
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, node, isTypeOnly(node), false);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = node.arguments;
        if (arg && ts.isStringLiteralLike(arg)) add(arg.text, node, false, true);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        add(node.argument.literal.text, node, true, false); // import('./x.js').T in a type position
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return edges;
}

/** The layer a src-relative path belongs to. */
function layer(p: string): string {
  if (p === 'index.ts') return 'index';
  if (p === 'errors.ts') return 'errors';
  return p.split('/')[0];
}

const show = (e: Edge) => `src/${e.from}:${e.line} imports${e.typeOnly ? ' type' : ''} src/${e.to}`;

/** The imports that break a rule, as readable lines (empty: the rule holds). */
function violations(edges: Edge[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const flag = (rule: string, e: Edge) => (out[rule] ??= []).push(show(e));
  for (const e of edges) {
    const [a, b] = [layer(e.from), layer(e.to)];
    if (a === 'ops' && b === 'ops' && e.from !== e.to) flag('an operation imports another operation', e);
    if (a === 'ops' && !['ops', 'core', 'db', 'errors'].includes(b)) flag('an operation imports only src/core, src/db and src/errors.ts', e);
    if (a === 'core' && !['core', 'db', 'errors'].includes(b)) flag('src/core imports only src/core, src/db and src/errors.ts', e);
    if (['db', 'config', 'errors'].includes(a) && ['core', 'ops', 'api', 'cli', 'render', 'index'].includes(b)) {
      flag('src/db, src/config and src/errors.ts import no higher layer', e);
    }
    if (a === 'render') {
      const valueOk = b === 'render' || b === 'errors' || e.to === 'db/quote.ts';
      const typeOk = valueOk || b === 'index' || b === 'core';
      if (!(e.typeOnly ? typeOk : valueOk)) {
        flag('src/render imports values only from src/render, src/errors.ts and src/db/quote.ts; types also from src/index.ts and src/core', e);
      }
    }
    if (a === 'cli' && (b === 'ops' || b === 'core')) flag('src/cli reaches operations and the core only through src/api or src/index.ts', e);
    if (a === 'tui' && !(['tui', 'api', 'render', 'errors'].includes(b) || (e.typeOnly && b === 'index'))) {
      flag('src/tui imports only src/tui, src/api, src/render and src/errors.ts (types also from src/index.ts)', e);
    }
  }
  return out;
}

/** Every cycle of static imports (type-only included), each as a path a -> b -> … -> a. */
function cycles(edges: Edge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) if (!e.dynamic) (next.get(e.from) ?? next.set(e.from, new Set()).get(e.from)!).add(e.to);
  // Tarjan's strongly connected components; then one concrete path per component.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) !== idx.get(v)) return;
    const comp: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      on.delete(w);
      comp.push(w);
      if (w === v) break;
    }
    const inComp = new Set(comp);
    if (comp.length === 1 && !next.get(v)?.has(v)) return;
    // The shortest way back to v inside the component (breadth first).
    const prev = new Map<string, string>();
    const queue = [v];
    let end: string | null = null;
    while (queue.length && end === null) {
      const x = queue.shift()!;
      for (const y of next.get(x) ?? []) {
        if (!inComp.has(y)) continue;
        if (y === v) {
          end = x;
          break;
        }
        if (!prev.has(y)) {
          prev.set(y, x);
          queue.push(y);
        }
      }
    }
    const pathBack = [v];
    for (let x = end!; x !== v; x = prev.get(x)!) pathBack.splice(1, 0, x);
    found.push([...pathBack, v].map((p) => `src/${p}`).join(' -> '));
  };
  for (const v of [...next.keys()].sort()) if (!idx.has(v)) strong(v);
  return found;
}

describe('architecture (the import graph of src)', () => {
  const edges = importGraph();

  it('reads the imports of every layer', () => {
    // A parser that found nothing would pass every rule below.
    for (const l of ['ops', 'core', 'api', 'cli', 'render', 'tui']) expect(edges.some((e) => layer(e.from) === l), l).toBe(true);
    expect(edges.some((e) => e.typeOnly)).toBe(true);
  });

  it('keeps every layer rule', () => {
    const broken = violations(edges);
    const report = Object.entries(broken).map(([rule, lines]) => `${rule}:\n  ${lines.join('\n  ')}`).join('\n');
    expect(report, `dependency rules broken (see the top of test/unit/architecture.test.ts):\n${report}`).toBe('');
  });

  it('has no import cycle', () => {
    const found = cycles(edges);
    expect(found.join('\n'), `import cycles (type-only imports count):\n  ${found.join('\n  ')}`).toBe('');
  });

  it('catches what it is meant to catch', () => {
    const e = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly, dynamic: false, line: 1 });
    expect(Object.keys(violations([e('ops/merge.ts', 'ops/switch.ts', true)]))).toEqual(['an operation imports another operation']);
    expect(Object.keys(violations([e('core/apply.ts', 'ops/diff.ts')]))).toHaveLength(1);
    expect(Object.keys(violations([e('render/diff.ts', 'core/rows.ts')]))).toHaveLength(1);
    expect(violations([e('render/diff.ts', 'core/types.ts', true)])).toEqual({});
    expect(Object.keys(violations([e('cli/commands/merge.ts', 'ops/merge.ts', true)]))).toHaveLength(1);
    expect(Object.keys(violations([e('tui/app.ts', 'db/sql.ts')]))).toHaveLength(1);
    expect(Object.keys(violations([e('tui/app.ts', 'core/types.ts', true)]))).toHaveLength(1);
    expect(violations([e('tui/app.ts', 'api/repository.ts'), e('tui/app.ts', 'index.ts', true)])).toEqual({});
    expect(cycles([e('core/a.ts', 'core/b.ts', true), e('core/b.ts', 'core/a.ts')])).toEqual(['src/core/a.ts -> src/core/b.ts -> src/core/a.ts']);
  });
});
