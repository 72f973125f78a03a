import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderDocs } from './docs.js';

const files = await renderDocs();
// Remove pages of rules that no longer exist, so the tree is exactly what the code says.
for (const domain of readdirSync('docs/rules', { withFileTypes: true }).filter((d) => d.isDirectory())) {
  for (const page of readdirSync(join('docs/rules', domain.name))) {
    const path = `docs/rules/${domain.name}/${page}`;
    if (!files.has(path)) rmSync(path);
  }
}
for (const [path, content] of files) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
console.log(`wrote ${files.size} documentation files`);
