import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// The layers of STYLE.md in order; a layer imports only from itself and the layers before it.
const LAYERS = ['generated', 'lazy', 'snapshot', 'parsers', 'model', 'checklist', 'rules', 'engine', 'report', 'collect', 'cli'];
const SRC = new URL('../../src/', import.meta.url).pathname;
const PURE = LAYERS.slice(0, LAYERS.indexOf('report') + 1);
const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|dns|http|https|os)$|^execa$/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

const layerOf = (file: string): string => relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');

t.test('layers import only from layers before them; the pure core does no I/O', async (t) => {
  const ioWrappers = new Set<string>();
  for (const file of files(SRC)) {
    const layer = layerOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const target = layerOf(join(dirname(file), spec));
        if (!LAYERS.includes(layer) || !LAYERS.includes(target)) continue;
        t.ok(LAYERS.indexOf(target) <= LAYERS.indexOf(layer), `${relative(SRC, file)} may import ${spec}`);
      } else if (layer === 'lazy' && IO_MODULES.test(spec)) {
        // A lazy wrapper of an I/O module (execa for the live probes) does no I/O itself; only collect/ and cli/ may load it.
        ioWrappers.add(file);
      } else if (PURE.includes(layer)) {
        t.notOk(IO_MODULES.test(spec), `${relative(SRC, file)} (pure) does not import ${spec}`);
      }
    }
    if (PURE.includes(layer)) t.notMatch(text, /\bprocess\.(env|argv|exit|cwd|stdout|stderr)/, `${relative(SRC, file)} does not touch process`);
  }
  for (const file of files(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
      const target = join(dirname(file), m[1]!).replace(/\.js$/, '.ts');
      if (ioWrappers.has(target))
        t.ok(['collect', 'cli'].includes(layerOf(file)), `${relative(SRC, file)} may load ${relative(SRC, target)}, which wraps an I/O module`);
    }
  }
});

t.test('the library entry loads no CLI', async (t) => {
  const index = readFileSync(join(SRC, 'index.ts'), 'utf8');
  t.notMatch(index, /from '\.\/cli\//);
});
