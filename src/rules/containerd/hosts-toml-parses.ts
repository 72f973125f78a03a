import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/hosts-toml-parses",
  title: "Every hosts.toml parses and uses known keys and capabilities",
  severity: 'error',
  mode: 'static',
  rationale:
    "containerd only logs a hosts.toml it cannot decode and then treats the directory as a Docker certs directory, so its mirrors silently disappear.",
  remediation:
    "Fix the hosts.toml syntax, keys and capabilities (pull, resolve, push).",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/hosts.md",
  ],
});
