import t from 'tap';
import ts from 'typescript';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// Issue 18: no import cycles between the modules of src/, and no module so long
// that it stops being about one thing.
const SRC = new URL('../../src/', import.meta.url).pathname;
const MAX_LINES = 400;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** The module specifiers of a file's static imports and re-exports (`import type` and `export type … from` included). */
function staticImports(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      out.push(statement.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(statement) &&
      ts.isExternalModuleReference(statement.moduleReference) &&
      ts.isStringLiteral(statement.moduleReference.expression)
    ) {
      out.push(statement.moduleReference.expression.text);
    }
  }
  return out;
}

/** The src file a relative specifier names (`./x.js` is `./x.ts`), or undefined for a package or a file outside src/. */
function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = join(dirname(from), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base];
  const found = candidates.find((c) => c.endsWith('.ts') && existsSync(c));
  return found && found.startsWith(SRC) ? found : undefined;
}

/** Every cycle's members (strongly connected components with more than one module, or a module that imports itself), each as a path that closes on its first module. */
function findCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  // Name one concrete cycle per component: a shortest path back to its first module (breadth first, inside the component).
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [v];
          while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
          return [...path, start];
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    /* c8 ignore next */
    return [...component, component[0]!];
  });
}

t.test('the cycle finder names cycles, and only cycles', async (t) => {
  t.same(
    findCycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', []],
      ]),
    ),
    [],
  );
  t.same(
    findCycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]),
    ),
    [['a', 'b', 'c', 'a']],
  );
  t.same(findCycles(new Map([['a', ['a']]])), [['a', 'a']]);
  t.same(
    findCycles(
      new Map([
        ['x', ['y']],
        ['y', ['x']],
        ['p', ['q']],
        ['q', ['p']],
      ]),
    )
      .map((c) => c.join(' → '))
      .sort(),
    ['p → q → p', 'x → y → x'],
  );
  t.same(
    staticImports(
      'a.ts',
      "import type { A } from './a.js';\nimport {\n  b,\n} from './b.js';\nexport { c } from './c.js';\nexport type { D } from './d.js';\nimport './e.js';\nexport * from './f.js';\nconst g = await import('./g.js');\n",
    ),
    ['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js'],
    'static imports and re-exports, type-only ones included; not dynamic import()',
  );
});

t.test('no import cycles in src/ (static imports and re-exports, import type included)', async (t) => {
  const graph = new Map<string, string[]>();
  for (const file of files(SRC)) {
    const targets = staticImports(file, readFileSync(file, 'utf8')).flatMap((spec) => resolve(file, spec) ?? []);
    graph.set(relative(SRC, file), [...new Set(targets.map((f) => relative(SRC, f)))]);
  }
  t.ok(graph.size > 100, 'the whole of src/ was read');
  t.ok(graph.get('model/build.ts')!.includes('model/types.ts'), 'relative imports are resolved');
  const cycles = findCycles(graph);
  t.same(
    cycles.map((c) => c.join(' → ')),
    [],
    'import cycles (break each by moving what both sides need to a module lower down)',
  );
});

t.test(`no src file outside src/generated is longer than ${MAX_LINES} lines`, async (t) => {
  const long = files(SRC)
    .filter((file) => !relative(SRC, file).startsWith('generated/'))
    .map((file) => {
      const text = readFileSync(file, 'utf8');
      return { file: relative(SRC, file), lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) };
    })
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ file, lines }) => `src/${file}: ${lines} lines`);
  t.same(long, [], `split these by concern into modules of at most ${MAX_LINES} lines`);
});
