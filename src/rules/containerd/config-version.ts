import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/config-version",
  title: "The config version is one the target containerd reads natively",
  severity: 'warning',
  mode: 'static',
  rationale:
    "Version 1 files are deprecated and converted on every start; sections written for another version (full plugin ids in a version 1 file, v3 sections on containerd 1.x) are silently ignored.",
  remediation:
    "Set version to the newest the target containerd reads (2 for 1.x, 3 for 2.0-2.2, 4 for 2.3+) and run containerd config migrate.",
  references: [
    "https://github.com/containerd/containerd/blob/main/RELEASES.md#daemon-configuration",
    "https://github.com/containerd/containerd/blob/main/docs/PLUGINS.md",
  ],
});
