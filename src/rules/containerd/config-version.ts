import type { Source } from '../../model/types.js';
import { defineRule, type Violation } from '../types.js';
import { parseContainerdVersion } from '../../model/containerd/semantics.js';
import { containerdOf, noConfigRead, placementAt, release } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/config-version',
  title: 'The config version is one the target containerd reads natively',
  severity: 'warning',
  mode: 'static',
  rationale:
    'Version 1 files are deprecated and converted on every start; sections written for another version (full plugin ids in a version 1 file, v3 sections on containerd 1.x) are silently ignored, and a version the release does not know stops containerd.',
  remediation:
    'Set version to the newest the target containerd reads (2 for 1.x, 3 for 2.0-2.2, 4 for 2.3+) and run containerd config migrate.',
  references: ['https://github.com/containerd/containerd/blob/main/RELEASES.md#daemon-configuration', 'https://github.com/containerd/containerd/blob/main/docs/PLUGINS.md'],
  applies: noConfigRead,
  check: (ctx) => {
    const c = containerdOf(ctx);
    const out: Violation[] = [];
    const semantics = c.semantics.version;
    const { major, minor } = parseContainerdVersion(semantics)!;
    // 1.x decides on the merged version; 2.x migrates each version 1 or 2 file, the main one is what to fix.
    const main = c.files[0]!;
    const v: { value: number; source: Source } =
      major === 1 ? c.version : main.version ? { value: main.version, source: { file: main.path, line: main.keyLines?.version } } : { value: 1, source: {} };
    if (main.state === 'ok' && v.value === 1) {
      const converts = major === 1 ? 'containerd 2.x converts it on every start' : `${release(ctx)} converts it on every start`;
      out.push({
        message: v.source.file ? `${v.source.file}:${v.source.line} sets version = 1, the deprecated version 1 format (${converts}).` : `${main.path} has no version key, so it is the deprecated version 1 format (${converts}).`,
        evidence: { file: v.source.file ?? main.path, ...(v.source.line ? { line: v.source.line } : {}), path: 'version', observed: v.source.file ? 1 : null, expected: major === 1 ? 2 : 3 },
      });
    } else if (v.value === 2 && major === 2) {
      out.push({
        message: `${v.source.file}:${v.source.line} sets version = 2, which ${release(ctx)} migrates on every start; write version ${minor >= 3 ? 4 : 3} (containerd config migrate).`,
        evidence: { file: v.source.file, line: v.source.line, path: 'version', observed: 2 },
      });
    }
    for (const p of c.fatal.filter((x) => x.key === 'version' || x.why.includes('plugin'))) {
      const { evidence, where } = placementAt(p);
      out.push({ message: `${where}: ${p.key}: ${p.why}.`, evidence, severity: 'error' });
    }
    for (const p of c.ignored) {
      const { evidence, where } = placementAt(p);
      out.push({ message: `${where}: ${p.key}: ${p.why}.`, evidence });
    }
    return out;
  },
});
