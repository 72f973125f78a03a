import t from 'tap';
import { parseEnvironmentFileValue, parseEnvironmentValue, parseNameList, parseUnitFile, splitWords, type UnitSyntax } from '../../src/parsers/systemd-unit.js';
import { expandSpecifiers, systemSpecifiers, unitNameParts, unitSpecifiers, type HostFacts } from '../../src/parsers/systemd-specifiers.js';
import { redactDeep, redactText, redactUrl } from '../../src/parsers/redact.js';

const SERVICE: UnitSyntax = { sections: ['Unit', 'Service', 'Install'], keys: { Service: ['Environment', 'EnvironmentFile', 'ExecStart'] } };
const assignments = (text: string, invalidUtf8 = false): [string, string, string, number][] =>
  parseUnitFile(text, SERVICE, invalidUtf8).assignments.map((a) => [a.section, a.key, a.value, a.line]);
const problems = (text: string): [number, string][] => parseUnitFile(text, SERVICE).problems.map((p) => [p.line, p.message]);
/** Environment= values as name → value, with no specifiers in play. */
const env = (value: string): Record<string, string> => Object.fromEntries(parseEnvironmentValue(value, {}).assignments.map((a) => [a.name, a.value]));

t.test('§3.1 lines: comments only at line start, blanks stripped, BOM and line endings', async (t) => {
  t.same(assignments('\uFEFF[Service]\r\n  # Environment=A=1\r\n\t; Environment=B=2\r\nEnvironment=C=3 # not a comment\rExecStart = /bin/true  \n\n'), [
    ['Service', 'Environment', 'C=3 # not a comment', 4],
    ['Service', 'ExecStart', '/bin/true', 5],
  ]);
  t.same(assignments('[Service]\nEnvironment=A=1'), [['Service', 'Environment', 'A=1', 2]], 'no final newline');
});

t.test('§3.1 continuation: a trailing unescaped backslash joins the next line, comments inside are dropped', async (t) => {
  t.same(assignments('[Service]\nEnvironment=A=1 \\\n  # a comment\n; another\n   B=2\nEnvironment=C=\\\\\nExecStart=/x\n'), [
    ['Service', 'Environment', 'A=1     B=2', 2],
    ['Service', 'Environment', 'C=\\\\', 6],
    ['Service', 'ExecStart', '/x', 7],
  ]);
  t.same(
    assignments('[Service]\nEnvironment=Y=\\\nEnvironmentFile=/swallowed\n'),
    [['Service', 'Environment', 'Y= EnvironmentFile=/swallowed', 2]],
    'the next line is swallowed',
  );
  t.same(
    assignments('[Service]\nEnvironment=A=1 \\\n\nEnvironment=B=2\n'),
    [
      ['Service', 'Environment', 'A=1', 2],
      ['Service', 'Environment', 'B=2', 4],
    ],
    'an empty line ends it',
  );
  t.same(assignments('[Service]\nEnvironment=A=1 \\'), [['Service', 'Environment', 'A=1', 2]], 'a file ending inside a continuation parses what it has');
  t.equal(parseUnitFile('[Service]\n[Install \\', SERVICE).aborted, true, 'even when what it has is a broken header');
});

t.test('§3.2 sections and keys: case-sensitive, X- ignored silently, first "=" splits', async (t) => {
  const text = [
    'Environment=OUT=1',
    '[Unit]',
    'Environment=U=1',
    '[Service]',
    'environment=LOW=1',
    ' Environment = SP = 1 ',
    'X-Custom=1',
    'noequals',
    '=novalue',
    'Restart=always',
    '[service]',
    'Environment=IGNORED=1',
    'bad line',
    '[X-Vendor]',
    'Environment=ALSO=1',
    '[Install]',
    'WantedBy=multi-user.target',
  ].join('\n');
  t.same(assignments(text), [
    ['Service', 'Environment', 'SP = 1', 6],
    ['Service', 'Restart', 'always', 10],
    ['Install', 'WantedBy', 'multi-user.target', 17],
  ]);
  t.same(problems(text), [
    [1, 'assignment outside of a section; systemd ignores it'],
    [3, 'unknown key Environment= in section [Unit]; systemd ignores it'],
    [5, 'unknown key environment= in section [Service] (keys are case-sensitive: Environment=); systemd ignores it'],
    [8, 'missing "=" in "noequals"; systemd ignores the line'],
    [9, 'missing key name before "="; systemd ignores the line'],
    [11, 'unknown section [service]; systemd ignores it and every assignment in it'],
  ]);
});

