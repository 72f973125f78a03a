import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/registry-no-plaintext-credentials",
  title: "No registry credentials are stored in containerd's configuration",
  severity: 'error',
  mode: 'static',
  rationale:
    "username, password, auth and identitytoken in config.toml are readable plain text on every node and end up in backups and support bundles.",
  remediation:
    "Remove the credentials from containerd's configuration and use image pull secrets or a credential helper instead.",
  references: [
    "https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod",
    "https://github.com/containerd/containerd/blob/main/docs/cri/registry.md",
  ],
});
