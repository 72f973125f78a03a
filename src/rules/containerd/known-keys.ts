import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/known-keys",
  title: "Every key in containerd's configuration is one containerd knows",
  severity: 'warning',
  mode: 'static',
  rationale:
    "containerd ignores unknown keys without failing, so a typo such as SystemCgroup or sandbox_imag leaves the built-in default in place while the file looks right.",
  remediation:
    "Correct or remove the unknown key; the finding names the nearest known key.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/cri/config.md",
  ],
});
