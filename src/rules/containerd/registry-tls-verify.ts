import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/registry-tls-verify",
  title: "TLS verification stays on for every registry not allowed to be insecure",
  severity: 'error',
  mode: 'static',
  rationale:
    "insecure_skip_verify or skip_verify hides a missing CA (\"x509: certificate signed by unknown authority\") and lets anyone on the path serve images to the node.",
  remediation:
    "Install the registry's CA (ca in hosts.toml) and remove skip_verify, or list the host in registries.insecureAllowed.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/hosts.md",
  ],
});