t.test('§3.2 an invalid section header stops the parse', async (t) => {
  for (const header of ['[Service', '[Ser"vice]']) {
    const parsed = parseUnitFile(`[Service]\nEnvironment=A=1\n${header}\nEnvironment=B=2\n`, SERVICE);
    t.equal(parsed.aborted, true, header);
    t.same(
      parsed.assignments.map((a) => a.value),
      ['A=1'],
      'lines before it stay',
    );
    t.match(parsed.problems[0], { line: 3, message: /section header .* systemd stops reading the file here/ });
  }
});

t.test('§3.1 a line over 1 MiB stops the parse; invalid UTF-8 lines are ignored', async (t) => {
  const long = (s: string): string => `[Service]\nEnvironment=A=1\nEnvironment=B=${s}\nEnvironment=C=1\n`;
  t.same(parseUnitFile(long('x'.repeat(400_000)), SERVICE).aborted, false, '400 k ASCII characters are within the limit');
  t.same(parseUnitFile(long('é'.repeat(400_000)), SERVICE).aborted, false, '800 k bytes of UTF-8 are within the limit');
  for (const big of ['x'.repeat(1_100_000), 'é'.repeat(600_000)]) {
    const parsed = parseUnitFile(long(big), SERVICE);
    t.equal(parsed.aborted, true);
    t.same(
      parsed.assignments.map((a) => a.value),
      ['A=1'],
    );
    t.match(parsed.problems, [{ line: 3, message: /longer than 1 MiB/ }]);
  }
  const continued = parseUnitFile(`[Service]\nEnvironment=A=${'x'.repeat(600_000)} \\\n${'y'.repeat(600_000)}\n`, SERVICE);
  t.match(continued.problems, [{ line: 3, message: /longer than 1 MiB/ }], 'a joined continuation counts');
  t.same(assignments('[Service]\nEnvironment=A=\uFFFD\nEnvironment=B=1\n', true), [['Service', 'Environment', 'B=1', 3]]);
  t.same(assignments('[Service]\nEnvironment=A=\uFFFD\n', false), [['Service', 'Environment', 'A=\uFFFD', 2]], 'a real U+FFFD in a valid file is kept');
  t.match(parseUnitFile('[Service]\nEnvironment=A=\uFFFD\n', SERVICE, true).problems, [{ line: 2, message: /not valid UTF-8/ }]);
});

