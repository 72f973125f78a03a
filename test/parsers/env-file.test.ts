import t from 'tap';
import { envFileToMap, isValidEnvName, parseEnvFile } from '../../src/parsers/env-file.js';

const values = (text: string, opts = {}): Record<string, string> =>
  Object.fromEntries([...envFileToMap(parseEnvFile(text, opts))].map(([k, v]) => [k, v.value]));

t.test('plain assignments and line numbers', async (t) => {
  const parsed = parseEnvFile('A=1\n\n  B = two words  \nC=\n');
  t.same(parsed.assignments, [
    { name: 'A', value: '1', line: 1 },
    { name: 'B', value: 'two words', line: 3 },
    { name: 'C', value: '', line: 4 },
  ]);
});

t.test('no inline comments: text after a closing quote is appended', async (t) => {
  t.same(values('HTTPS_PROXY = "http://10.0.0.1:7897" # corp proxy\n'), { HTTPS_PROXY: 'http://10.0.0.1:7897# corp proxy' });
  t.same(values('A=x # not a comment\n'), { A: 'x # not a comment' });
});

t.test('quotes count only at the start of a value or after a closing quote', async (t) => {
  t.same(values('A="x"y\nB=x"y"\nC=\'lit $HOME \\n\'\nD="a"\'b\'\n'), { A: 'xy', B: 'x"y"', C: 'lit $HOME \\n', D: 'ab' });
});

t.test('escapes', async (t) => {
  t.same(values('A=CORP\\user\n'), { A: 'CORPuser' }, 'unquoted: backslash drops, character kept');
  t.same(values('A="q\\"d \\$x \\\\ \\n"\n'), { A: 'q"d $x \\ \\n' }, 'double quotes: only "\\`$ are escapes');
  t.same(values('A=one\\\ntwo\nB="x\\\ny"\n'), { A: 'onetwo', B: 'xy' }, 'backslash-newline joins lines');
  t.same(values('A=  \\  x\n'), { A: '  x' }, 'an escaped blank is kept');
  t.same(values('A=x\\ \n'), { A: 'x ' }, 'an escaped trailing blank is kept');
});

t.test('multi-line quoted values', async (t) => {
  t.same(values('A="line1\nline2"\nB=\'x\ny\'\n'), { A: 'line1\nline2', B: 'x\ny' });
});

t.test('comments', async (t) => {
  t.same(values('# A=1\n; B=2\n   # C=3\nD=4\n'), { D: '4' });
  t.same(values('# comment \\\nA=1\n'), { A: '1' }, 'v254+: a comment ends at the newline');
  t.same(values('# comment \\\nA=1\nB=2\n', { commentContinuation: true }), { B: '2' }, 'before v254 the backslash swallowed the next line');
});

t.test('invalid names and lines without = are dropped with a reason', async (t) => {
  const parsed = parseEnvFile('export HTTP_PROXY=http://p:3128\n1A=x\nNOEQUALS\nGOOD=y\nTRAILING');
  t.same(
    parsed.assignments.map((a) => a.name),
    ['GOOD'],
  );
  t.same(
    parsed.ignored.map((i) => [i.line, i.text]),
    [
      [1, 'export HTTP_PROXY'],
      [2, '1A'],
      [3, 'NOEQUALS'],
      [5, 'TRAILING'],
    ],
  );
  t.match(parsed.ignored[0]!.reason, /not a valid variable name/);
  t.match(parsed.ignored[2]!.reason, /no "="/);
});

t.test('CR line ends, BOM, end of file in every state', async (t) => {
  t.same(values('\uFEFFA=1\r\nB=2\rC=3'), { A: '1', B: '2', C: '3' });
  t.same(values('A='), { A: '' });
  t.same(values('A="unterminated'), { A: 'unterminated' });
  t.same(values("A='open"), { A: 'open' });
  t.same(values('A=x\\'), { A: 'x' });
  t.same(values('A="x\\'), { A: 'x' });
  t.same(values('A=x   '), { A: 'x' });
  t.same(values('# only a comment'), {});
});

t.test('the last assignment of a name wins', async (t) => {
  const map = envFileToMap(parseEnvFile('A=1\nA=2\n'));
  t.same(map.get('A'), { name: 'A', value: '2', line: 2 });
});

t.test('isValidEnvName', async (t) => {
  t.ok(isValidEnvName('_A1'));
  t.notOk(isValidEnvName('A-B'));
  t.notOk(isValidEnvName(''));
});
