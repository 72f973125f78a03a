import type { ContainerdPlacement, Source } from '../../model/types.js';
import { defineRule, type Violation } from '../types.js';
import { parseContainerdVersion, SERVER_GRPC } from '../../model/containerd/semantics.js';
import { containerdOf, noConfigRead, placementAt, release } from '../containerd-support.js';

/** What fixes an ignored section, where raising the version is not the answer. */
function ignoredFix(p: ContainerdPlacement, rel: string, target: 1 | 2): string | undefined {
  // containerd 2.3's serviceMigrate moves [grpc] into the server plugin only for files below version 4.
  if (p.key === 'grpc')
    return `Move the settings of [grpc] in ${p.file} under [plugins."${SERVER_GRPC}"] (address, uid, gid, max_recv_message_size, max_send_message_size), which is where a version 4 file sets the gRPC listener.`;
  if (p.why.includes('has no such plugin') && target === 1)
    return `Write these settings in ${rel}'s own sections (plugins."io.containerd.grpc.v1.cri"), or set the checklist's containerdVersion if the node runs containerd 2.x.`;
  return undefined;
}

export default defineRule({
  id: 'containerd/config-version',
  title: 'The config version is one the target containerd reads natively',
  severity: 'warning',
  mode: 'static',
  rationale:
    'Version 1 files are deprecated and converted on every start; sections written for another version (full plugin ids in a version 1 file, v3 sections on containerd 1.x) are silently ignored, and a version the release does not know stops containerd.',
  remediation: 'Set version to the newest the target containerd reads (2 for 1.x, 3 for 2.0-2.2, 4 for 2.3+) and run containerd config migrate.',
  references: [
    'https://github.com/containerd/containerd/blob/main/RELEASES.md#daemon-configuration',
    'https://github.com/containerd/containerd/blob/main/docs/PLUGINS.md',
  ],
  applies: noConfigRead,
  check: (ctx) => {
    const c = containerdOf(ctx);
    const out: Violation[] = [];
    const rel = release(ctx);
    const { major, minor } = parseContainerdVersion(c.semantics.version)!;
    const native = major === 1 ? 2 : minor >= 3 ? 4 : 3;
    // 1.x decides on the merged version; 2.x migrates each version 1 or 2 file, the main one is what to fix.
    const main = c.files[0]!;
    const v: { value: number; source: Source } =
      major === 1 ? c.version : main.version ? { value: main.version, source: { file: main.path, line: main.keyLines?.version } } : { value: 1, source: {} };
    if (main.state === 'ok' && v.value === 1) {
      // 1.x reads version 1 natively (with short plugin ids); only 2.x converts it.
      const how = major === 1 ? `${rel} still reads it, with short plugin ids only` : `${rel} converts it on every start`;
      out.push({
        message: v.source.file
          ? `${v.source.file}:${v.source.line} sets version = 1, the deprecated version 1 format (${how}).`
          : `${main.path} has no version key, so it is the deprecated version 1 format (${how}).`,
        evidence: {
          file: v.source.file ?? main.path,
          ...(v.source.line ? { line: v.source.line } : {}),
          path: 'version',
          observed: v.source.file ? 1 : null,
          expected: native,
        },
        fix:
          major === 1
            ? `Set version = 2 in ${main.path} and write plugin sections with full ids (plugins."io.containerd.grpc.v1.cri"); containerd config migrate on a 2.x host writes the 2.x format instead.`
            : `Run containerd config migrate and write its output (version ${native}) to ${main.path}.`,
      });
    } else if (major === 2 && v.value >= 2 && v.value < native) {
      // 2.x migrates every older file on every start (2.3+ per file, "use `containerd config migrate` to avoid migration").
      out.push({
        message: `${v.source.file}:${v.source.line} sets version = ${v.value}, which ${rel} migrates on every start; write version ${native} (containerd config migrate).`,
        evidence: { file: v.source.file, line: v.source.line, path: 'version', observed: v.value, expected: native },
      });
    }
    for (const p of c.fatal.filter((x) => x.key === 'version' || x.why.includes('plugin'))) {
      const { evidence, where } = placementAt(p);
      out.push({ message: `${where}: ${p.key}: ${p.why}.`, evidence, severity: 'error' });
    }
    for (const p of c.ignored) {
      const { evidence, where } = placementAt(p);
      const fix = ignoredFix(p, rel, major);
      out.push({ message: `${where}: ${p.key}: ${p.why}.`, evidence, ...(fix ? { fix } : {}) });
    }
    return out;
  },
});