t.test('§4.1 word splitting: quotes anywhere, escapes, per-word validation', async (t) => {
  t.same(env('A=1 "B=two words" NO_PROXY="localhost, .svc" R=a"b c"d Q=\'single \\x41 q\''), {
    A: '1',
    B: 'two words',
    NO_PROXY: 'localhost, .svc',
    R: 'ab cd',
    Q: 'single A q',
  });
  t.same(env('T=x\\ty S=a\\sb N=\\n O=\\101 U=\\u00e9 W=\\U0001F600 X=\\xc3\\xa9 E=\\\\ D=\\" S1=\\\' B=\\a\\b\\f\\r\\v'), {
    T: 'x\ty',
    S: 'a b',
    N: '\n',
    O: 'A',
    U: 'é',
    W: '😀',
    X: 'é',
    E: '\\',
    D: '"',
    S1: "'",
    B: '\x07\b\f\r\v',
  });
  t.same(env('HTTPS_PROXY= EMPTY=""'), { HTTPS_PROXY: '', EMPTY: '' }, 'NAME= sets an empty value');
  t.same(env('A=😀b'), { A: '😀b' }, 'characters outside the BMP');
  const line = parseEnvironmentValue('NO_PROXY=localhost, 10.96.0.0/12 1X=2 NAME-BAD=1 =4 noeq A=\\xff', {});
  t.same(line.assignments, [{ name: 'NO_PROXY', value: 'localhost,' }], 'an unquoted blank silently cuts the value');
  t.same(line.problems.length, 6);
  t.match(line.problems[0], /"10\.96\.0\.0\/12" is not a valid NAME=VALUE assignment/);
  t.match(line.problems[5], /"A=\uFFFD" is not a valid/, 'a value that is not UTF-8 is dropped');
  t.same(parseEnvironmentValue('', {}), { reset: true, assignments: [], problems: [] }, 'an empty value resets');
});

