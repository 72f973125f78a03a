import { defineRule } from '../types.js';

export default defineRule({
  id: "runtime/cri-ready",
  title: "The CRI plugin is loaded and RuntimeReady",
  severity: 'error',
  mode: 'live',
  aliases: ["CRI"],
  rationale:
    "containerd keeps running when its CRI plugin fails to load; kubelet then sees \"unknown service runtime.v1.RuntimeService\".",
  remediation:
    "Read the CRI plugin's load error (ctr plugins ls -d) and fix the configuration it names.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/PLUGINS.md",
  ],
});
