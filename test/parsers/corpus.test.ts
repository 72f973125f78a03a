import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';

const DIR = new URL('../fixtures/corpus/', import.meta.url).pathname;

t.test('every corpus file is the published file it claims to be', async (t) => {
  const sources = readFileSync(`${DIR}SOURCES.md`, 'utf8');
  const listed = new Map([...sources.matchAll(/^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/gm)].map((m) => [m[1]!, m[2]!]));
  const files = ['containerd', 'crictl'].flatMap((d) => readdirSync(`${DIR}${d}`).map((f) => `${d}/${f}`)).sort();
  t.same([...listed.keys()].sort(), files, 'SOURCES.md lists exactly the files present');
  for (const [file, sha] of listed)
    t.equal(
      createHash('sha256')
        .update(readFileSync(`${DIR}${file}`))
        .digest('hex'),
      sha,
      file,
    );
});