t.test('§4.1 an invalid escape or open quote drops the rest of the line', async (t) => {
  for (const [value, error] of [
    ['A=1 B=CORP\\user C=3', /invalid escape "\\u"/],
    ['A=1 B=\\p C=3', /invalid escape "\\p"/],
    ['A=1 B=\\x4 C=3', /invalid escape "\\x"/],
    ['A=1 B=\\x00 C=3', /invalid escape/],
    ['A=1 B=\\000 C=3', /invalid escape/],
    ['A=1 B=\\777 C=3', /invalid escape/],
    ['A=1 B=\\u0000', /invalid escape/],
    ['A=1 B=\\UD800DC00', /invalid escape/],
    ['A=1 B=\\U0000FFFE', /invalid escape/],
    ['A=1 B=\\U0000FDD0', /invalid escape/],
    ['A=1 B=\\U00110000', /invalid escape/],
    ['A=1 "B=unterminated', /unterminated " quote/],
    ["A=1 B='x", /unterminated ' quote/],
    ['A=1 B=\\', /invalid escape "\\"/],
  ] as const) {
    const line = parseEnvironmentValue(value, {});
    t.same(line.assignments, [{ name: 'A', value: '1' }], value);
    t.match(line.problems, [error], value);
  }
  t.same(env('A=\\ud800'), {}, 'a \\u surrogate is encoded, then fails UTF-8 validation');
});

t.test('splitWords without C escapes (PassEnvironment=): a backslash keeps the next character', async (t) => {
  t.same(
    splitWords('P\\x41 "Q R" \\😀', false).words.map((w) => w.text),
    ['Px41', 'Q R', '😀'],
  );
  t.same(splitWords('A \\', false), { words: [{ text: 'A', validUtf8: true }], error: 'an invalid escape "\\"' });
  t.same(splitWords('   ', true), { words: [] });
  t.equal(splitWords('x'.repeat(2000), true).words[0]!.text.length, 2000, 'long words go through the decoder');
});

const HOST: HostFacts = {
  hostname: 'node3.corp.example',
  machineId: '0123456789abcdef0123456789abcdef',
  bootId: null,
  kernelRelease: '6.1.0-13-amd64',
  osRelease: { ID: 'debian', VERSION_ID: '12' },
};

t.test('§3.3 specifiers: known, unknown (word dropped), literal, and not known offline', async (t) => {
  const table = unitSpecifiers('containerd.service', '/usr/lib/systemd/system/containerd.service', HOST);
  const line = parseEnvironmentValue(
    'A=%n B=%N C=%p D=%i E=%H F=%l G=%m H=%o I=%w J=%W K=%% L=100% M=%- N=%b O=p%40ss P=%y Q=%Y R=%t%S%C%L%E%T%V S=%h%u%U%g%G%s T=%d U=%a%v',
    table,
  );
  t.same(Object.fromEntries(line.assignments.map((a) => [a.name, a.value])), {
    A: 'containerd.service',
    B: 'containerd',
    C: 'containerd',
    D: '',
    E: 'node3.corp.example',
    F: 'node3',
    G: '0123456789abcdef0123456789abcdef',
    H: 'debian',
    I: '12',
    J: '',
    K: '%',
    L: '100%',
    M: '%-',
    N: '%b',
    P: '/usr/lib/systemd/system/containerd.service',
    Q: '/usr/lib/systemd/system',
    R: '/run/var/lib/var/cache/var/log/etc/tmp/var/tmp',
    S: '/rootroot0root0/bin/sh',
    T: '/run/credentials/containerd.service',
    U: '%a6.1.0-13-amd64',
  });
  t.same(line.assignments.find((a) => a.name === 'N')?.unresolved, ['%b'], 'the boot id is not known offline');
  t.same(line.assignments.find((a) => a.name === 'U')?.unresolved, ['%a'], 'nor the architecture');
  t.same(line.problems, ['"O=p%40ss" uses the unknown specifier %4, so systemd drops the word (write %% for a literal %)']);
  t.same(expandSpecifiers('%b%b', { b: null }), { text: '%b%b', unresolved: ['%b'] });
  t.same(expandSpecifiers('%\uD83D\uDE00', {}), { text: '%😀', unresolved: [] }, 'a % before a non-alphanumeric character stays');
});

t.test('§3.3 specifiers of instances and templates; unescaping', async (t) => {
  const t1 = unitSpecifiers('getty-x@tty\\x2d1-a.service', null, { ...HOST, hostname: null, osRelease: null, machineId: null });
  const values = parseEnvironmentValue('N=%N P=%p PP=%P I=%i II=%I J=%j JJ=%J F=%f H=%H L=%l O=%o M=%m', t1);
  t.same(Object.fromEntries(values.assignments.map((a) => [a.name, a.value])), {
    N: 'getty-x@tty\\x2d1-a',
    P: 'getty-x',
    PP: 'getty/x',
    I: 'tty\\x2d1-a',
    II: 'tty-1/a',
    J: 'x',
    JJ: 'x',
    F: '/tty-1/a',
    H: '%H',
    L: '%l',
    O: '%o',
    M: '%m',
  });
  t.same(
    parseEnvironmentValue('Y=%y', t1).problems,
    ['"Y=%y" uses the unknown specifier %y, so systemd drops the word (write %% for a literal %)'],
    'a unit without a file has no %y',
  );
  t.same(parseEnvironmentValue('Y=%Y', t1).assignments, []);
  const bad = unitSpecifiers('bad\\zz@i\\zz.service', '/x.service', HOST);
  t.same(
    parseEnvironmentValue('A=%P B=%I C=%f D=%j E=%J F=%Y', bad).assignments.map((a) => [a.name, a.value]),
    [
      ['D', 'bad\\zz'],
      ['F', '/'],
    ],
    'a malformed escape fails the lookup',
  );
  t.same(unitNameParts('foo@.service'), { prefix: 'foo', instance: '', type: 'service' });
  const plain = unitSpecifiers('a-b.service', '/etc/a-b.service', HOST);
  t.same(
    parseEnvironmentValue('F=%f J=%j I=%I', plain).assignments.map((a) => a.value),
    ['/a/b', 'b', ''],
  );
  t.same(
    systemSpecifiers({
      hostname: 'h',
      machineId: null,
      bootId: 'b',
      kernelRelease: null,
      osRelease: { IMAGE_ID: 'img', IMAGE_VERSION: '1', BUILD_ID: '7', VARIANT_ID: 'v' },
    }),
    {
      a: null,
      A: '1',
      b: 'b',
      B: '7',
      H: 'h',
      l: 'h',
      m: null,
      M: 'img',
      o: '',
      v: null,
      w: '',
      W: 'v',
      T: '/tmp',
      V: '/var/tmp',
    },
  );
});

t.test('§4.2 EnvironmentFile=: one path, "-", absolute and normalised', async (t) => {
  t.same(parseEnvironmentFileValue('', {}), { reset: true, path: null, optional: false });
  t.same(parseEnvironmentFileValue('-/etc/x y', {}), { reset: false, optional: true, path: '/etc/x y' });
  t.same(parseEnvironmentFileValue('/etc//default/./kubelet', {}), { reset: false, optional: false, path: '/etc/default/kubelet' });
  t.match(parseEnvironmentFileValue('rel/path', {}), { path: null, problem: /"rel\/path" is not absolute/ });
  t.match(parseEnvironmentFileValue('-"/etc/x"', {}), { path: null, optional: true, problem: /not absolute/ }, 'quotes are not removed');
  t.match(parseEnvironmentFileValue('/etc/../x', {}), { path: null, problem: /not normalized/ });
  t.match(parseEnvironmentFileValue('/etc/%q', {}), { path: null, problem: /unknown specifier %q/ });
  t.same(parseEnvironmentFileValue('/run/%b.env', { b: null }), { reset: false, optional: false, unresolved: ['%b'], path: '/run/%b.env' });
});

t.test('§4.3/§4.4 PassEnvironment= and UnsetEnvironment=', async (t) => {
  t.same(parseNameList('P1 "P2" 3P P\\x41 %i', 'PassEnvironment', { i: 'INST' }), {
    reset: false,
    items: ['P1', 'P2', 'Px41', 'INST'],
    problems: ['"3P" is not a valid variable name, so systemd drops it'],
  });
  t.same(parseNameList('U1 U2=v "U 3" U\\x34 U5=\\xff %q', 'UnsetEnvironment', {}), {
    reset: false,
    items: ['U1', 'U2=v', 'U4'],
    problems: [
      '"U 3" is not a valid variable name or assignment, so systemd drops it',
      '"U5=\uFFFD" is not a valid variable name or assignment, so systemd drops it',
      '"%q" uses the unknown specifier %q, so systemd drops the word (write %% for a literal %)',
    ],
  });
  t.same(parseNameList('A "B', 'PassEnvironment', {}), {
    reset: false,
    items: ['A'],
    problems: ['an unterminated " quote; systemd drops the rest of the line'],
  });
  t.same(parseNameList('', 'UnsetEnvironment', {}), { reset: true, items: [], problems: [] });
});

t.test('secrets never reach a problem message', async (t) => {
  const split = parseEnvironmentValue('HTTPS_PROXY=http://user:p ss@proxy:3128 X=http://u:p%40ss@h:1', {});
  t.same(split.problems, [
    '"***@proxy:3128" is not a valid NAME=VALUE assignment, so systemd drops it (quote values that contain blanks)',
    '"X=http://u:***@h:1" uses the unknown specifier %4, so systemd drops the word (write %% for a literal %)',
  ]);
  t.same(problems('[Service]\nhttp://user:secret@proxy:3128\n'), [[2, 'missing "=" in "http://user:***@proxy:3128"; systemd ignores the line']]);
  t.equal(redactUrl('http://user:pa@ss@host:1/p'), 'http://user:***@host:1/p', 'the last @ ends the userinfo');
  t.equal(redactUrl('user:pass@host:3128'), 'user:***@host:3128');
  t.equal(redactUrl('http://token@host'), 'http://token@host', 'no password');
  t.equal(redactUrl('http://host:3128/a@b'), 'http://host:***@b', 'over-redacts rather than leaks');
  t.equal(redactText('HTTPS_PROXY=user:pw@host:1'), 'HTTPS_PROXY=user:***@host:1');
  t.equal(redactText('a b@c'), '***@c');
  t.equal(redactText('no secret'), 'no secret');
  t.same(redactDeep({ a: ['http://u:p@h', 1, null], b: 'x' }), { a: ['http://u:***@h', 1, null], b: 'x' });
});
