/**
 * locateTomlKeys against documents generated with known key positions: keys
 * written bare, 'literal' or "basic" with escapes (\t, \uXXXX, \UXXXXXXXX),
 * values that span lines (multi-line strings ending in extra quotes, arrays,
 * comments), LF or CRLF line ends. Every key must be found at the line and
 * column it was written, and smol-toml must read the same key names.
 */
import t from 'tap';
import fc from 'fast-check';
import { locateTomlKeys, parseToml, tomlPathKey } from '../../src/parsers/toml.js';

/** A key segment as a name and the ways to write it. */
const segment = (i: number): fc.Arbitrary<{ name: string; text: string }> =>
  fc
    .record({
      extra: fc.constantFrom('', 'é', 'a.b', 'tab\there', '😀', ' sp', 'q"uote'),
      style: fc.constantFrom('bare', 'literal', 'basic', 'escaped'),
    })
    .map(({ extra, style }) => {
      const name = `k${i}${extra}`;
      const bareOk = /^[A-Za-z0-9_-]+$/.test(name);
      if (style === 'bare' && bareOk) return { name, text: name };
      if (style === 'literal' && !/['\t]/.test(name)) return { name, text: `'${name}'` };
      if (style === 'escaped') {
        const text = [...name]
          .map((c) =>
            c.codePointAt(0)! > 0xffff
              ? `\\U${c.codePointAt(0)!.toString(16).padStart(8, '0')}`
              : c === '"'
                ? '\\"'
                : c === '\t'
                  ? '\\t'
                  : `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
          )
          .join('');
        return { name, text: `"${text}"` };
      }
      return { name, text: JSON.stringify(name) };
    });

const value = fc.constantFrom(
  '1',
  '"plain"',
  '"with \\" quote and # hash"',
  "'literal # not a comment'",
  '"""\nmulti\nline = "not a key"\n"""',
  '"""ends with quotes"""""',
  "'''\nliteral\n[not.a.table]\n'''",
  '[\n  "a",\n  # comment\n  "b",\n]',
  '{ inner = 1, other = "x" }',
  '[[1, 2], [3]]',
);

interface Doc {
  text: string;
  /** Key paths written, with the line and column of their first segment. */
  keys: { path: string[]; line: number; column: number }[];
}

const doc: fc.Arbitrary<Doc> = fc
  .record({
    eol: fc.constantFrom('\n', '\r\n'),
    tail: fc.constantFrom('', '  ', '# last line without an end'),
    sections: fc.array(
      fc.record({ header: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), entries: fc.array(fc.tuple(fc.nat(), value, fc.boolean()), { maxLength: 4 }) }),
      { maxLength: 4 },
    ),
  })
  .chain(({ eol, tail, sections }) => {
    let n = 0;
    // Fresh names keep the document valid TOML: no key or table is defined twice.
    const plan = sections.map((s) => ({ header: s.header.map(() => n++), entries: s.entries.map(([, v, c]) => ({ key: n++, value: v, comment: c })) }));
    const segs = fc.tuple(...Array.from({ length: n }, (_, i) => segment(i)));
    return segs.map((seg) => {
      const lines: string[] = [];
      const keys: Doc['keys'] = [];
      const push = (text: string): void => {
        lines.push(...text.split('\n'));
      };
      for (const s of plan) {
        const header = s.header.map((i) => seg[i]!);
        keys.push({ path: header.map((h) => h.name), line: lines.length + 1, column: 1 });
        push(`[${header.map((h) => h.text).join('.')}]`);
        for (const e of s.entries) {
          keys.push({ path: [...header.map((h) => h.name), seg[e.key]!.name], line: lines.length + 1, column: 3 });
          push(`  ${seg[e.key]!.text} = ${e.value}${e.comment ? ' # trailing' : ''}`);
        }
      }
      return { text: lines.join(eol) + eol + tail, keys };
    });
  });

t.test('every written key is located where it was written', async (t) => {
  fc.assert(
    fc.property(doc, (d) => {
      const parsed = parseToml(d.text);
      if (!parsed.ok) throw new Error(`generated TOML does not parse: ${parsed.error.message}\n${d.text}`);
      const loc = locateTomlKeys(d.text);
      for (const k of d.keys) {
        const at = loc.get(tomlPathKey(k.path));
        if (!at || at.line !== k.line || at.column !== k.column) throw new Error(`${JSON.stringify(k)} located at ${JSON.stringify(at)}\n${d.text}`);
        let node: unknown = parsed.value;
        for (const s of k.path) node = (node as Record<string, unknown>)[s];
        if (node === undefined) throw new Error(`smol-toml has no ${JSON.stringify(k.path)}`);
      }
      // Nothing inside a string or an inline table is taken for a key.
      const written = new Set(d.keys.flatMap((k) => k.path.map((_, i) => tomlPathKey(k.path.slice(0, i + 1)))));
      for (const key of loc.keys()) if (!written.has(key)) throw new Error(`spurious key ${JSON.stringify(key.split('\u0000'))}\n${d.text}`);
    }),
    { numRuns: 300 },
  );
  t.pass('300 generated documents');
});
